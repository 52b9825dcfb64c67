#include "optimize/feasibility_checker.hpp"

#include <algorithm>

namespace lastmile::optimize {
namespace {

constexpr double kTolerance = 1e-6;

void check_route(const Problem& p, std::size_t v, const std::vector<std::size_t>& route,
                 const std::vector<BreakPlacement>& breaks, FeasibilityReport& report) {
  const auto& veh = p.vehicles[v];
  const bool soft = p.objective.lateness_penalty.has_value();
  // Breaks: each of the vehicle's breaks listed once, at a gap of the route, gaps in route order.
  std::vector<int> taken(veh.breaks.size(), 0);
  std::vector<const BreakPlacement*> usable;
  std::size_t last_gap = 0;
  for (const auto& b : breaks) {
    if (b.brk >= veh.breaks.size() || b.gap > route.size() || b.gap < last_gap || ++taken[b.brk] > 1) {
      report.violations.push_back({ViolationKind::kBreak, v, route.front(),
                                   "break placement " + std::to_string(b.brk) + " at gap " + std::to_string(b.gap) +
                                       " is unknown, repeated or out of order"});
      continue;
    }
    last_gap = b.gap;
    usable.push_back(&b);
  }
  for (std::size_t b = 0; b < veh.breaks.size(); ++b) {
    if (taken[b] == 0) {
      report.violations.push_back({ViolationKind::kBreak, v, route.front(),
                                   "break " + std::to_string(veh.breaks[b].id.value) + " is not taken"});
    }
  }
  std::size_t next_break = 0;
  const auto dims = veh.capacity.size();
  // Load on board when leaving the depot: every delivery of the route's single jobs. A shipment's amount
  // comes on board at its pickup (the pickup half's `pickup`) and leaves at its delivery.
  std::vector<int64_t> load(dims, 0);
  for (auto j : route) {
    if (p.jobs[j].partner) continue;
    for (std::size_t i = 0; i < dims; ++i) load[i] += p.jobs[j].delivery[i];
  }
  auto check_load = [&](std::size_t job) {
    for (std::size_t i = 0; i < dims; ++i) {
      if (load[i] > veh.capacity[i]) {
        report.violations.push_back({ViolationKind::kCapacity, v, job,
                                     "load " + std::to_string(load[i]) + " > capacity " +
                                         std::to_string(veh.capacity[i]) + " in dimension " + std::to_string(i)});
      }
    }
  };
  check_load(route.front());
  double clock = veh.shift.start;
  bool placed = veh.start.has_value();  // false until the route has a location (no start depot)
  std::size_t here = veh.start ? veh.start->value : 0;
  const auto n = p.matrix.size;
  // Takes the breaks placed at gap `gap` where the vehicle has just arrived, at `clock`.
  auto take_breaks = [&](std::size_t gap) {
    for (; next_break < usable.size() && usable[next_break]->gap == gap; ++next_break) {
      const auto& b = veh.breaks[usable[next_break]->brk];
      for (std::size_t i = 0; i < b.max_load.size() && i < load.size(); ++i) {
        if (load[i] > b.max_load[i]) {
          report.violations.push_back({ViolationKind::kBreak, v, route.front(),
                                       "break " + std::to_string(b.id.value) + " taken with load " +
                                           std::to_string(load[i]) + " > max_load " + std::to_string(b.max_load[i])});
        }
      }
      bool inside = false;
      for (const auto& w : b.windows) {
        if (clock <= w.end + kTolerance) {
          clock = std::max(clock, w.start) + b.service;
          inside = true;
          break;
        }
      }
      if (!inside) {
        report.violations.push_back({ViolationKind::kBreak, v, route.front(),
                                     "break " + std::to_string(b.id.value) + " ready at " + std::to_string(clock) +
                                         " after its last window closes"});
        clock += b.service;
      }
    }
  };
  std::size_t gap = 0;
  for (auto j : route) {
    const auto& job = p.jobs[j];
    for (auto skill : job.skills) {
      if (std::find(veh.skills.begin(), veh.skills.end(), skill) == veh.skills.end()) {
        report.violations.push_back({ViolationKind::kSkills, v, j, "missing skill " + std::to_string(skill)});
      }
    }
    const auto there = job.location.value;
    if (placed) {
      clock += p.matrix.durations[here * n + there];
      report.distance += p.matrix.distances[here * n + there];
      report.duration += p.matrix.durations[here * n + there];
    }
    take_breaks(gap++);  // on arrival, before the service
    bool served = false;
    for (const auto& w : job.windows) {
      if (clock <= w.end + kTolerance) {
        clock = std::max(clock, w.start);
        served = true;
        break;
      }
    }
    if (!served && soft) {
      report.lateness += clock - job.windows.back().end;
    } else if (!served) {
      report.violations.push_back({ViolationKind::kTimeWindow, v, j,
                                   "arrives at " + std::to_string(clock) + " after its last window closes"});
    }
    clock += job.service;
    for (std::size_t i = 0; i < dims; ++i) load[i] += job.pickup[i] - job.delivery[i];
    check_load(j);
    here = there;
    placed = true;
  }
  if (veh.end) {
    clock += p.matrix.durations[here * n + veh.end->value];
    report.distance += p.matrix.distances[here * n + veh.end->value];
    report.duration += p.matrix.durations[here * n + veh.end->value];
  }
  take_breaks(gap);  // after the last job: at the end (or where the last job was)
  if (clock > veh.shift.end + kTolerance) {
    report.violations.push_back({ViolationKind::kShiftEnd, v, route.back(),
                                 "route ends at " + std::to_string(clock) + " after the shift end " +
                                     std::to_string(veh.shift.end)});
  }
}

}  // namespace

std::string_view kind_name(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::kWrongRouteCount: return "wrong_route_count";
    case ViolationKind::kUnknownJob: return "unknown_job";
    case ViolationKind::kJobMissing: return "job_missing";
    case ViolationKind::kJobRepeated: return "job_repeated";
    case ViolationKind::kTimeWindow: return "time_window";
    case ViolationKind::kShiftEnd: return "shift_end";
    case ViolationKind::kCapacity: return "capacity";
    case ViolationKind::kSkills: return "skills";
    case ViolationKind::kShipmentSplit: return "shipment_split";
    case ViolationKind::kPrecedence: return "precedence";
    case ViolationKind::kBreak: return "break";
  }
  return "unknown";
}

