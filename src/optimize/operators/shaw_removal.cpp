#include <algorithm>
#include <cmath>
#include <numeric>

#include "optimize/operators/removal.hpp"

namespace lastmile::optimize {

void shaw_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q) {
  auto pool = assigned_jobs(s);
  if (pool.empty()) return;
  const auto& p = in.problem();
  double max_dist = 1e-9, horizon = 1e-9, max_demand = 1e-9;
  for (auto j : pool) {
    max_dist = std::max(max_dist, p.matrix.distance(p.jobs[pool[0]].location, p.jobs[j].location));
    horizon = std::max(horizon, p.jobs[j].windows.front().start);
    max_demand = std::max(max_demand, static_cast<double>(std::accumulate(p.jobs[j].delivery.begin(),
                                                                          p.jobs[j].delivery.end(), int64_t{0})));
  }
  auto demand = [&](std::size_t j) {
    return static_cast<double>(std::accumulate(p.jobs[j].delivery.begin(), p.jobs[j].delivery.end(), int64_t{0}));
  };
  auto related = [&](std::size_t a, std::size_t b) {
    return 9.0 * p.matrix.distance(p.jobs[a].location, p.jobs[b].location) / max_dist +
           3.0 * std::abs(p.jobs[a].windows.front().start - p.jobs[b].windows.front().start) / horizon +
           2.0 * std::abs(demand(a) - demand(b)) / max_demand;
  };
  q = std::min(q, pool.size());
  std::vector<std::size_t> chosen;
  const auto first = rng.below(pool.size());
  chosen.push_back(pool[first]);
  pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(first));
  while (chosen.size() < q) {
    const auto ref = chosen[rng.below(chosen.size())];
    std::vector<std::pair<double, std::size_t>> ranked;
    ranked.reserve(pool.size());
    for (auto j : pool) ranked.emplace_back(related(ref, j), j);
    const auto idx = static_cast<std::size_t>(std::pow(rng.real(), 6.0) * static_cast<double>(pool.size()));
    std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(idx), ranked.end());
    const auto pick = ranked[idx].second;
    chosen.push_back(pick);
    std::erase(pool, pick);
  }
  remove_jobs(in, s, chosen);
}

}  // namespace lastmile::optimize
