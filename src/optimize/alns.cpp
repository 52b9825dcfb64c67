#include "optimize/alns.hpp"

#include <algorithm>
#include <cmath>

#include "optimize/local_search/local_search.hpp"
#include "optimize/operator_weights.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {
namespace {

using RemovalFn = void (*)(const Instance&, SearchSolution&, Rng&, std::size_t);
constexpr RemovalFn kRemovals[] = {string_removal, random_removal, worst_removal, shaw_removal, route_removal};
constexpr std::size_t kRepairs = 6;  // greedy x 4 orders, regret-2, regret-3

void repair(const Instance& in, SearchSolution& s, Rng& rng, std::size_t which) {
  static constexpr InsertionOrder kOrders[] = {InsertionOrder::kRandom, InsertionOrder::kDemand,
                                               InsertionOrder::kFar, InsertionOrder::kDueTime};
  if (which < 4) {
    greedy_insertion(in, s, rng, kOrders[which], RepairOptions{false, 0.01, 0});
  } else {
    regret_insertion(in, s, rng, which == 4 ? 2 : 3, RepairOptions{false, 0, 0.05});
  }
}

}  // namespace

SearchSolution improve(const Instance& in, SearchSolution start, Rng& rng, const Budget& budget, uint64_t& iteration) {
  SearchSolution best = std::move(start);
  const auto out_of_time = [&budget] { return budget.out_of_time(); };
  local_search(in, best, rng, 50, out_of_time);
  SearchSolution current = best;
  const auto jobs = assigned_jobs(best).size();
  if (jobs == 0) return best;
  OperatorWeights removals(std::size(kRemovals));
  OperatorWeights repairs(kRepairs);
  // Temperatures relative to the average arc cost of the start solution, cooling exponentially from 20
  // to 0.05 arc costs (tuned on Solomon R1 with fixed iteration budgets: hotter starts than 1 arc cost gave
  // about 1% shorter routes).
  const double arc = best.score().cost / static_cast<double>(jobs + best.score().vehicles);
  const double t_start = 20.0 * arc, t_end = 0.05 * arc;
  const double p0 = budget.progress(iteration);
  const std::size_t q_max = std::max<std::size_t>(4, std::min<std::size_t>(15, jobs * 3 / 10));
  while (!budget.exhausted(iteration)) {
    ++iteration;
    const double progress = std::clamp((budget.progress(iteration) - p0) / std::max(1e-9, 1 - p0), 0.0, 1.0);
    const double temperature = t_start * std::pow(t_end / t_start, progress);
    SearchSolution candidate = current;
    const auto r = removals.choose(rng);
    const auto h = repairs.choose(rng);
    kRemovals[r](in, candidate, rng, rng.between(std::min<std::size_t>(4, jobs), q_max));
    repair(in, candidate, rng, h);
    Outcome outcome = Outcome::kRejected;
    const auto cs = candidate.score(), cur = current.score();
    {
      bool accept = false;
      if (cs.unassigned != cur.unassigned) {
        accept = cs.unassigned < cur.unassigned;
      } else if (cs.vehicles != cur.vehicles) {
        accept = cs.vehicles < cur.vehicles;
      } else {
        accept = cs.cost < cur.cost - temperature * std::log(rng.real() + 1e-300);
      }
      if (accept) {
        outcome = better(cs, cur) ? Outcome::kImproved : Outcome::kAccepted;
        if (better(cs, best.score())) {
          local_search(in, candidate, rng, 50, out_of_time);
          best = candidate;
          outcome = Outcome::kNewBest;
        }
        current = std::move(candidate);
      }
    }
    removals.record(r, outcome);
    repairs.record(h, outcome);
  }
  return best;
}

}  // namespace lastmile::optimize
