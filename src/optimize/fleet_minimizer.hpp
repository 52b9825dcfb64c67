#pragma once
// Vehicle minimisation in two steps:
// 1. route elimination with an ejection pool (route_eliminator.hpp, after Nagata & Bräysy 2009), one
//    route at a time, until `ejection_attempts` attempts in a row failed (each at most `ejection_steps`
//    pool steps);
// 2. SISR's fleet minimisation with absence counters from there: take a route out, put its jobs in a
//    pool, and ruin-and-recreate without opening routes until the pool is empty (one vehicle fewer,
//    repeat) or the budget share is spent. A candidate is accepted when it leaves fewer jobs out, or jobs
//    that were out less often (the counters push the search to place the hard jobs).
// Both stop at the lower bound on the vehicles (total demand / capacity); step 2 also stops when no
// vehicle was saved for `stall_share` of the budget (that time goes to the distance phase instead).

#include <cstdint>

#include "optimize/budget.hpp"
#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

struct FleetOptions {
  std::size_t ejection_attempts = 2;  // 0: skip step 1
  uint64_t ejection_steps = 4000;     // pool steps per elimination attempt (each counts as an iteration)
  double stall_share = 0;  // > 0: stop after this share of the budget without one vehicle fewer
};

// When `start` leaves jobs unassigned (too small a fleet) it is returned as is. Returns the feasible
// solution with the fewest vehicles found (at worst `start`). Runs until budget.progress(iteration) >=
// until, the budget is exhausted or an early stop of `options`; `iteration` is advanced.
SearchSolution minimize_fleet(const Instance& in, SearchSolution start, Rng& rng, const Budget& budget, double until,
                              uint64_t& iteration, const FleetOptions& options = {});

}  // namespace lastmile::optimize
