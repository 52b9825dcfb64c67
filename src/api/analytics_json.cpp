#include "api/analytics_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "core/json_reader.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;

json::value opt(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value opt(const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

std::string num(const std::optional<double>& v) {
  if (!v) return "";
  char buf[48];
  const int n = std::snprintf(buf, sizeof buf, "%.2f", std::round(*v * 100.0) / 100.0);
  std::string s(buf, static_cast<size_t>(std::max(0, std::min(n, static_cast<int>(sizeof buf) - 1))));
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}
std::string num(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; }

double round2(double v) { return std::round(v * 100.0) / 100.0; }

struct TargetField {
  const char* name;
  std::optional<double> analytics::Targets::*member;
  double lo, hi;
};
constexpr TargetField kTargetFields[] = {
    {"on_time_rate", &analytics::Targets::on_time_rate, 0, 100},
    {"first_attempt_rate", &analytics::Targets::first_attempt_rate, 0, 100},
    {"csat", &analytics::Targets::csat, 0, 100},
    {"nps", &analytics::Targets::nps, -100, 100},
    {"tracking_quality", &analytics::Targets::tracking_quality, 0, 100},
    {"lateness_p90_min", &analytics::Targets::lateness_p90_min, 0, 100000},
    {"cost_per_delivery", &analytics::Targets::cost_per_delivery, 0, 1000000},
};

}  // namespace

std::vector<AnalyticsItem> group_analytics(const std::vector<storage::AnalyticsRow>& rows, analytics::Grouping g,
                                           const std::map<std::string, analytics::RateCard>& cards,
                                           const analytics::Targets& targets) {
  struct Group {
    const storage::AnalyticsRow* first;
    analytics::Rollup sum;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (const auto& row : rows) {
    auto [it, fresh] = groups.try_emplace({row.key_id, analytics::period_of(row.day, g)}, Group{&row, {}});
    analytics::merge(it->second.sum, row.rollup);
  }
  std::vector<AnalyticsItem> out;
  out.reserve(groups.size());
  for (auto& [key, group] : groups) {
    AnalyticsItem item{key.first, group.first->name, group.first->carrier_id, key.second, {}, ""};
    auto card = cards.find(item.carrier_id);
    const analytics::RateCard* rc = card == cards.end() ? nullptr : &card->second;
    item.figures = analytics::compute_figures(group.sum, rc, targets);
    if (rc) item.currency = rc->currency;
    out.push_back(std::move(item));
  }
  std::stable_sort(out.begin(), out.end(), [](const AnalyticsItem& a, const AnalyticsItem& b) {
    return std::tie(a.name, a.key_id, a.period) < std::tie(b.name, b.key_id, b.period);
  });
  return out;
}

json::object analytics_item_json(const AnalyticsItem& item, storage::AnalyticsDim dim) {
  const auto& f = item.figures;
  const auto& t = f.totals;
  json::object o;
  if (dim == storage::AnalyticsDim::kCarrier) {
    o["carrier_id"] = item.key_id;
  } else {
    o["driver_id"] = item.key_id;
    o["carrier_id"] = item.carrier_id.empty() ? json::value(nullptr) : json::value(item.carrier_id);
  }
  o["name"] = item.name;
  o["period"] = item.period;
  o["deliveries"] = t.deliveries;
  o["returned"] = t.returned;
  o["failed_attempts"] = t.failed_attempts;
  o["on_time_rate"] = opt(f.on_time_rate);
  o["first_attempt_rate"] = opt(f.first_attempt_rate);
  o["lateness_p50_min"] = opt(f.lateness_p50_min);
  o["lateness_p90_min"] = opt(f.lateness_p90_min);
  json::object exceptions;
  for (const auto& [kind, per100] : f.exceptions_per_100) exceptions[kind] = per100;
  o["exceptions_per_100"] = std::move(exceptions);
  o["missed_scans"] = f.missed_scans;
  o["surveys"] = t.surveys;
  o["csat"] = opt(f.csat);
  o["nps"] = opt(f.nps);
  o["tracking_quality"] = opt(f.tracking_quality);
  o["routes"] = t.routes;
  o["stops"] = t.stops;
  o["km"] = round2(t.km);
  o["parcels"] = t.parcels;
  o["cost"] = opt(f.cost);
  o["cost_per_delivery"] = opt(f.cost_per_delivery);
  o["currency"] = item.currency.empty() ? json::value(nullptr) : json::value(item.currency);
  json::array below;
  for (const auto& b : f.below_target) below.emplace_back(b);
  o["below_target"] = std::move(below);
  return o;
}

std::string csv_field(std::string_view text) {
  std::string s(text);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s.insert(0, "'");
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string analytics_csv(const std::vector<AnalyticsItem>& items, storage::AnalyticsDim dim) {
  const bool drivers = dim == storage::AnalyticsDim::kDriver;
  std::string out = drivers ? "driver_id,name,carrier_id," : "carrier_id,name,";
  out += "period,deliveries,returned,failed_attempts,on_time_rate,first_attempt_rate,lateness_p50_min,"
         "lateness_p90_min,missed_scans,surveys,csat,nps,tracking_quality,routes,stops,km,parcels,cost,"
         "cost_per_delivery,currency,below_target\r\n";
  out.reserve(out.size() + items.size() * 160);
  auto text = [&out](std::string_view v, bool first = false) {  // a name or id: quoted, formulas defused
    if (!first) out += ',';
    out += csv_field(v);
  };
  auto raw = [&out](const std::string& v) {  // a number: never needs quoting
    out += ',';
    out += v;
  };
  for (const auto& item : items) {
    const auto& f = item.figures;
    const auto& t = f.totals;
    std::string below;
    for (const auto& b : f.below_target) below += (below.empty() ? "" : " ") + b;
    text(item.key_id, true);
    text(item.name);
    if (drivers) text(item.carrier_id);
    text(item.period);
    for (int64_t v : {t.deliveries, t.returned, t.failed_attempts}) raw(std::to_string(v));
    raw(num(f.on_time_rate));
    raw(num(f.first_attempt_rate));
    raw(num(f.lateness_p50_min));
    raw(num(f.lateness_p90_min));
    raw(std::to_string(f.missed_scans));
    raw(std::to_string(t.surveys));
    raw(num(f.csat));
    raw(num(f.nps));
    raw(num(f.tracking_quality));
    raw(std::to_string(t.routes));
    raw(std::to_string(t.stops));
    raw(num(std::optional<double>(t.km)));
    raw(std::to_string(t.parcels));
    raw(num(f.cost));
    raw(num(f.cost_per_delivery));
    text(item.currency);
    text(below);
    out += "\r\n";
  }
  return out;
}

json::object rate_card_json(const analytics::RateCard& c) {
  return json::object{{"per_stop", c.per_stop}, {"per_km", c.per_km}, {"per_parcel", c.per_parcel},
                      {"currency", c.currency}};
}

core::Result<analytics::RateCard> parse_rate_card(const json::object& body) {
  core::JsonReader r(body);
  analytics::RateCard c;
  c.per_stop = r.number("per_stop", 0, 1e6, true).value_or(0);
  c.per_km = r.number("per_km", 0, 1e6, true).value_or(0);
  c.per_parcel = r.number("per_parcel", 0, 1e6, true).value_or(0);
  c.currency = r.optional_string("currency", 3).value_or("EUR");
  if (r.error()) return *r.error();
  if (auto st = analytics::validate_rate_card(c); !st) return st.error();
  return c;
}

json::object targets_json(const analytics::Targets& t) {
  json::object o;
  for (const auto& f : kTargetFields) o[f.name] = opt(t.*f.member);
  return o;
}

core::Result<analytics::Targets> parse_targets(const json::object& body) {
  core::JsonReader r(body);
  analytics::Targets t;
  for (const auto& f : kTargetFields) t.*f.member = r.number(f.name, f.lo, f.hi);
  if (r.error()) return *r.error();
  for (const auto& [key, value] : body) {
    bool known = false;
    for (const auto& f : kTargetFields) known = known || key == f.name;
    if (!known) return core::Error::invalid_field(std::string(key), "unknown target '" + std::string(key) + "'");
  }
  if (auto st = analytics::validate_targets(t); !st) return st.error();
  return t;
}

}  // namespace lastmile::api
