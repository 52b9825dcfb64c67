#pragma once
// A solution as the solver hands it out: for each vehicle (same order as Problem::vehicles) the
// indices of the jobs it serves in order, and the jobs left unassigned. Times are not stored here:
// schedule.hpp derives them, and the feasibility checker recomputes them independently.

#include <cstddef>
#include <vector>

namespace lastmile::optimize {

// Where a vehicle takes one of its breaks: `brk` indexes Vehicle::breaks, `gap` is the number of jobs of
// the route served before it (0: before the first job, routes[v].size(): after the last one). It is
// taken on arrival at the next stop (at the end location after the last job), before the service.
struct BreakPlacement {
  std::size_t brk = 0;
  std::size_t gap = 0;
  friend bool operator==(const BreakPlacement&, const BreakPlacement&) = default;
};

struct Solution {
  std::vector<std::vector<std::size_t>> routes;  // routes[v] = job indices served by vehicle v, in order
  std::vector<std::size_t> unassigned;           // job indices, ascending
  // breaks[v]: vehicle v's breaks in the order taken (empty for an unused vehicle or one without breaks;
  // may be shorter than routes when no vehicle has breaks).
  std::vector<std::vector<BreakPlacement>> breaks = {};
  friend bool operator==(const Solution&, const Solution&) = default;
};

}  // namespace lastmile::optimize
