#include <vector>

#include "optimize/operators/repair.hpp"
#include "optimize/time_pass.hpp"

namespace lastmile::optimize {

// The same checks as insertion_delta, in one sweep along the route: the departure from the stop before
// each position is carried forward, and the sweep stops once that departure is past the job's last
// window (departures only grow along a route).
std::optional<Insertion> best_in_route(const Instance& in, const RouteState& route, std::size_t job, Rng& rng,
                                       double blink_rate) {
  if (is_paired(in.problem().jobs[job])) return best_pair_in_route(in, route, job, rng, blink_rate);
  if (!in.compatible(route.vehicle, job)) return std::nullopt;
  const auto& p = in.problem();
  const auto& veh = p.vehicles[route.vehicle];
  const auto& j = p.jobs[job];
  const auto n = route.jobs.size();
  const auto d = in.dims();
  // Soft windows: a late start is allowed, so no position is too late for the job itself.
  const double last_close = in.soft_windows() ? veh.shift.end : j.windows.back().end;
  const bool timed = in.timed(route.vehicle);  // breaks or soft windows: the full time pass decides
  // Load maxima only grow with the prefix and shrink with the suffix: when the smallest prefix maximum
  // (the start load) cannot take the delivery, or the smallest suffix maximum (the end load) the pickup,
  // no position can.
  for (std::size_t i = 0; i < d; ++i) {
    if (route.prefix_max[i] + j.delivery[i] > veh.capacity[i] || route.suffix_max[n * d + i] + j.pickup[i] > veh.capacity[i]) {
      return std::nullopt;
    }
  }
  std::optional<Insertion> best;
  std::optional<LocationIndex> before = veh.start;
  double departure = veh.shift.start;
  for (std::size_t pos = 0; pos <= n; ++pos) {
    if (departure > last_close) break;
    const std::optional<LocationIndex> after = pos < n ? std::optional<LocationIndex>(p.jobs[route.jobs[pos]].location) : veh.end;
    if (blink_rate <= 0 || rng.real() >= blink_rate) {
      bool fits = true;
      for (std::size_t i = 0; i < d && fits; ++i) {
        fits = route.prefix_max[pos * d + i] + j.delivery[i] <= veh.capacity[i] &&
               route.suffix_max[pos * d + i] + j.pickup[i] <= veh.capacity[i];
      }
      if (fits) {
        const double delta = in.cost(before, j.location) + in.cost(j.location, after) - in.cost(before, after);
        if (!best || delta < best->delta) {
          const auto start = in.earliest_start(job, departure + in.travel(before, j.location));
          if (start) {
            const double next_arrival = *start + j.service + in.travel(j.location, after);
            if (next_arrival <= (pos == n ? veh.shift.end : route.latest[pos])) {
              if (!timed) {
                best = Insertion{delta, pos, 0};
              } else if (const auto pass = time_pass(in, route.vehicle, route.jobs, job, pos, false); pass.feasible) {
                const double full = delta + in.lateness_penalty() * (pass.lateness - route.lateness);
                if (!best || full < best->delta) best = Insertion{full, pos, 0};
              }
            }
          }
        }
      }
    }
    if (pos < n) {
      departure = route.earliest[pos] + p.jobs[route.jobs[pos]].service;
      before = after;
    }
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
