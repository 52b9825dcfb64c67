#include "optimize/time_pass.hpp"

#include <algorithm>
#include <limits>

namespace lastmile::optimize {

std::optional<double> break_start(const Break& b, double ready) {
  for (const auto& w : b.windows) {
    if (ready <= w.end) return std::max(ready, w.start);
  }
  return std::nullopt;
}

TimePassResult time_pass(const Instance& in, std::size_t vehicle, const std::vector<std::size_t>& jobs,
                         std::optional<std::size_t> extra, std::size_t extra_pos, bool want_breaks) {
  const auto& p = in.problem();
  const auto& veh = p.vehicles[vehicle];
  const auto& order = in.break_order(vehicle);
  const std::size_t nb = order.size();
  const std::size_t n = jobs.size() + (extra ? 1 : 0);
  auto job_at = [&](std::size_t k) -> std::size_t {
    if (!extra || k < extra_pos) return jobs[k];
    return k == extra_pos ? *extra : jobs[k - 1];
  };
  TimePassResult out;
  if (n == 0) {
    out.feasible = true;
    out.end_arrival = veh.shift.start;
    return out;
  }
  constexpr double kNever = std::numeric_limits<double>::infinity();
  // ready[m]: earliest time the vehicle is ready to go on with m breaks taken; late[m]: lateness so far.
  std::vector<double> ready(nb + 1, kNever), late(nb + 1, 0.0);
  std::vector<char> took;  // took[g * (nb + 1) + m]: state m at gap g reached by taking break m - 1 there
  if (want_breaks && nb > 0) took.assign((n + 1) * (nb + 1), 0);
  // Load on board at each gap, only when some break limits it.
  const bool limited = std::any_of(veh.breaks.begin(), veh.breaks.end(), [](const Break& b) { return !b.max_load.empty(); });
  Amount load;
  if (limited) {
    load.assign(in.dims(), 0);
    for (std::size_t k = 0; k < n; ++k) {  // single jobs' deliveries leave the start on board
      if (is_paired(p.jobs[job_at(k)])) continue;  // a shipment's amount is picked up on the way
      for (std::size_t i = 0; i < load.size(); ++i) load[i] += p.jobs[job_at(k)].delivery[i];
    }
  }
  ready[0] = veh.shift.start;
  std::optional<LocationIndex> at = veh.start;
  for (std::size_t g = 0;; ++g) {
    // Drive to the next stop (or the end) first: a break there is taken on arrival, before the service,
    // which is never later than taking it before leaving (and uses any waiting for the window).
    const std::optional<LocationIndex> next = g < n ? std::optional<LocationIndex>(p.jobs[job_at(g)].location) : veh.end;
    const double travel = in.travel(at, next);
    for (std::size_t m = 0; m <= nb; ++m) {
      if (ready[m] != kNever) ready[m] += travel;
    }
    for (std::size_t m = 0; m < nb; ++m) {
      if (ready[m] == kNever) continue;
      const auto& b = veh.breaks[order[m]];
      if (!b.max_load.empty()) {
        bool fits = true;
        for (std::size_t i = 0; i < load.size() && i < b.max_load.size(); ++i) fits = fits && load[i] <= b.max_load[i];
        if (!fits) continue;
      }
      const auto s = break_start(b, ready[m]);
      if (!s) continue;
      const double done = *s + b.service;
      if (done < ready[m + 1] || (done == ready[m + 1] && late[m] < late[m + 1])) {
        ready[m + 1] = done;
        late[m + 1] = late[m];
        if (!took.empty()) took[g * (nb + 1) + m + 1] = 1;
      }
    }
    if (g == n) break;
    const auto j = job_at(g);
    const auto& job = p.jobs[j];
    for (std::size_t m = 0; m <= nb; ++m) {
      if (ready[m] == kNever) continue;
      const auto start = in.earliest_start(j, ready[m]);
      if (!start) {
        ready[m] = kNever;
        continue;
      }
      late[m] += in.lateness(j, *start);
      ready[m] = *start + job.service;
    }
    if (limited) {
      for (std::size_t i = 0; i < load.size(); ++i) load[i] += job.pickup[i] - job.delivery[i];
    }
    at = job.location;
  }
  if (ready[nb] == kNever) return out;
  out.end_arrival = ready[nb];
  out.feasible = out.end_arrival <= veh.shift.end;
  out.lateness = late[nb];
  if (out.feasible && !took.empty()) {
    std::size_t g = n, m = nb;
    while (m > 0) {
      if (took[g * (nb + 1) + m]) {
        out.breaks.push_back({order[m - 1], g});
        --m;
      } else {
        --g;
      }
    }
    std::reverse(out.breaks.begin(), out.breaks.end());
  }
  return out;
}

}  // namespace lastmile::optimize
