#pragma once
// The feasibility checker: an independent recomputation of a solution's schedule from the matrix (it
// shares no code with the solver's route caches or with schedule.hpp), listing every violation. Used by
// every test and by the CLI before it prints a solution.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "optimize/problem.hpp"
#include "optimize/solution.hpp"

namespace lastmile::optimize {

enum class ViolationKind {
  kWrongRouteCount,  // solution.routes.size() != vehicles
  kUnknownJob,       // a job index out of range
  kJobMissing,       // a job neither routed nor unassigned
  kJobRepeated,      // a job routed twice, or routed and unassigned
  kTimeWindow,       // service cannot start inside any window of the job
  kShiftEnd,         // the vehicle reaches its end after its shift
  kCapacity,         // load on board exceeds the capacity in some dimension
  kSkills,           // the vehicle lacks a skill the job needs
  kShipmentSplit,    // a shipment's halves in different routes, or one routed and the other unassigned
  kPrecedence,       // a shipment's delivery before its pickup in a route
  kBreak,            // a break of a used vehicle missing, repeated, unknown, misplaced or outside its windows
};

std::string_view kind_name(ViolationKind kind);

struct Violation {
  ViolationKind kind;
  std::size_t vehicle = 0;  // where relevant
  std::size_t job = 0;      // where relevant
  std::string detail;
};

struct FeasibilityReport {
  std::vector<Violation> violations;
  std::size_t vehicles_used = 0;
  double distance = 0;
  double duration = 0;  // travel time only
  // Soft windows (Objective::lateness_penalty set): a start after the last window is no violation; the
  // total of (start − last window end) over late jobs, recomputed here.
  double lateness = 0;
  bool feasible() const { return violations.empty(); }
};

// Times compare with a tolerance of 1e-6.
FeasibilityReport check_feasibility(const Problem& problem, const Solution& solution);

}  // namespace lastmile::optimize
