#include "optimize/local_search/local_search.hpp"

namespace lastmile::optimize {
namespace {

// Cost change of replacing the stop at pos of r by `job` (no feasibility check).
double replace_delta(const Instance& in, const RouteState& r, std::size_t pos, std::size_t job) {
  const auto before = location_before(in, r, pos), after = location_at(in, r, pos + 1);
  const auto old_loc = in.problem().jobs[r.jobs[pos]].location, new_loc = in.problem().jobs[job].location;
  return in.cost(before, new_loc) + in.cost(new_loc, after) - in.cost(before, old_loc) - in.cost(old_loc, after);
}

}  // namespace

bool swap_pass(const Instance& in, SearchSolution& s) {
  bool moved = false;
  for (std::size_t a = 0; a < s.routes.size(); ++a) {
    for (std::size_t b = a + 1; b < s.routes.size(); ++b) {
      if (s.routes[a].empty() || s.routes[b].empty()) continue;
      for (std::size_t i = 0; i < s.routes[a].jobs.size(); ++i) {
        for (std::size_t j = 0; j < s.routes[b].jobs.size(); ++j) {
          auto& ra = s.routes[a];
          auto& rb = s.routes[b];
          const auto ja = ra.jobs[i], jb = rb.jobs[j];
          if (replace_delta(in, ra, i, jb) + replace_delta(in, rb, j, ja) > -1e-7) continue;
          if (!in.compatible(ra.vehicle, jb) || !in.compatible(rb.vehicle, ja)) continue;
          RouteState na = ra, nb = rb;
          na.jobs[i] = jb;
          nb.jobs[j] = ja;
          if (!refresh(in, na) || !refresh(in, nb)) continue;
          ra = std::move(na);
          rb = std::move(nb);
          moved = true;
        }
      }
    }
  }
  return moved;
}

}  // namespace lastmile::optimize
