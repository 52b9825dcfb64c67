#pragma once
// A solution as the solver hands it out: for each vehicle (same order as Problem::vehicles) the
// indices of the jobs it serves in order, and the jobs left unassigned. Times are not stored here:
// schedule.hpp derives them, and the feasibility checker recomputes them independently.

#include <cstddef>
#include <vector>

namespace lastmile::optimize {

struct Solution {
  std::vector<std::vector<std::size_t>> routes;  // routes[v] = job indices served by vehicle v, in order
  std::vector<std::size_t> unassigned;           // job indices, ascending
  friend bool operator==(const Solution&, const Solution&) = default;
};

}  // namespace lastmile::optimize
