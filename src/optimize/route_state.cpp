#include "optimize/route_state.hpp"

#include <algorithm>

#include "optimize/time_pass.hpp"

namespace lastmile::optimize {

bool pairs_in_order(const Instance& in, const std::vector<std::size_t>& jobs) {
  // Stamps per job (one array per thread, reused): stamp[j] == generation when j was seen in this call.
  thread_local std::vector<uint64_t> stamp;
  thread_local uint64_t generation = 0;
  const auto& p = in.problem();
  bool any = false;
  for (auto j : jobs) any = any || is_paired(p.jobs[j]);
  if (!any) return true;
  if (stamp.size() < p.jobs.size()) stamp.assign(p.jobs.size(), 0);
  ++generation;
  std::size_t open = 0;  // pickups seen whose delivery has not come yet
  for (auto j : jobs) {
    const auto& job = p.jobs[j];
    if (!is_paired(job)) continue;
    if (job.pickup_half) {
      ++open;
    } else {
      if (stamp[*job.partner] != generation) return false;  // delivery before (or without) its pickup
      --open;
    }
    stamp[j] = generation;
  }
  return open == 0;  // else a pickup without its delivery
}

bool refresh(const Instance& in, RouteState& r) {
  const auto& p = in.problem();
  const auto& veh = p.vehicles[r.vehicle];
  const auto n = r.jobs.size();
  const auto d = in.dims();
  r.earliest.assign(n, 0);
  r.latest.assign(n, 0);
  r.feasible = true;
  r.cost = 0;
  r.lateness = 0;
  r.breaks.clear();
  if (n == 0) {
    r.load.assign(d, 0);
    r.prefix_max = r.load;
    r.suffix_max = r.load;
    return true;
  }
  // Forward: times and cost.
  double departure = veh.shift.start;
  std::optional<LocationIndex> at = veh.start;
  for (std::size_t k = 0; k < n; ++k) {
    const auto& job = p.jobs[r.jobs[k]];
    if (!in.compatible(r.vehicle, r.jobs[k])) r.feasible = false;
    r.cost += in.cost(at, job.location);
    const auto start = in.earliest_start(r.jobs[k], departure + in.travel(at, job.location));
    if (!start) {
      r.feasible = false;
      r.earliest[k] = departure + in.travel(at, job.location);
    } else {
      r.earliest[k] = *start;
    }
    departure = r.earliest[k] + job.service;
    at = job.location;
  }
  r.cost += in.cost(at, veh.end);
  if (departure + in.travel(at, veh.end) > veh.shift.end) r.feasible = false;
  // Backward: latest starts.
  double bound = veh.shift.end - in.travel(p.jobs[r.jobs[n - 1]].location, veh.end) - p.jobs[r.jobs[n - 1]].service;
  for (std::size_t k = n; k-- > 0;) {
    const auto latest = in.latest_start(r.jobs[k], bound);
    r.latest[k] = latest ? *latest : -1e300;
    if (k > 0) {
      const auto& prev = p.jobs[r.jobs[k - 1]];
      bound = r.latest[k] - in.travel(prev.location, p.jobs[r.jobs[k]].location) - prev.service;
    }
  }
  // Shipments: both halves here, the pickup first.
  if (!pairs_in_order(in, r.jobs)) r.feasible = false;
  // Loads: the single jobs' deliveries leave the start on board (a shipment's is picked up on the way).
  r.load.assign((n + 1) * d, 0);
  for (std::size_t k = 0; k < n; ++k) {
    if (is_paired(p.jobs[r.jobs[k]])) continue;
    for (std::size_t i = 0; i < d; ++i) r.load[i] += p.jobs[r.jobs[k]].delivery[i];
  }
  for (std::size_t k = 0; k < n; ++k) {
    const auto& job = p.jobs[r.jobs[k]];
    for (std::size_t i = 0; i < d; ++i) {
      r.load[(k + 1) * d + i] = r.load[k * d + i] - job.delivery[i] + job.pickup[i];
    }
  }
  r.prefix_max = r.load;
  r.suffix_max = r.load;
  for (std::size_t k = 1; k <= n; ++k) {
    for (std::size_t i = 0; i < d; ++i) {
      r.prefix_max[k * d + i] = std::max(r.prefix_max[(k - 1) * d + i], r.load[k * d + i]);
    }
  }
  for (std::size_t k = n; k-- > 0;) {
    for (std::size_t i = 0; i < d; ++i) {
      r.suffix_max[k * d + i] = std::max(r.suffix_max[(k + 1) * d + i], r.load[k * d + i]);
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    if (r.prefix_max[n * d + i] > veh.capacity[i]) r.feasible = false;
  }
  if (in.timed(r.vehicle)) {
    auto pass = time_pass(in, r.vehicle, r.jobs, std::nullopt, 0, true);
    if (!pass.feasible) r.feasible = false;
    r.lateness = pass.lateness;
    r.breaks = std::move(pass.breaks);
    r.cost += in.lateness_penalty() * r.lateness;
  }
  return r.feasible;
}

std::optional<double> insertion_delta(const Instance& in, const RouteState& r, std::size_t job, std::size_t pos) {
  if (!in.compatible(r.vehicle, job)) return std::nullopt;
  const auto& p = in.problem();
  const auto& veh = p.vehicles[r.vehicle];
  const auto& j = p.jobs[job];
  const auto d = in.dims();
  const auto n = r.jobs.size();
  // Capacity: loads up to the stop before gain the delivery, loads from there on gain the pickup.
  for (std::size_t i = 0; i < d; ++i) {
    if (n == 0) {
      if (j.delivery[i] > veh.capacity[i] || j.pickup[i] > veh.capacity[i]) return std::nullopt;
      continue;
    }
    if (r.prefix_max[pos * d + i] + j.delivery[i] > veh.capacity[i]) return std::nullopt;
    if (r.suffix_max[pos * d + i] + j.pickup[i] > veh.capacity[i]) return std::nullopt;
  }
  // Time.
  const auto before = location_before(in, r, pos);
  const auto after = location_at(in, r, pos);
  const double departure = pos == 0 ? veh.shift.start : r.earliest[pos - 1] + p.jobs[r.jobs[pos - 1]].service;
  const auto start = in.earliest_start(job, departure + in.travel(before, j.location));
  if (!start) return std::nullopt;
  const double next_arrival = *start + j.service + in.travel(j.location, after);
  if (pos == n) {
    if (next_arrival > veh.shift.end) return std::nullopt;
  } else if (next_arrival > r.latest[pos]) {
    return std::nullopt;
  }
  const double arcs = in.cost(before, j.location) + in.cost(j.location, after) - in.cost(before, after);
  if (in.timed(r.vehicle)) {
    const auto pass = time_pass(in, r.vehicle, r.jobs, job, pos, false);
    if (!pass.feasible) return std::nullopt;
    return arcs + in.lateness_penalty() * (pass.lateness - r.lateness);
  }
  return arcs;
}

double removal_delta(const Instance& in, const RouteState& r, std::size_t pos) {
  const auto loc = in.problem().jobs[r.jobs[pos]].location;
  const auto before = location_before(in, r, pos);
  const auto after = location_at(in, r, pos + 1);
  return in.cost(before, after) - in.cost(before, loc) - in.cost(loc, after);
}

}  // namespace lastmile::optimize
