#pragma once
// Re-planning a day that has started, and planning when not every window can be met.
//
// replan_problem() turns a base problem and the live state of each vehicle (where it is, from when it
// is free, which parcels it carries, whether it still works) into the problem of the rest of the day:
// each vehicle starts at its position at its availability time and still ends at its end depot; the
// jobs whose parcels are on board a working vehicle are locked to it (a skill only that vehicle has),
// so no plan moves a loaded parcel to another van. Completed stops are simply not in `remaining`.
//
// solve_allowing_lateness() solves with hard windows; the jobs that fit nowhere then get their last
// window stretched to the latest shift end (served late rather than not at all) and the problem is
// solved again. `late` lists the jobs whose service then starts after their original windows. With
// `max_overtime` (per vehicle, how long it may work past its shift end), a job that still fits nowhere
// (no vehicle can serve it and be back by its shift end) is then inserted where it is on time if it can
// be, else where a vehicle works the least past its shift; `overtime` lists the vehicles back late.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "optimize/problem.hpp"
#include "optimize/solution.hpp"
#include "optimize/solver.hpp"

namespace lastmile::optimize {

// Skills from this value up are the locks of loaded parcels (vehicle index added): keep own skills below.
inline constexpr int64_t kLoadedLockSkill = int64_t{1} << 40;

struct VehicleState {
  LocationIndex position;             // where it is, or the stop it is committed to
  double available_at = 0;            // when it can leave `position`
  bool working = true;                // false: broken down or off duty; it takes no job
  std::vector<std::size_t> on_board;  // base job indices whose parcels this vehicle carries
};

struct Replan {
  Problem problem;                      // the rest of the day
  std::vector<std::size_t> job_of;      // problem job -> base job
  std::vector<std::size_t> vehicle_of;  // problem vehicle -> base vehicle (working ones only)
};

// REQUIRES: states.size() == base.vehicles.size(); every index valid; !validate(base). Jobs on board a
// vehicle that is not working are not locked (their parcels are handed over to whoever takes them).
Replan replan_problem(const Problem& base, const std::vector<VehicleState>& states,
                      const std::vector<std::size_t>& remaining);

struct LateSolve {
  Problem relaxed;  // the problem the solution is feasible for (stretched windows, raised shift ends)
  Solution solution;
  std::vector<std::size_t> late;      // jobs served after their original last window, ascending
  std::vector<std::size_t> overtime;  // vehicles back after their original shift end, ascending
};

// REQUIRES: !validate(problem); max_overtime empty (no overtime) or one value >= 0 per vehicle. Two
// solves with `options` (the second only when jobs were left out), then, with max_overtime, the
// overtime insertion of the jobs still left out (deterministic, cheapest position by the checker).
LateSolve solve_allowing_lateness(const Problem& problem, const SolveOptions& options,
                                  const std::vector<double>& max_overtime = {});

// Service start of every job of `solution` in `problem` (earliest-start rule); -1 for unrouted jobs.
std::vector<double> service_starts(const Problem& problem, const Solution& solution);

}  // namespace lastmile::optimize
