#include "optimize/replan.hpp"

#include <algorithm>

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

LateSolve solve_allowing_lateness(const Problem& problem, const SolveOptions& options) {
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
  const auto start = service_starts(out.relaxed, out.solution);
  for (std::size_t j = 0; j < problem.jobs.size(); ++j) {
    const auto& w = problem.jobs[j].windows;
    if (start[j] >= 0 && !w.empty() && start[j] > w.back().end + 1e-6) out.late.push_back(j);
  }
  return out;
}

}  // namespace lastmile::optimize
