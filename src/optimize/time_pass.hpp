#pragma once
// The full time pass of one route, for vehicles with breaks and for soft time windows (the cases the
// O(1) checks of route_state.hpp do not cover alone). Breaks are taken in Instance::break_order; a
// dynamic programme over the gaps of the route (before the first job, between two jobs, after the last)
// keeps, for every number m of breaks already taken, the earliest time the vehicle can be ready to
// leave. A break at gap g is taken on arrival at the g-th stop (or the end), before its service: the
// vehicle drives first, so a wait for the stop's window can hold the break. Since service starts never get later when the vehicle is ready earlier (waiting is allowed),
// this finds a placement whenever one exists in that order (with hard windows). With soft windows the
// earliest time wins, ties go to the smaller lateness (a placement with less lateness but a later
// time is not looked for). O(route length × (breaks + 1)).

#include <cstddef>
#include <optional>
#include <vector>

#include "optimize/instance.hpp"
#include "optimize/solution.hpp"

namespace lastmile::optimize {

struct TimePassResult {
  bool feasible = false;             // windows (hard), break windows and max_load, shift end
  double lateness = 0;               // total lateness (soft windows; 0 with hard ones)
  double end_arrival = 0;            // arrival at the end (or departure from the last stop without one)
  std::vector<BreakPlacement> breaks;  // in the order taken; filled only when asked and feasible
};

// The route of `vehicle` serving `jobs`, with `extra` inserted before position `extra_pos` when given
// (an insertion evaluated without copying the route). An empty route is feasible and takes no break.
TimePassResult time_pass(const Instance& in, std::size_t vehicle, const std::vector<std::size_t>& jobs,
                         std::optional<std::size_t> extra, std::size_t extra_pos, bool want_breaks);

// Earliest start of a break when the vehicle is ready at `ready`: inside the first window not closed yet.
std::optional<double> break_start(const Break& b, double ready);

}  // namespace lastmile::optimize
