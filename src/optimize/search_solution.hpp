#pragma once
// SearchSolution: the solver's working solution (one RouteState per vehicle, the unassigned jobs) and
// its Score, compared lexicographically: fewer unassigned jobs, then fewer vehicles, then lower cost.

#include <cstddef>
#include <vector>

#include "optimize/instance.hpp"
#include "optimize/route_state.hpp"
#include "optimize/solution.hpp"

namespace lastmile::optimize {

struct Score {
  std::size_t unassigned = 0;
  std::size_t vehicles = 0;
  double cost = 0;
};

// True when a is strictly better than b (costs closer than 1e-7 count as equal).
bool better(const Score& a, const Score& b);

struct SearchSolution {
  std::vector<RouteState> routes;      // routes[v] belongs to vehicle v
  std::vector<std::size_t> unassigned; // jobs waiting for insertion

  Score score() const;
  Solution to_solution() const;
};

// An empty solution: every vehicle unused, `jobs` unassigned.
SearchSolution empty_solution(const Instance& in, std::vector<std::size_t> jobs);

// Takes the jobs out of their routes (refreshing the routes touched) and appends them to unassigned; a
// shipment's other half goes with each half named (REQUIRES: the jobs are assigned).
void remove_jobs(const Instance& in, SearchSolution& s, const std::vector<std::size_t>& jobs);

// Where each assigned job is: route index and position (npos for unassigned jobs).
struct Position {
  std::size_t route = static_cast<std::size_t>(-1);
  std::size_t pos = 0;
};
std::vector<Position> positions(const Instance& in, const SearchSolution& s);

}  // namespace lastmile::optimize
