#pragma once
// Off-route detection (issue 4, part 4): the driver is off route when every fix for at least
// `min_duration_s` lies farther than `distance_m` (plus the fix's accuracy, so a poor fix alone
// never counts) from the planned path of the current leg; back on route at the first fix within
// `distance_m`. A fix whose accuracy is worse than `max_accuracy_m` is ignored.
//
// Pure; state per driver, kept by the caller on the driver's shard.

#include <optional>

#include "core/time.hpp"

namespace lastmile::eta {

struct OffRouteParams {
  double distance_m = 150;
  double min_duration_s = 90;
  double max_accuracy_m = 100;
};

struct OffRouteState {
  std::optional<core::Timestamp> away_since;  // first fix of the current run away from the path
  bool raised = false;
  double max_distance_m = 0;                  // of the current run
};

enum class OffRouteChange { kNone, kOffRoute, kBackOnRoute };

OffRouteChange update_off_route(OffRouteState& state, double distance_to_path_m, double accuracy_m, core::Timestamp t,
                                const OffRouteParams& params);

}  // namespace lastmile::eta
