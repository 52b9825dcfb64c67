#include "optimize/fleet_minimizer.hpp"

#include "optimize/local_search/local_search.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {
namespace {

uint64_t absence_sum(const std::vector<uint64_t>& absences, const std::vector<std::size_t>& jobs) {
  uint64_t sum = 0;
  for (auto j : jobs) sum += absences[j];
  return sum;
}

// Takes a random used route out into the pool.
void drop_route(const Instance& in, SearchSolution& s, Rng& rng) {
  std::vector<std::size_t> used;
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    if (!s.routes[r].empty()) used.push_back(r);
  }
  remove_jobs(in, s, std::vector<std::size_t>(s.routes[used[rng.below(used.size())]].jobs));
}

}  // namespace

SearchSolution minimize_fleet(const Instance& in, SearchSolution start, Rng& rng, const Budget& budget, double until,
                              uint64_t& iteration) {
  SearchSolution best = start;
  if (best.score().vehicles <= 1 || !best.unassigned.empty()) return best;
  std::vector<uint64_t> absences(in.job_count(), 0);
  SearchSolution current = std::move(start);
  drop_route(in, current, rng);
  const RepairOptions repair{false, 0.01, 0};
  static constexpr InsertionOrder kOrders[] = {InsertionOrder::kRandom, InsertionOrder::kRandom,
                                               InsertionOrder::kDemand, InsertionOrder::kFar,
                                               InsertionOrder::kDueTime};
  while (budget.progress(iteration) < until && !budget.exhausted(iteration)) {
    ++iteration;
    SearchSolution candidate = current;
    string_removal(in, candidate, rng, 10);
    greedy_insertion(in, candidate, rng, kOrders[rng.below(std::size(kOrders))], repair);
    for (auto j : candidate.unassigned) ++absences[j];
    if (candidate.unassigned.size() < current.unassigned.size() ||
        absence_sum(absences, candidate.unassigned) < absence_sum(absences, current.unassigned)) {
      current = std::move(candidate);
    }
    if (current.unassigned.empty()) {
      local_search(in, current, rng, 5, [&budget] { return budget.out_of_time(); });
      best = current;
      if (best.score().vehicles <= 1) break;
      drop_route(in, current, rng);
    }
  }
  return best;
}

}  // namespace lastmile::optimize
