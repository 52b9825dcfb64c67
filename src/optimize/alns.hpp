#pragma once
// Adaptive large neighbourhood search on a feasible solution: removals (random, worst, Shaw, route,
// SISR strings) and repairs (greedy with blinks in several orders, regret-2/3 with noise) chosen by
// adaptive weights; simulated annealing acceptance on cost (a candidate that leaves a job out is
// rejected, one that uses fewer vehicles is always taken; no route is ever opened); local search on
// every new best.

#include <cstdint>

#include "optimize/budget.hpp"
#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

// Runs until the budget is exhausted; `iteration` is advanced. Returns the best solution (at worst
// `start`).
SearchSolution improve(const Instance& in, SearchSolution start, Rng& rng, const Budget& budget, uint64_t& iteration);

}  // namespace lastmile::optimize
