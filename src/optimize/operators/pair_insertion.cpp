// Shipments in the repair operators: both halves are inserted together into one route, the pickup first,
// with the shipment's amount on board from the pickup to the delivery.
#include <algorithm>
#include <vector>

#include "optimize/operators/repair.hpp"
#include "optimize/time_pass.hpp"

namespace lastmile::optimize {

// For each pickup position i (before stop i of the route), the pickup's service start from the departure
// of stop i - 1; then the delivery positions j = i, i + 1, ... in one forward sweep that carries the
// shifted schedule of the stops between (each must still start inside a window and by its cached latest
// start) and the maximum load between (each gains the amount). A delivery position is feasible when the
// stop after it is reached by its latest start (the shift end at the route's end). The sweep for i stops
// once a stop between misses its latest start or the capacity is exceeded: later j only add to both.
// On a timed vehicle (breaks, soft windows) these checks are a first filter: each candidate the sweep
// accepts and that could beat the best is then run through the full time pass (O(n) more per candidate),
// and with soft windows its cost includes the lateness it adds.
std::optional<Insertion> best_pair_in_route(const Instance& in, const RouteState& route, std::size_t job, Rng& rng,
                                            double blink_rate) {
  const auto& p = in.problem();
  const std::size_t pu = p.jobs[job].pickup_half ? job : *p.jobs[job].partner;
  const std::size_t de = *p.jobs[pu].partner;
  if (!in.compatible(route.vehicle, pu) || !in.compatible(route.vehicle, de)) return std::nullopt;
  const auto& veh = p.vehicles[route.vehicle];
  const auto& P = p.jobs[pu];
  const auto& D = p.jobs[de];
  const auto& amount = P.pickup;
  const auto n = route.jobs.size();
  const auto d = in.dims();
  for (std::size_t x = 0; x < d; ++x) {
    if (amount[x] > veh.capacity[x]) return std::nullopt;
  }
  const auto loc = [&](std::size_t k) { return p.jobs[route.jobs[k]].location; };
  const auto after_at = [&](std::size_t k) -> std::optional<LocationIndex> {
    return k < n ? std::optional<LocationIndex>(loc(k)) : veh.end;
  };
  const auto limit_at = [&](std::size_t k) { return k < n ? route.latest[k] : veh.shift.end; };
  std::optional<Insertion> best;
  std::optional<LocationIndex> before = veh.start;
  double departure = veh.shift.start;
  // Soft windows: a late pickup is allowed, so no position is too late for the pickup itself.
  const double last_close = in.soft_windows() ? veh.shift.end : P.windows.back().end;
  const bool timed = in.timed(route.vehicle);
  std::vector<std::size_t> candidate;  // the route with both halves in, for the time pass
  const auto with_pair = [&](std::size_t i, std::size_t j) -> const std::vector<std::size_t>& {
    candidate.assign(route.jobs.begin(), route.jobs.end());
    candidate.insert(candidate.begin() + static_cast<std::ptrdiff_t>(j), de);
    candidate.insert(candidate.begin() + static_cast<std::ptrdiff_t>(i), pu);
    return candidate;
  };
  for (std::size_t i = 0; i <= n; ++i) {
    if (i > 0) {
      departure = route.earliest[i - 1] + p.jobs[route.jobs[i - 1]].service;
      before = loc(i - 1);
    }
    if (departure > last_close) break;
    if (blink_rate > 0 && rng.real() < blink_rate) continue;
    const auto p_start = in.earliest_start(pu, departure + in.travel(before, P.location));
    if (!p_start) continue;
    const double p_departure = *p_start + P.service;
    // Cost of the pickup alone before old stop i (used when the delivery comes later).
    const double p_delta = in.cost(before, P.location) + in.cost(P.location, after_at(i)) - in.cost(before, after_at(i));
    // Sweep over delivery positions j: `t` is the departure from the stop before the delivery (the pickup
    // when j == i, else old stop j - 1, served later than before).
    double t = p_departure;
    std::optional<LocationIndex> prev = P.location;
    for (std::size_t j = i; j <= n; ++j) {
      // The leg leaving prev (old load[j]) carries the amount too.
      bool fits = true;
      for (std::size_t x = 0; x < d && fits; ++x) fits = route.load[j * d + x] + amount[x] <= veh.capacity[x];
      if (!fits) break;
      const auto d_start = in.earliest_start(de, t + in.travel(prev, D.location));
      if (d_start && *d_start + D.service + in.travel(D.location, after_at(j)) <= limit_at(j)) {
        const double delta =
            j == i ? in.cost(before, P.location) + in.cost(P.location, D.location) + in.cost(D.location, after_at(i)) -
                         in.cost(before, after_at(i))
                   : p_delta + in.cost(prev, D.location) + in.cost(D.location, after_at(j)) - in.cost(prev, after_at(j));
        if (!best || delta < best->delta) {
          if (!timed) {
            best = Insertion{delta, i, j};
          } else if (const auto pass = time_pass(in, route.vehicle, with_pair(i, j), std::nullopt, 0, false);
                     pass.feasible) {
            const double full = delta + in.lateness_penalty() * (pass.lateness - route.lateness);
            if (!best || full < best->delta) best = Insertion{full, i, j};
          }
        }
      }
      if (j == n) break;
      // Old stop j comes before the delivery: its shifted service start.
      const auto s = in.earliest_start(route.jobs[j], t + in.travel(prev, loc(j)));
      if (!s || *s > route.latest[j]) break;
      t = *s + p.jobs[route.jobs[j]].service;
      prev = loc(j);
    }
  }
  return best;
}

std::vector<std::size_t> insertion_heads(const Instance& in, std::vector<std::size_t> jobs) {
  std::erase_if(jobs, [&](std::size_t j) { return is_delivery_half(in.problem().jobs[j]); });
  return jobs;
}

void leave_unassigned(const Instance& in, SearchSolution& s, std::size_t job) {
  s.unassigned.push_back(job);
  const auto& j = in.problem().jobs[job];
  if (j.partner && j.pickup_half) s.unassigned.push_back(*j.partner);
}

void insert_at(const Instance& in, RouteState& route, std::size_t job, const Insertion& where) {
  const auto& j = in.problem().jobs[job];
  if (!j.partner) {
    insert_job(in, route, job, where.pos);
    return;
  }
  const std::size_t pu = j.pickup_half ? job : *j.partner;
  const std::size_t de = *in.problem().jobs[pu].partner;
  // The delivery first (its position counts in the old route), then the pickup before it.
  route.jobs.insert(route.jobs.begin() + static_cast<std::ptrdiff_t>(where.delivery_pos), de);
  route.jobs.insert(route.jobs.begin() + static_cast<std::ptrdiff_t>(where.pos), pu);
  refresh(in, route);
}

}  // namespace lastmile::optimize
