#include "optimize/operators/removal.hpp"

namespace lastmile::optimize {

void route_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t /*q*/) {
  std::vector<std::size_t> used;
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    if (!s.routes[r].empty()) used.push_back(r);
  }
  if (used.empty()) return;
  std::size_t pick = used[rng.below(used.size())];
  for (int t = 0; t < 2; ++t) {
    const auto other = used[rng.below(used.size())];
    if (s.routes[other].jobs.size() < s.routes[pick].jobs.size()) pick = other;
  }
  remove_jobs(in, s, std::vector<std::size_t>(s.routes[pick].jobs));
}

}  // namespace lastmile::optimize
