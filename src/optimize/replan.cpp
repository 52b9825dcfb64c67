#include "optimize/replan.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "optimize/feasibility_checker.hpp"
#include "optimize/schedule.hpp"

namespace lastmile::optimize {

Replan replan_problem(const Problem& base, const std::vector<VehicleState>& states,
                      const std::vector<std::size_t>& remaining) {
  Replan out;
  out.problem.name = base.name;
  out.problem.matrix = base.matrix;
  out.problem.objective = base.objective;
  std::vector<int64_t> lock(base.jobs.size(), -1);
  for (std::size_t v = 0; v < base.vehicles.size(); ++v) {
    const auto& st = states[v];
    if (!st.working) continue;
    Vehicle veh = base.vehicles[v];
    veh.start = st.position;
    veh.shift.start = std::max(veh.shift.start, st.available_at);
    veh.shift.end = std::max(veh.shift.end, veh.shift.start);
    const int64_t skill = kLoadedLockSkill + static_cast<int64_t>(v);
    veh.skills.push_back(skill);
    for (auto j : st.on_board) lock[j] = skill;
    out.problem.vehicles.push_back(std::move(veh));
    out.vehicle_of.push_back(v);
  }
  for (auto j : remaining) {
    Job job = base.jobs[j];
    if (lock[j] >= 0) job.skills.push_back(lock[j]);
    out.problem.jobs.push_back(std::move(job));
    out.job_of.push_back(j);
  }
  return out;
}

std::vector<double> service_starts(const Problem& problem, const Solution& solution) {
  std::vector<double> start(problem.jobs.size(), -1);
  for (const auto& route : schedule(problem, solution).routes) {
    for (const auto& s : route.stops) start[s.job] = s.start;
  }
  return start;
}

namespace {

// Where inserting job `j` is cheapest when each vehicle may work up to `max_overtime` past its shift and
// `j` be served at any time: (late?, overtime, travel) of the best position, and the position; nullopt
// when no position passes the checker (skills, capacity, the other jobs' windows, the shift end plus the
// overtime allowed). `relaxed` is restored before returning.
struct Placement {
  std::tuple<bool, double, double> key;  // late, overtime, travel: smaller is better
  std::size_t vehicle = 0, position = 0;
  double start = 0, end = 0;  // the job's service start, the route's return
};

std::optional<Placement> best_overtime_placement(Problem& relaxed, const Solution& solution, std::size_t j,
                                                 double window_end, const std::vector<double>& shift_end,
                                                 const std::vector<double>& max_overtime) {
  std::optional<Placement> best;
  for (std::size_t v = 0; v < relaxed.vehicles.size(); ++v) {
    if (!(max_overtime[v] > 0)) continue;
    const double raised = relaxed.vehicles[v].shift.end;
    relaxed.vehicles[v].shift.end = shift_end[v] + max_overtime[v];
    for (std::size_t pos = 0; pos <= solution.routes[v].size(); ++pos) {
      Solution trial = solution;
      trial.routes[v].insert(trial.routes[v].begin() + static_cast<std::ptrdiff_t>(pos), j);
      trial.unassigned.erase(std::find(trial.unassigned.begin(), trial.unassigned.end(), j));
      if (!check_feasibility(relaxed, trial).feasible()) continue;
      const auto sched = schedule(relaxed, trial);
      const auto route = std::find_if(sched.routes.begin(), sched.routes.end(),
                                      [&](const ScheduledRoute& r) { return r.vehicle == v; });
      const auto stop = std::find_if(route->stops.begin(), route->stops.end(),
                                     [&](const ScheduledStop& s) { return s.job == j; });
      Placement p{
          {stop->start > window_end + 1e-6, std::max(0.0, route->end_arrival - shift_end[v]), sched.travel},
          v,
          pos,
          stop->start,
          route->end_arrival};
      if (!best || p.key < best->key) best = p;
    }
    relaxed.vehicles[v].shift.end = raised;
  }
  return best;
}

// Third stage: the jobs that still fit nowhere once their windows reach the latest shift end — no vehicle
// can serve them and be back by its shift end — are inserted one by one (ascending) where they are on
// time if possible, then make a vehicle work the least past its shift, then add the least travel. That
// vehicle's shift end is raised to its new return and the job's last window to its service start (so
// `relaxed` stays the problem the solution is feasible for).
void insert_with_overtime(const Problem& problem, const std::vector<double>& max_overtime, LateSolve& out) {
  std::vector<double> shift_end;
  for (const auto& v : problem.vehicles) shift_end.push_back(v.shift.end);
  constexpr double kOpen = std::numeric_limits<double>::max() / 4;
  const auto left = out.solution.unassigned;
  for (auto j : left) {
    auto& windows = out.relaxed.jobs[j].windows;
    const double window_end = windows.empty() ? kOpen : windows.back().end;
    if (!windows.empty()) windows.back().end = kOpen;
    const auto best =
        best_overtime_placement(out.relaxed, out.solution, j, window_end, shift_end, max_overtime);
    if (!best) {
      if (!windows.empty()) windows.back().end = window_end;
      continue;
    }
    auto& route = out.solution.routes[best->vehicle];
    route.insert(route.begin() + static_cast<std::ptrdiff_t>(best->position), j);
    auto& unassigned = out.solution.unassigned;
    unassigned.erase(std::find(unassigned.begin(), unassigned.end(), j));
    if (!windows.empty()) windows.back().end = std::max(window_end, best->start);
    auto& shift = out.relaxed.vehicles[best->vehicle].shift;
    shift.end = std::max(shift.end, best->end);
  }
}

}  // namespace

LateSolve solve_allowing_lateness(const Problem& problem, const SolveOptions& options,
                                  const std::vector<double>& max_overtime) {
  LateSolve out;
  out.relaxed = problem;
  out.solution = solve(problem, options).solution;
  if (out.solution.unassigned.empty()) return out;
  double latest = 0;
  for (const auto& v : problem.vehicles) latest = std::max(latest, v.shift.end);
  for (auto j : out.solution.unassigned) {
    auto& windows = out.relaxed.jobs[j].windows;
    if (windows.empty()) continue;
    windows.back().end = std::max(windows.back().end, latest);
  }
  out.solution = solve(out.relaxed, options).solution;
  if (!out.solution.unassigned.empty() && !max_overtime.empty())
    insert_with_overtime(problem, max_overtime, out);
  const auto start = service_starts(out.relaxed, out.solution);
  for (std::size_t j = 0; j < problem.jobs.size(); ++j) {
    const auto& w = problem.jobs[j].windows;
    if (start[j] >= 0 && !w.empty() && start[j] > w.back().end + 1e-6) out.late.push_back(j);
  }
  for (const auto& r : schedule(out.relaxed, out.solution).routes) {
    if (r.end_arrival > problem.vehicles[r.vehicle].shift.end + 1e-6) out.overtime.push_back(r.vehicle);
  }
  return out;
}

}  // namespace lastmile::optimize
