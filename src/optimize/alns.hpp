#pragma once
// Adaptive large neighbourhood search on a feasible solution: removals (random, worst, Shaw, route,
// SISR strings) and repairs (greedy with blinks in several orders, regret-2/3 with noise) chosen by
// adaptive weights; simulated annealing acceptance on cost, after the higher tiers of the
// objective (fewer unassigned jobs, then fewer vehicles, always win and more always lose; no route is
// ever opened); local search (relocate, 2-opt*, swap, or-opt) on every new best.

#include <cstdint>

#include "optimize/budget.hpp"
#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

// Runs until the budget is exhausted; `iteration` is advanced. Returns the best solution (at worst
// `start`).
SearchSolution improve(const Instance& in, SearchSolution start, Rng& rng, const Budget& budget, uint64_t& iteration);

}  // namespace lastmile::optimize
