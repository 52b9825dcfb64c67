#include "optimize/fleet_minimizer.hpp"

#include "optimize/local_search/local_search.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize/route_eliminator.hpp"

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
                              uint64_t& iteration, const FleetOptions& options) {
  SearchSolution best = std::move(start);
  if (best.score().vehicles <= 1 || !best.unassigned.empty()) return best;
  const auto bound = vehicle_lower_bound(in, best);
  if (best.score().vehicles <= bound) return best;
  // First the ejection-pool eliminator (fast on most instances), then SISR-style ruin and recreate from
  // its result (it finds some counts the eliminator misses, e.g. R108's 9).
  const auto stop = [&] { return budget.progress(iteration) >= until || budget.exhausted(iteration); };
  if (options.ejection_attempts > 0) {
    std::vector<uint64_t> penalty(in.job_count(), 1);
    std::size_t failures = 0;
    while (best.score().vehicles > bound && failures < options.ejection_attempts && !stop()) {
      std::vector<std::size_t> used;
      for (std::size_t r = 0; r < best.routes.size(); ++r) {
        if (!best.routes[r].empty()) used.push_back(r);
      }
      SearchSolution candidate = best;
      if (eliminate_route(in, candidate, used[rng.below(used.size())], rng, penalty, options.ejection_steps,
                          iteration, stop)) {
        local_search(in, candidate, rng, 5, [&budget] { return budget.out_of_time(); });
        best = std::move(candidate);
        failures = 0;
      } else {
        ++failures;
      }
    }
    if (best.score().vehicles <= bound) return best;
  }
  std::vector<uint64_t> absences(in.job_count(), 0);
  SearchSolution current = best;
  drop_route(in, current, rng);
  const RepairOptions repair{false, 0.01, 0};
  static constexpr InsertionOrder kOrders[] = {InsertionOrder::kRandom, InsertionOrder::kRandom,
                                               InsertionOrder::kDemand, InsertionOrder::kFar,
                                               InsertionOrder::kDueTime};
  double last_gain = budget.progress(iteration);
  while (budget.progress(iteration) < until && !budget.exhausted(iteration)) {
    if (options.stall_share > 0 && budget.progress(iteration) - last_gain >= options.stall_share) break;
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
      last_gain = budget.progress(iteration);
      if (best.score().vehicles <= bound) break;
      drop_route(in, current, rng);
    }
  }
  return best;
}

}  // namespace lastmile::optimize
