#include "optimize/local_search/local_search.hpp"

namespace lastmile::optimize {
namespace {

bool same_end(const Instance& in, std::size_t va, std::size_t vb) {
  const auto& a = in.problem().vehicles[va];
  const auto& b = in.problem().vehicles[vb];
  return a.end == b.end && a.shift.end == b.shift.end;
}

// Departure time after the first `i` stops of r (the shift start when i == 0).
double departure_after(const Instance& in, const RouteState& r, std::size_t i) {
  if (i == 0) return in.problem().vehicles[r.vehicle].shift.start;
  return r.earliest[i - 1] + in.problem().jobs[r.jobs[i - 1]].service;
}

// Can the tail of `to` from position j follow the first i stops of `from` in time?
bool tail_fits(const Instance& in, const RouteState& from, std::size_t i, const RouteState& to, std::size_t j) {
  if (j == to.jobs.size()) {
    const auto& veh = in.problem().vehicles[from.vehicle];
    return departure_after(in, from, i) + in.travel(location_before(in, from, i), veh.end) <= veh.shift.end;
  }
  return departure_after(in, from, i) + in.travel(location_before(in, from, i), location_at(in, to, j)) <=
         to.latest[j];
}

}  // namespace

bool two_opt_star_pass(const Instance& in, SearchSolution& s) {
  bool moved = false;
  for (std::size_t a = 0; a < s.routes.size(); ++a) {
    for (std::size_t b = a + 1; b < s.routes.size(); ++b) {
      auto& ra = s.routes[a];
      auto& rb = s.routes[b];
      if (ra.empty() || rb.empty() || !same_end(in, ra.vehicle, rb.vehicle)) continue;
      bool done = false;
      for (std::size_t i = 0; i <= ra.jobs.size() && !done; ++i) {
        for (std::size_t j = 0; j <= rb.jobs.size() && !done; ++j) {
          if ((i == 0 && j == 0) || (i == ra.jobs.size() && j == rb.jobs.size())) continue;
          const auto a0 = location_before(in, ra, i), a1 = location_at(in, ra, i);
          const auto b0 = location_before(in, rb, j), b1 = location_at(in, rb, j);
          const double delta = in.cost(a0, b1) + in.cost(b0, a1) - in.cost(a0, a1) - in.cost(b0, b1);
          // Emptying a route (i == 0 with j at the end, or the reverse) saves a vehicle.
          const bool empties = (i == 0 && j == rb.jobs.size()) || (j == 0 && i == ra.jobs.size());
          if (delta > -1e-7 && !empties) continue;
          if (!tail_fits(in, ra, i, rb, j) || !tail_fits(in, rb, j, ra, i)) continue;
          RouteState na = ra, nb = rb;
          na.jobs.assign(ra.jobs.begin(), ra.jobs.begin() + static_cast<std::ptrdiff_t>(i));
          na.jobs.insert(na.jobs.end(), rb.jobs.begin() + static_cast<std::ptrdiff_t>(j), rb.jobs.end());
          nb.jobs.assign(rb.jobs.begin(), rb.jobs.begin() + static_cast<std::ptrdiff_t>(j));
          nb.jobs.insert(nb.jobs.end(), ra.jobs.begin() + static_cast<std::ptrdiff_t>(i), ra.jobs.end());
          if (!refresh(in, na) || !refresh(in, nb)) continue;
          if (!empties && na.cost + nb.cost >= ra.cost + rb.cost - 1e-7) continue;
          ra = std::move(na);
          rb = std::move(nb);
          moved = done = true;
        }
      }
    }
  }
  return moved;
}

}  // namespace lastmile::optimize
