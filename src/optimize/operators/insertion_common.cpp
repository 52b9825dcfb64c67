#include <vector>

#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {

std::optional<Insertion> best_in_route(const Instance& in, const RouteState& route, std::size_t job, Rng& rng,
                                       double blink_rate) {
  std::optional<Insertion> best;
  for (std::size_t pos = 0; pos <= route.jobs.size(); ++pos) {
    if (blink_rate > 0 && rng.real() < blink_rate) continue;
    const auto delta = insertion_delta(in, route, job, pos);
    if (delta && (!best || *delta < best->delta)) best = Insertion{*delta, pos};
  }
  return best;
}

void insert_job(const Instance& in, RouteState& route, std::size_t job, std::size_t pos) {
  route.jobs.insert(route.jobs.begin() + static_cast<std::ptrdiff_t>(pos), job);
  refresh(in, route);
}

std::vector<bool> open_candidates(const Instance& in, const SearchSolution& s, bool allow_new_routes) {
  std::vector<bool> out(s.routes.size(), false);
  std::vector<bool> class_seen(in.vehicle_count(), false);
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    if (!s.routes[r].empty()) {
      out[r] = true;
    } else if (allow_new_routes && !class_seen[in.vehicle_class(r)]) {
      class_seen[in.vehicle_class(r)] = true;
      out[r] = true;
    }
  }
  return out;
}

}  // namespace lastmile::optimize
