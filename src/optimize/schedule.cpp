#include "optimize/schedule.hpp"

#include <algorithm>

namespace lastmile::optimize {
namespace {

double travel(const Problem& p, std::optional<LocationIndex> a, std::optional<LocationIndex> b, bool distance) {
  if (!a || !b) return 0;
  return distance ? p.matrix.distance(*a, *b) : p.matrix.duration(*a, *b);
}

}  // namespace

Schedule schedule(const Problem& p, const Solution& solution) {
  Schedule out;
  const auto dims = p.vehicles.empty() ? 0 : p.vehicles.front().capacity.size();
  for (std::size_t v = 0; v < solution.routes.size(); ++v) {
    const auto& jobs = solution.routes[v];
    if (jobs.empty()) continue;
    const auto& veh = p.vehicles[v];
    ScheduledRoute r;
    r.vehicle = v;
    r.departure = veh.shift.start;
    r.start_load.assign(dims, 0);
    for (auto j : jobs) {
      if (is_paired(p.jobs[j])) continue;  // a shipment's amount is loaded at its pickup
      for (std::size_t i = 0; i < dims; ++i) r.start_load[i] += p.jobs[j].delivery[i];
    }
    Amount load = r.start_load;
    double t = r.departure;
    std::optional<LocationIndex> at = veh.start;
    static const std::vector<BreakPlacement> kNone;
    const auto& placed = v < solution.breaks.size() ? solution.breaks[v] : kNone;
    std::size_t next_break = 0;
    auto take_breaks = [&](std::size_t gap) {
      for (; next_break < placed.size() && placed[next_break].gap == gap; ++next_break) {
        const auto& b = veh.breaks[placed[next_break].brk];
        ScheduledBreak sb;
        sb.brk = placed[next_break].brk;
        sb.gap = gap;
        sb.arrival = t;
        sb.start = t;
        for (const auto& w : b.windows) {
          if (t <= w.end) {
            sb.start = std::max(t, w.start);
            break;
          }
        }
        sb.waiting = sb.start - sb.arrival;
        sb.travel_so_far = r.travel;
        sb.distance_so_far = r.distance;
        sb.load = load;
        r.service += b.service;
        r.waiting += sb.waiting;
        t = sb.start + b.service;
        r.breaks.push_back(std::move(sb));
      }
    };
    std::size_t gap = 0;
    for (auto j : jobs) {
      const auto& job = p.jobs[j];
      ScheduledStop s;
      s.job = j;
      r.travel += travel(p, at, job.location, false);
      r.distance += travel(p, at, job.location, true);
      t += travel(p, at, job.location, false);
      take_breaks(gap++);  // on arrival, before the service: the stop's arrival is then the break's end
      s.arrival = t;
      s.start = s.arrival;
      for (const auto& w : job.windows) {
        if (s.arrival <= w.end) {
          s.start = std::max(s.arrival, w.start);
          break;
        }
      }
      s.waiting = s.start - s.arrival;
      s.lateness = std::max(0.0, s.start - job.windows.back().end);
      r.lateness += s.lateness;
      s.travel_so_far = r.travel;
      s.distance_so_far = r.distance;
      for (std::size_t i = 0; i < dims; ++i) load[i] += job.pickup[i] - job.delivery[i];
      s.load = load;
      r.service += job.service;
      r.waiting += s.waiting;
      t = s.start + job.service;
      at = job.location;
      r.stops.push_back(std::move(s));
    }
    r.travel += travel(p, at, veh.end, false);
    r.distance += travel(p, at, veh.end, true);
    t += travel(p, at, veh.end, false);
    take_breaks(gap);
    r.end_arrival = t;
    out.travel += r.travel;
    out.distance += r.distance;
    out.service += r.service;
    out.waiting += r.waiting;
    out.lateness += r.lateness;
    out.routes.push_back(std::move(r));
  }
  return out;
}

}  // namespace lastmile::optimize
