#pragma once
// Vehicle minimisation (SISR's fleet minimisation with absence counters): take a route out, put its jobs
// in a pool, and ruin-and-recreate without opening routes until the pool is empty (one vehicle fewer,
// repeat) or the budget share is spent. A candidate is accepted when it leaves fewer jobs out, or jobs
// that were out less often (the counters push the search to place the hard jobs).

#include <cstdint>

#include "optimize/budget.hpp"
#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

// When `start` leaves jobs unassigned (too small a fleet) it is returned as is. Returns the feasible solution with the fewest vehicles
// found (at worst `start`). Runs until budget.progress(iteration) >= until or the budget is exhausted;
// `iteration` is advanced.
SearchSolution minimize_fleet(const Instance& in, SearchSolution start, Rng& rng, const Budget& budget, double until,
                              uint64_t& iteration);

}  // namespace lastmile::optimize
