#pragma once
// The timed plan of a solution, for output: per route the start, each job's arrival, waiting, service
// start and load, and the end; totals. Service starts as early as allowed (waiting when early).

#include <cstddef>
#include <vector>

#include "optimize/problem.hpp"
#include "optimize/solution.hpp"

namespace lastmile::optimize {

struct ScheduledStop {
  std::size_t job = 0;
  double arrival = 0;
  double waiting = 0;
  double start = 0;           // service start
  double travel_so_far = 0;   // travel time since the route's start (VROOM's step "duration")
  double distance_so_far = 0;
  Amount load;                // on board when leaving this stop
  double lateness = 0;        // soft windows: start − the last window's end, when positive
};

// A break as taken: `gap` jobs of the route are served before it; it is taken on arrival at the next
// stop (or the end), before that stop's service, and the stop's `arrival` is then the break's end.
struct ScheduledBreak {
  std::size_t brk = 0;        // index into Vehicle::breaks
  std::size_t gap = 0;
  double arrival = 0;         // arrival at the place where it is taken (or the end of the break before)
  double waiting = 0;
  double start = 0;
  double travel_so_far = 0, distance_so_far = 0;
  Amount load;                // on board during the break
};

struct ScheduledRoute {
  std::size_t vehicle = 0;
  double departure = 0;       // from the start depot
  Amount start_load;
  std::vector<ScheduledStop> stops;
  double end_arrival = 0;
  double travel = 0, distance = 0, service = 0, waiting = 0;  // service and waiting include breaks'
  std::vector<ScheduledBreak> breaks = {};  // in the order taken
  double lateness = 0;
};

struct Schedule {
  std::vector<ScheduledRoute> routes;  // used vehicles only, in vehicle order
  double travel = 0, distance = 0, service = 0, waiting = 0;
  double lateness = 0;
};

// REQUIRES: solution built for `problem` (job indices in range). Times follow the earliest-start rule
// even where the solution is infeasible (check it with check_feasibility).
Schedule schedule(const Problem& problem, const Solution& solution);

}  // namespace lastmile::optimize
