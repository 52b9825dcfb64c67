#pragma once
// Which of a route's breaks are still ahead of the driver, and where among the stops left. Shared by
// the live ETAs (pipeline/eta_monitor.cpp) and re-planning (api/route_replan.cpp).

#include <cstddef>
#include <span>
#include <vector>

#include "domain/entities.hpp"

namespace lastmile::domain {

// route.breaks[index], still to be taken before the `before`-th stop not yet done (the count of those
// stops or more: after the last one, delaying only the return).
struct BreakPending {
  std::size_t index = 0;
  std::size_t before = 0;
};

// The breaks not yet taken when `done` of the route's stops are no longer pending. A break after the
// route's first a stops is behind once a stops are done (taken there or on the way); one before the
// first stop, once a stop is done or the driver has `left_start` (each caller says what that means:
// left the depot, or started the route).
std::vector<BreakPending> breaks_pending(std::span<const RouteBreak> breaks, std::size_t done, bool left_start);

}  // namespace lastmile::domain
