#include <algorithm>
#include <numeric>

#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {
namespace {

int64_t total_demand(const Job& j) {
  return std::accumulate(j.delivery.begin(), j.delivery.end(), int64_t{0}) +
         std::accumulate(j.pickup.begin(), j.pickup.end(), int64_t{0});
}

void order_jobs(const Instance& in, std::vector<std::size_t>& jobs, Rng& rng, InsertionOrder order) {
  for (std::size_t i = jobs.size(); i > 1; --i) std::swap(jobs[i - 1], jobs[rng.below(i)]);
  const auto& p = in.problem();
  const auto depot = p.vehicles.front().start ? p.vehicles.front().start : p.vehicles.front().end;
  auto far = [&](std::size_t j) { return in.cost(depot, p.jobs[j].location); };
  switch (order) {
    case InsertionOrder::kRandom: break;
    case InsertionOrder::kDemand:
      std::stable_sort(jobs.begin(), jobs.end(),
                       [&](auto a, auto b) { return total_demand(p.jobs[a]) > total_demand(p.jobs[b]); });
      break;
    case InsertionOrder::kFar:
      std::stable_sort(jobs.begin(), jobs.end(), [&](auto a, auto b) { return far(a) > far(b); });
      break;
    case InsertionOrder::kClose:
      std::stable_sort(jobs.begin(), jobs.end(), [&](auto a, auto b) { return far(a) < far(b); });
      break;
    case InsertionOrder::kDueTime:
      std::stable_sort(jobs.begin(), jobs.end(), [&](auto a, auto b) {
        return p.jobs[a].windows.back().end < p.jobs[b].windows.back().end;
      });
      break;
  }
}

}  // namespace

void greedy_insertion(const Instance& in, SearchSolution& s, Rng& rng, InsertionOrder order,
                      const RepairOptions& options) {
  std::vector<std::size_t> jobs;
  jobs.swap(s.unassigned);
  jobs = insertion_heads(in, std::move(jobs));  // a shipment's delivery half goes with its pickup half
  order_jobs(in, jobs, rng, order);
  for (auto job : jobs) {
    std::optional<Insertion> best;
    std::size_t best_route = 0;
    // Used routes first; an unused vehicle only when no used route can take the job.
    for (int pass = 0; pass < 2 && !best; ++pass) {
      if (pass == 1 && !options.allow_new_routes) break;
      const auto candidates = open_candidates(in, s, pass == 1);
      for (std::size_t r = 0; r < s.routes.size(); ++r) {
        if (!candidates[r] || s.routes[r].empty() != (pass == 1)) continue;
        const auto ins = best_in_route(in, s.routes[r], job, rng, pass == 0 ? options.blink_rate : 0.0);
        if (ins && (!best || ins->delta < best->delta)) {
          best = ins;
          best_route = r;
        }
      }
    }
    if (best) {
      insert_at(in, s.routes[best_route], job, *best);
    } else {
      leave_unassigned(in, s, job);
    }
  }
}

}  // namespace lastmile::optimize
