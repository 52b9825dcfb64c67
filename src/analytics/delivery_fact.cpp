#include "analytics/delivery_fact.hpp"

#include <chrono>

#include "domain/exception_queue.hpp"

namespace lastmile::analytics {

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kOpen: return "open";
    case Outcome::kDelivered: return "delivered";
    case Outcome::kReturned: return "returned";
    case Outcome::kCancelled: return "cancelled";
  }
  return "open";
}

std::optional<Outcome> parse_outcome(std::string_view name) {
  for (Outcome o : {Outcome::kOpen, Outcome::kDelivered, Outcome::kReturned, Outcome::kCancelled})
    if (outcome_name(o) == name) return o;
  return std::nullopt;
}

FoldChange fold_event(DeliveryFact& f, const domain::Event& e) {
  FoldChange c;
  if (auto kind = domain::parse_exception_kind(e.type == "survey_low_rating" ? "low_rating" : e.type)) {
    const auto k = static_cast<size_t>(*kind);
    if (k < kExceptionKinds && !(f.exception_mask & (1u << k))) {
      f.exception_mask |= 1u << k;
      c.new_exception = k;
    }
  }
  if (e.type == "survey_submitted") c.survey = true;
  if (!e.milestone || f.outcome != Outcome::kOpen) return c;
  f.status = *e.milestone;
  using domain::Milestone;
  switch (*e.milestone) {
    case Milestone::kAttemptFailed:
      ++f.failed_attempts;
      c.route_may_finish = true;
      break;
    case Milestone::kDelivered: f.outcome = Outcome::kDelivered; break;
    case Milestone::kReturned: f.outcome = Outcome::kReturned; break;
    case Milestone::kCancelled: f.outcome = Outcome::kCancelled; break;
    default: break;
  }
  if (f.outcome != Outcome::kOpen) {
    f.finished_at_ms = e.at.ms;
    c.finished = true;
    c.route_may_finish = true;
  }
  return c;
}

bool done_on_route(const DeliveryFact& f) {
  return f.outcome != Outcome::kOpen || f.status == domain::Milestone::kAttemptFailed;
}

Rollup finished_contribution(const DeliveryFact& f, std::optional<int64_t> promised_end_ms, int64_t parcels) {
  Rollup r;
  if (f.outcome == Outcome::kCancelled || f.outcome == Outcome::kOpen) return r;
  r.finished = 1;
  r.failed_attempts = f.failed_attempts;
  for (size_t k = 0; k < kExceptionKinds; ++k)
    if (f.exception_mask & (1u << k)) r.exceptions[k] = 1;
  if (f.outcome == Outcome::kReturned) {
    r.returned = 1;
    return r;
  }
  r.deliveries = 1;
  r.parcels = parcels;
  if (f.failed_attempts == 0) r.first_attempt = 1;
  if (promised_end_ms && f.finished_at_ms) {
    const int64_t late = *f.finished_at_ms - *promised_end_ms;
    r.windowed = 1;
    if (late <= 0) r.on_time = 1;
    r.lateness[lateness_bucket(late)] = 1;
  }
  return r;
}

Rollup survey_contribution(int stars, std::optional<int> nps) {
  Rollup r;
  r.surveys = 1;
  if (stars >= 4) r.csat_good = 1;
  if (nps) {
    r.nps_count = 1;
    if (*nps >= 9) r.promoters = 1;
    if (*nps <= 6) r.detractors = 1;
  }
  return r;
}

std::string utc_day(int64_t ms) {
  using namespace std::chrono;
  const auto days = floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(ms)));
  const year_month_day ymd(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace lastmile::analytics
