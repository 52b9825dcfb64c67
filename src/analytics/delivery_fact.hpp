#pragma once
// One shipment's delivery fact (docs/analytics.md): what its events add up to, folded one event at
// a time in commit order, and what a finished fact contributes to the daily rollups. Pure: the
// caller reads and writes the fact and the rollups (storage), and passes the shipment's data.

#include <cstdint>
#include <optional>
#include <string>

#include "analytics/rollup.hpp"
#include "domain/entities.hpp"

namespace lastmile::analytics {

enum class Outcome { kOpen, kDelivered, kReturned, kCancelled };
// "open", "delivered", "returned", "cancelled".
std::string_view outcome_name(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view name);

struct DeliveryFact {
  Outcome outcome = Outcome::kOpen;
  std::optional<domain::Milestone> status;  // the latest milestone seen
  int failed_attempts = 0;
  uint32_t exception_mask = 0;              // bit k: a case of ExceptionKind k was raised
  std::optional<int64_t> finished_at_ms;    // the delivered/returned/cancelled event's time
};

// What folding one event changed.
struct FoldChange {
  bool finished = false;                        // the fact just became delivered/returned/cancelled
  std::optional<size_t> new_exception;          // a kind raised for the first time (its enum value)
  bool survey = false;                          // a survey_submitted event
  bool route_may_finish = false;                // the shipment's part of its route may be over
};

// Folds `e` (an event of the fact's shipment, in global_seq order) into `f`. Events after the
// fact finished change only the exception mask (and report surveys).
FoldChange fold_event(DeliveryFact& f, const domain::Event& e);

// True when the shipment's status means the route is done with it (delivered, returned, cancelled,
// attempt_failed).
bool done_on_route(const DeliveryFact& f);

// What a fact that just finished adds to its day's rollups. `promised_end_ms` is the shipment's
// window end (none without a window), `parcels` its parcel count.
Rollup finished_contribution(const DeliveryFact& f, std::optional<int64_t> promised_end_ms, int64_t parcels);

// A survey's contribution: stars 1–5, nps 0–10 when answered.
Rollup survey_contribution(int stars, std::optional<int> nps);

// "YYYY-MM-DD" of a time, in UTC.
std::string utc_day(int64_t ms);

}  // namespace lastmile::analytics
