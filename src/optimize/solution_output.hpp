#pragma once
// Writing solutions as JSON: lastmile's own shape (for `optimize --format solomon`) and VROOM's
// solution shape (for `--format json`). Both from the Schedule of a solution.

#include <string>

#include "optimize/problem.hpp"
#include "optimize/schedule.hpp"
#include "optimize/solution.hpp"

namespace lastmile::optimize {

// {"instance","vehicles","distance","duration","unassigned":[job ids],
//  "routes":[{"vehicle","distance","duration","stops":[{"job","location_index","arrival","start","waiting","load"}]}]}
std::string lastmile_solution_json(const Problem& problem, const Solution& solution);

// VROOM's shape: {"code":0,"summary":{cost,routes,unassigned,delivery,pickup,service,duration,waiting_time,
// distance},"unassigned":[{id,location_index,type}],"routes":[{vehicle,cost,delivery,pickup,service,duration,
// waiting_time,distance,steps:[{type,id?,location_index,arrival,duration,service,waiting_time,load,distance}]}]}
std::string vroom_solution_json(const Problem& problem, const Solution& solution);

}  // namespace lastmile::optimize