FeasibilityReport check_feasibility(const Problem& p, const Solution& s) {
  FeasibilityReport report;
  if (s.routes.size() != p.vehicles.size()) {
    report.violations.push_back({ViolationKind::kWrongRouteCount, 0, 0,
                                 std::to_string(s.routes.size()) + " routes for " +
                                     std::to_string(p.vehicles.size()) + " vehicles"});
    return report;
  }
  std::vector<int> seen(p.jobs.size(), 0);
  bool bad_index = false;
  auto note = [&](std::size_t v, std::size_t j) {
    if (j >= p.jobs.size()) {
      report.violations.push_back({ViolationKind::kUnknownJob, v, j, "job index out of range"});
      bad_index = true;
      return;
    }
    if (++seen[j] == 2) report.violations.push_back({ViolationKind::kJobRepeated, v, j, "job appears twice"});
  };
  for (std::size_t v = 0; v < s.routes.size(); ++v) {
    for (auto j : s.routes[v]) note(v, j);
  }
  for (auto j : s.unassigned) note(0, j);
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    if (seen[j] == 0) report.violations.push_back({ViolationKind::kJobMissing, 0, j, "job neither routed nor unassigned"});
  }
  if (bad_index) return report;
  // Shipments: where each half is (route, position; unassigned is route kNone).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> route_of(p.jobs.size(), kNone), index_in(p.jobs.size(), 0);
  for (std::size_t v = 0; v < s.routes.size(); ++v) {
    for (std::size_t k = 0; k < s.routes[v].size(); ++k) {
      route_of[s.routes[v][k]] = v;
      index_in[s.routes[v][k]] = k;
    }
  }
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    const auto& job = p.jobs[j];
    if (!job.partner || !job.pickup_half || *job.partner >= p.jobs.size() || seen[j] == 0) continue;
    const auto d = *job.partner;
    if (route_of[j] != route_of[d]) {
      report.violations.push_back({ViolationKind::kShipmentSplit, route_of[j] == kNone ? route_of[d] : route_of[j], j,
                                   "pickup and delivery " + std::to_string(d) + " not in the same route"});
    } else if (route_of[j] != kNone && index_in[d] < index_in[j]) {
      report.violations.push_back({ViolationKind::kPrecedence, route_of[j], j,
                                   "delivery " + std::to_string(d) + " before its pickup"});
    }
  }
  for (std::size_t v = 0; v < s.routes.size(); ++v) {
    static const std::vector<BreakPlacement> kNone;
    const auto& breaks = v < s.breaks.size() ? s.breaks[v] : kNone;
    if (s.routes[v].empty()) {
      if (!breaks.empty()) report.violations.push_back({ViolationKind::kBreak, v, 0, "breaks on an unused vehicle"});
      continue;
    }
    ++report.vehicles_used;
    check_route(p, v, s.routes[v], breaks, report);
  }
  return report;
}

}  // namespace lastmile::optimize
