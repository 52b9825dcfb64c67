#pragma once
// Replaying real delivery history without a map: how much the learned corrections (corrections.hpp)
// improve great-circle ETAs (map::RoutingService::great_circle: haversine × detour / speed), with
// no look-ahead: every prediction uses a model learned only from what was observed before the
// moment of the prediction. The same code runs with the identity model ("without corrections").
// Used by the unit tests on the real data (tests/data/traces/) and by bench/eta_real_bench.
//
// Pure: no I/O, no clock.

#include <vector>

#include "core/ids.hpp"
#include "eta/corrections.hpp"
#include "eta/history_lade.hpp"
#include "eta/history_trace.hpp"
#include "map/routing_service.hpp"

namespace lastmile::eta {

// Absolute errors of a set of predictions and the share of actual times inside the predicted
// P10–P90 window.
struct ErrorStats {
  size_t n = 0;
  double mean_abs_s = 0;
  double p90_abs_s = 0;   // 90th percentile (linear interpolation) of the absolute errors
  double coverage = 0;    // share of actuals within [P50 + early_s, P50 + late_s]
};

struct Comparison {
  ErrorStats without;  // identity corrections
  ErrorStats with;     // learned corrections
};

// ---------------------------------------------------------------- LaDe: next delivery of a courier

// Protocol. The deliveries of a courier on one day, ordered by time, give pairs (k, k+1)
// (next_deliveries()). At the scan of delivery k the next scan is predicted:
//   P50 = t_k + travel_s(great circle k → k+1, class unknown) + service_s(place of k+1, courier, planned)
// LaDe has one time per delivery (the scan), so the drive and the stop cannot be told apart; the
// gap beyond the great-circle drive (t_{k+1} − t_k − great circle, at least 0) is learned as the
// service time of delivery k+1 (per place, per courier, fleet). The travel model stays the identity
// (no leg observations: they would count the same seconds twice), so the window is the default one.
// "With corrections" learns from every pair (of all couriers) whose second scan is at or before t_k
// and whose gap is at most max_learn_gap_s: a longer gap is a break or deliveries missing from the
// excerpt, not a stop (known once the scan arrives, so no look-ahead).
// Figures are given over all pairs and over the pairs whose gap is at most max_learn_gap_s (a
// conditional figure: "when the next scan comes within the hour", selected on the outcome).
// Years: pairs are ordered by their UTC time, the year being LadeOptions::year for all rows.
struct LadeReplayOptions {
  map::GreatCircleOptions great_circle{};  // detour 1.3, 30 km/h
  double planned_service_s = 120;          // LaDe has no planned service time: an assumption
  double max_learn_gap_s = 3600;
  int utc_offset_s = 8 * 3600;  // local time of the scans (hour_of_week of the predictions)
  LearnOptions learn{};
};

struct LadeReplay {
  Comparison figures;              // all pairs
  Comparison within_gap;           // pairs with gap <= max_learn_gap_s
  size_t pairs = 0;                // predictions made
  size_t pairs_with_history = 0;   // of which had at least one earlier observation to learn from
};

LadeReplay replay_lade_next_delivery(const std::vector<LadeDelivery>& deliveries, const LadeReplayOptions& options = {});

// ---------------------------------------------------------------- a GPS trip: arrival at its end

// Protocol. The trip is cut into legs at the first fix at or after every `leg_s` from the start.
// At `horizon_s` before the last fix (the arrival), from the last fix at or before that moment:
//   P50 = now + travel_s(great circle now → arrival point, class unknown)
// "With corrections" learns from the legs that ended at or before now (the drive so far: actual
// leg time against its great-circle estimate), without the trip's future. One trip cannot teach
// hour-of-week factors, so all its legs and predictions carry the hour of the departure: what is
// learned is the class factor (great circle → actual) and the window.
struct TraceReplayOptions {
  map::GreatCircleOptions great_circle{};
  double leg_s = 60;
  core::DriverId driver{"drv_trace"};
  int utc_offset_s = 0;  // for hour_of_week of the departure
  LearnOptions learn = [] {
    LearnOptions o;
    o.min_class_seconds = 120;  // a few minutes of driving are all a single trip has
    return o;
  }();
};

struct TraceHorizon {
  double horizon_s = 0;       // requested time before arrival
  double actual_s = 0;        // actual time to arrival from the fix used
  double without_s = 0;       // predicted time to arrival, identity corrections
  double with_s = 0;          // predicted, learned corrections
  size_t legs_learned = 0;    // legs the learned model used (outliers excluded)
  double factor = 1;          // the learned class factor (unknown class)
  Window window;              // of the learned prediction
  bool covered = false;       // actual within the learned window
  bool covered_without = false;
};

// One entry per horizon that lies within the trip (horizons longer than the trip are skipped).
// REQUIRES: points in time order (parse_barefoot_trace checks it).
std::vector<TraceHorizon> replay_trace_arrival(const std::vector<TracePoint>& points,
                                               const std::vector<double>& horizons_s,
                                               const TraceReplayOptions& options = {});

// Errors of a set of horizons (without / with).
Comparison summarize(const std::vector<TraceHorizon>& horizons);

}  // namespace lastmile::eta
