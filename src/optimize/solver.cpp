#include "optimize/solver.hpp"

#include <chrono>
#include <thread>
#include <vector>

#include "optimize/alns.hpp"
#include "optimize/construction.hpp"
#include "optimize/fleet_minimizer.hpp"

namespace lastmile::optimize {
namespace {

struct SearchOutcome {
  SearchSolution best;
  uint64_t iterations = 0;
};

SearchOutcome run_search(const Instance& in, uint64_t seed, const Budget& budget, double fleet_share,
                         const FleetOptions& fleet) {
  Rng rng(seed);
  // Jobs no vehicle can serve stay out of the search.
  const auto servable = servable_jobs(in);
  std::vector<bool> in_search(in.job_count(), false);
  for (auto j : servable) in_search[j] = true;
  std::vector<std::size_t> never;
  for (std::size_t j = 0; j < in.job_count(); ++j) {
    if (!in_search[j]) never.push_back(j);
  }
  // Past the time limit the construction finishes greedily (and the phases after it stop at once).
  auto start = construct(in, servable, 3, rng, [&budget] { return budget.out_of_time(); });
  uint64_t iteration = 0;
  auto fewer = minimize_fleet(in, std::move(start), rng, budget, fleet_share, iteration, fleet);
  auto best = improve(in, std::move(fewer), rng, budget, iteration);
  best.unassigned.insert(best.unassigned.end(), never.begin(), never.end());
  return {std::move(best), iteration};
}

}  // namespace

SolveResult solve(const Problem& problem, const SolveOptions& options) {
  const Instance in(problem);
  Budget budget;
  budget.iterations = options.iterations;
  budget.seconds = options.seconds;
  if (options.elapsed) {
    budget.elapsed = options.elapsed;
  } else {
    const auto t0 = std::chrono::steady_clock::now();
    budget.elapsed = [t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  }
  FleetOptions fleet;
  fleet.stall_share = options.fleet_stall_share;
  const unsigned threads = std::max(1u, options.threads);
  std::vector<SearchOutcome> outcomes(threads);
  if (threads == 1) {
    outcomes[0] = run_search(in, options.seed, budget, options.fleet_share, fleet);
  } else {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      // Odd searches give vehicle minimisation half the share: when both reach the same vehicle count,
      // the one with more time left for distance usually wins.
      const double share = t % 2 == 0 ? options.fleet_share : options.fleet_share / 2;
      workers.emplace_back([&, t, share] { outcomes[t] = run_search(in, options.seed + t, budget, share, fleet); });
    }
    for (auto& w : workers) w.join();
  }
  std::size_t win = 0;
  for (std::size_t t = 1; t < outcomes.size(); ++t) {
    if (better(outcomes[t].best.score(), outcomes[win].best.score())) win = t;
  }
  return {outcomes[win].best.to_solution(), outcomes[win].iterations, options.seed + win};
}

}  // namespace lastmile::optimize
