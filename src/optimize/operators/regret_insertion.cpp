#include <algorithm>
#include <limits>

#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {
namespace {

constexpr double kOpenRoute = 1e9;   // added to an insertion that opens a route: vehicles come first
constexpr double kMissing = 1e12;    // the cost of a k-th option that does not exist
constexpr double kNone = std::numeric_limits<double>::infinity();

}  // namespace

void regret_insertion(const Instance& in, SearchSolution& s, Rng& rng, std::size_t k, const RepairOptions& options,
                      const std::function<bool()>& stop) {
  const auto stopped = [&stop] { return stop && stop(); };
  const RepairOptions cheap{options.allow_new_routes, 0, 0};
  // Already out of time: not even the tables (jobs × routes entries, ~100 MB for 3000 jobs and 1000
  // vehicles) are built.
  if (stopped()) {
    greedy_insertion(in, s, rng, InsertionOrder::kDueTime, cheap);
    return;
  }
  bool cut = false;  // `stop` answered true: the rest goes in greedily
  std::vector<std::size_t> jobs;
  jobs.swap(s.unassigned);
  jobs = insertion_heads(in, std::move(jobs));  // a shipment's delivery half goes with its pickup half
  const auto nr = s.routes.size();
  // cache[i * nr + r]: cheapest (noisy) cost of jobs[i] in route r and its position; kNone when infeasible.
  std::vector<double> cost(jobs.size() * nr, kNone);
  std::vector<Insertion> where(jobs.size() * nr);
  auto candidates = open_candidates(in, s, options.allow_new_routes);
  auto fill = [&](std::size_t i, std::size_t r) {
    cost[i * nr + r] = kNone;
    if (!candidates[r]) return;
    const auto ins = best_in_route(in, s.routes[r], jobs[i], rng, 0.0);
    if (!ins) return;
    double c = ins->delta;
    if (options.noise > 0) c *= 1.0 + options.noise * (2.0 * rng.real() - 1.0);
    if (s.routes[r].empty()) c += kOpenRoute;
    cost[i * nr + r] = c;
    where[i * nr + r] = *ins;
  };
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (stopped()) {
      cut = true;
      break;
    }
    for (std::size_t r = 0; r < nr; ++r) fill(i, r);
  }
  std::vector<bool> done(jobs.size(), false);
  std::vector<double> best_k(k);
  for (std::size_t step = 0; step < jobs.size() && !cut; ++step) {
    if (stopped()) {
      cut = true;
      break;
    }
    std::size_t pick = jobs.size(), pick_route = 0;
    double pick_regret = -1, pick_cost = kNone;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (done[i]) continue;
      std::fill(best_k.begin(), best_k.end(), kMissing);
      std::size_t route = nr;
      for (std::size_t r = 0; r < nr; ++r) {
        const double c = cost[i * nr + r];
        if (c == kNone) continue;
        if (c < best_k[0]) route = r;
        for (std::size_t t = 0; t < k; ++t) {
          if (c < best_k[t]) {
            std::copy_backward(best_k.begin() + static_cast<std::ptrdiff_t>(t), best_k.end() - 1, best_k.end());
            best_k[t] = c;
            break;
          }
        }
      }
      if (route == nr) continue;  // fits nowhere now
      double regret = 0;
      for (std::size_t t = 1; t < k; ++t) regret += best_k[t] - best_k[0];
      if (regret > pick_regret || (regret == pick_regret && best_k[0] < pick_cost)) {
        pick = i;
        pick_route = route;
        pick_regret = regret;
        pick_cost = best_k[0];
      }
    }
    if (pick == jobs.size()) break;
    done[pick] = true;
    const bool opened = s.routes[pick_route].empty();
    insert_at(in, s.routes[pick_route], jobs[pick], where[pick * nr + pick_route]);
    if (opened) {
      candidates = open_candidates(in, s, options.allow_new_routes);
      for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (done[i]) continue;
        for (std::size_t r = 0; r < nr; ++r) {
          if (s.routes[r].empty()) fill(i, r);
        }
      }
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (!done[i]) fill(i, pick_route);
    }
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!done[i]) leave_unassigned(in, s, jobs[i]);
  }
  // Out of time: one cheap insertion per job left (O(routes × route length) each, no regret table).
  if (cut && !s.unassigned.empty()) {
    greedy_insertion(in, s, rng, InsertionOrder::kDueTime, cheap);
  }
}

}  // namespace lastmile::optimize
