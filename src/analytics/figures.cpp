#include "analytics/figures.hpp"

#include <chrono>
#include <cmath>

#include "core/time.hpp"
#include "domain/exception_queue.hpp"

namespace lastmile::analytics {
namespace {

using core::Error;

std::optional<double> percent(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10.0;
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

bool price_ok(double v) { return std::isfinite(v) && v >= 0 && v <= 1e6; }

core::Status check_range(const std::optional<double>& v, double lo, double hi, const char* name) {
  if (v && (!std::isfinite(*v) || *v < lo || *v > hi))
    return Error::invalid_field(name, std::string(name) + " must be between " + std::to_string(static_cast<int>(lo)) +
                                          " and " + std::to_string(static_cast<int>(hi)));
  return {};
}

}  // namespace

core::Status validate_rate_card(const RateCard& c) {
  if (!price_ok(c.per_stop)) return Error::invalid_field("per_stop", "per_stop must be between 0 and 1000000");
  if (!price_ok(c.per_km)) return Error::invalid_field("per_km", "per_km must be between 0 and 1000000");
  if (!price_ok(c.per_parcel)) return Error::invalid_field("per_parcel", "per_parcel must be between 0 and 1000000");
  bool currency_ok = c.currency.size() == 3;
  for (char ch : c.currency) currency_ok = currency_ok && ch >= 'A' && ch <= 'Z';
  if (!currency_ok) return Error::invalid_field("currency", "currency must be an ISO 4217 code such as EUR");
  return {};
}

core::Status validate_targets(const Targets& t) {
  for (auto [v, name] : {std::pair{&t.on_time_rate, "on_time_rate"}, std::pair{&t.first_attempt_rate, "first_attempt_rate"},
                         std::pair{&t.csat, "csat"}, std::pair{&t.tracking_quality, "tracking_quality"}})
    if (auto st = check_range(*v, 0, 100, name); !st) return st;
  if (auto st = check_range(t.nps, -100, 100, "nps"); !st) return st;
  if (auto st = check_range(t.lateness_p90_min, 0, 100000, "lateness_p90_min"); !st) return st;
  if (auto st = check_range(t.cost_per_delivery, 0, 1000000, "cost_per_delivery"); !st) return st;
  return {};
}

Figures compute_figures(const Rollup& r, const RateCard* card, const Targets& targets) {
  Figures f;
  f.totals = r;
  f.on_time_rate = percent(r.on_time, r.windowed);
  f.first_attempt_rate = percent(r.first_attempt, r.finished);
  f.lateness_p50_min = lateness_percentile(r.lateness, 0.5);
  f.lateness_p90_min = lateness_percentile(r.lateness, 0.9);
  for (domain::ExceptionKind k : domain::all_exception_kinds()) {
    const auto i = static_cast<size_t>(k);
    if (i >= kExceptionKinds) continue;
    if (r.deliveries > 0)
      f.exceptions_per_100.emplace_back(std::string(domain::exception_kind_name(k)),
                                        std::round(1000.0 * static_cast<double>(r.exceptions[i]) /
                                                   static_cast<double>(r.deliveries)) / 10.0);
    if (k == domain::ExceptionKind::kMissingScan) f.missed_scans = r.exceptions[i];
  }
  f.csat = percent(r.csat_good, r.surveys);
  if (r.nps_count > 0) f.nps = percent(r.promoters, r.nps_count).value() - percent(r.detractors, r.nps_count).value();
  if (r.route_s > 0) f.tracking_quality = std::round(1000.0 * r.tracked_s / r.route_s) / 10.0;
  if (card) {
    const double cost = static_cast<double>(r.stops) * card->per_stop + r.km * card->per_km +
                        static_cast<double>(r.parcels) * card->per_parcel;
    f.cost = round2(cost);
    if (r.deliveries > 0) f.cost_per_delivery = round2(cost / static_cast<double>(r.deliveries));
  }
  auto below = [&](const std::optional<double>& value, const std::optional<double>& target, const char* name) {
    if (value && target && *value < *target) f.below_target.emplace_back(name);
  };
  auto above = [&](const std::optional<double>& value, const std::optional<double>& target, const char* name) {
    if (value && target && *value > *target) f.below_target.emplace_back(name);
  };
  below(f.on_time_rate, targets.on_time_rate, "on_time_rate");
  below(f.first_attempt_rate, targets.first_attempt_rate, "first_attempt_rate");
  below(f.csat, targets.csat, "csat");
  below(f.nps, targets.nps, "nps");
  below(f.tracking_quality, targets.tracking_quality, "tracking_quality");
  std::optional<double> p90;
  if (f.lateness_p90_min) p90 = static_cast<double>(*f.lateness_p90_min);
  above(p90, targets.lateness_p90_min, "lateness_p90_min");
  above(f.cost_per_delivery, targets.cost_per_delivery, "cost_per_delivery");
  return f;
}

std::optional<Grouping> parse_grouping(std::string_view name) {
  if (name == "day") return Grouping::kDay;
  if (name == "week") return Grouping::kWeek;
  if (name == "total") return Grouping::kTotal;
  return std::nullopt;
}

std::string period_of(std::string_view day, Grouping g) {
  if (g == Grouping::kDay) return std::string(day);
  if (g == Grouping::kTotal) return "total";
  using namespace std::chrono;
  auto t = core::parse_date(day);
  if (!t) return std::string(day);
  const sys_days d = floor<days>(sys_time<milliseconds>(milliseconds(t->ms)));
  const weekday wd(d);
  const sys_days thursday = d - days((wd.iso_encoding() - 1)) + days(3);  // ISO week-year is the Thursday's year
  const year_month_day ty(thursday);
  const sys_days jan1 = sys_days(ty.year() / January / 1);
  const int week = static_cast<int>((thursday - jan1).count() / 7) + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(ty.year()), week);
  return buf;
}

core::Result<std::string> parse_day(std::string_view text, const std::string& field) {
  if (text.size() != 10 || !core::parse_date(text))
    return Error::invalid_field(field, field + " must be a date (YYYY-MM-DD)");
  return std::string(text);
}

int64_t days_between(std::string_view from, std::string_view to) {
  auto a = core::parse_date(from), b = core::parse_date(to);
  if (!a || !b) return 0;
  return (b->ms - a->ms) / 86'400'000;
}

}  // namespace lastmile::analytics
