#include "optimize/local_search/local_search.hpp"
#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {

bool relocate_pass(const Instance& in, SearchSolution& s, Rng& rng) {
  bool moved = false;
  for (std::size_t a = 0; a < s.routes.size(); ++a) {
    for (std::size_t k = 0; k < s.routes[a].jobs.size();) {
      const auto job = s.routes[a].jobs[k];
      const auto& jd = in.problem().jobs[job];
      if (is_delivery_half(jd)) {  // moves with its pickup half
        ++k;
        continue;
      }
      // A shipment moves as a pair: the route without both halves.
      std::optional<RouteState> without_pair;
      if (is_paired(jd)) {
        without_pair = s.routes[a];
        std::erase_if(without_pair->jobs, [&](std::size_t j) { return j == job || j == *jd.partner; });
        if (!refresh(in, *without_pair)) {
          ++k;
          continue;
        }
      }
      // Taking the last job out of a route also saves a vehicle: always worth it when it fits elsewhere.
      const double gain = without_pair ? (without_pair->empty() ? 1e9 : s.routes[a].cost - without_pair->cost)
                          : s.routes[a].jobs.size() == 1 ? 1e9
                                                         : -removal_delta(in, s.routes[a], k);
      std::optional<Insertion> best;
      std::size_t best_route = 0;
      for (std::size_t b = 0; b < s.routes.size(); ++b) {
        // A shipment may also move within its own route (both halves out, the best pair insertion back).
        const bool own = b == a && without_pair && !without_pair->empty();
        if ((b == a && !own) || s.routes[b].empty()) continue;
        const auto ins = best_in_route(in, own ? *without_pair : s.routes[b], job, rng, 0.0);
        if (ins && ins->delta < gain - 1e-7 && (!best || ins->delta < best->delta)) {
          best = ins;
          best_route = b;
        }
      }
      if (!best) {
        ++k;
        continue;
      }
      if (without_pair) {
        s.routes[a] = std::move(*without_pair);
        insert_at(in, s.routes[best_route], job, *best);  // best_route == a: into the route without the pair
        moved = true;
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
