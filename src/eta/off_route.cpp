#include "eta/off_route.hpp"

#include <algorithm>

namespace lastmile::eta {

OffRouteChange update_off_route(OffRouteState& state, double distance_to_path_m, double accuracy_m, core::Timestamp t,
                                const OffRouteParams& params) {
  if (accuracy_m > params.max_accuracy_m) return OffRouteChange::kNone;
  if (distance_to_path_m <= params.distance_m) {
    state.away_since.reset();
    state.max_distance_m = 0;
    if (!state.raised) return OffRouteChange::kNone;
    state.raised = false;
    return OffRouteChange::kBackOnRoute;
  }
  if (distance_to_path_m <= params.distance_m + accuracy_m) return OffRouteChange::kNone;  // not sure either way
  if (!state.away_since) state.away_since = t;
  state.max_distance_m = std::max(state.max_distance_m, distance_to_path_m);
  if (state.raised || (t.ms - state.away_since->ms) / 1000.0 < params.min_duration_s) return OffRouteChange::kNone;
  state.raised = true;
  return OffRouteChange::kOffRoute;
}

}  // namespace lastmile::eta
