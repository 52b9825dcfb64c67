#pragma once
// The solver: regret-3 construction, vehicle minimisation, then ALNS on cost. With threads > 1,
// independent searches with seeds seed, seed + 1, … run side by side and the best wins (ties go to the
// lowest seed), so a given seed, thread count and iteration budget always give the same solution. Searches
// of odd index spend half the fleet_share on vehicle minimisation (more time for distance).

#include <cstdint>
#include <functional>
#include <optional>

#include "optimize/problem.hpp"
#include "optimize/solution.hpp"

namespace lastmile::optimize {

struct SolveOptions {
  uint64_t seed = 1;
  unsigned threads = 1;
  std::optional<uint64_t> iterations;  // per search; when set the time limit is only a safety stop
  double seconds = 10;
  double fleet_share = 0.6;            // share of the budget given to vehicle minimisation
  std::function<double()> elapsed;     // seconds since the start; default: a steady clock from solve()'s call
  // Vehicle minimisation ends early after this share of the budget without a vehicle saved (0: never).
  double fleet_stall_share = 0;
};

struct SolveResult {
  Solution solution;
  uint64_t iterations = 0;  // of the winning search
  uint64_t seed = 0;        // of the winning search
};

// REQUIRES: !validate(problem).
SolveResult solve(const Problem& problem, const SolveOptions& options);

}  // namespace lastmile::optimize
