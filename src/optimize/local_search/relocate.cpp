#include "optimize/local_search/local_search.hpp"
#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {

bool relocate_pass(const Instance& in, SearchSolution& s, Rng& rng) {
  bool moved = false;
  for (std::size_t a = 0; a < s.routes.size(); ++a) {
    for (std::size_t k = 0; k < s.routes[a].jobs.size();) {
      const auto job = s.routes[a].jobs[k];
      // Taking the last job out of a route also saves a vehicle: always worth it when it fits elsewhere.
      const double gain = s.routes[a].jobs.size() == 1 ? 1e9 : -removal_delta(in, s.routes[a], k);
      std::optional<Insertion> best;
      std::size_t best_route = 0;
      for (std::size_t b = 0; b < s.routes.size(); ++b) {
        if (b == a || s.routes[b].empty()) continue;
        const auto ins = best_in_route(in, s.routes[b], job, rng, 0.0);
        if (ins && ins->delta < gain - 1e-7 && (!best || ins->delta < best->delta)) {
          best = ins;
          best_route = b;
        }
      }
      if (!best) {
        ++k;
        continue;
      }
      auto source = s.routes[a];
      source.jobs.erase(source.jobs.begin() + static_cast<std::ptrdiff_t>(k));
      if (!refresh(in, source)) {  // only without the triangle inequality
        ++k;
        continue;
      }
      s.routes[a] = std::move(source);
      insert_job(in, s.routes[best_route], job, best->pos);
      moved = true;
    }
  }
  return moved;
}

}  // namespace lastmile::optimize
