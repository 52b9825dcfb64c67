#pragma once
// RouteState: one vehicle's route during the search, with the cached schedule that makes an insertion
// check O(1): the earliest service start at each stop (forward), the latest service start that keeps
// the rest of the route feasible (backward), and the load profile's prefix/suffix maxima.

#include <cstddef>
#include <optional>
#include <vector>

#include "optimize/instance.hpp"
#include "optimize/solution.hpp"

namespace lastmile::optimize {

struct RouteState {
  std::size_t vehicle = 0;
  std::vector<std::size_t> jobs;
  std::vector<double> earliest;  // earliest[k]: earliest service start at jobs[k]
  std::vector<double> latest;    // latest[k]: latest service start at jobs[k] keeping the tail feasible
  // Loads on board: load[0] when leaving the start, load[k + 1] after serving jobs[k]; dims() values each.
  std::vector<int64_t> load;
  std::vector<int64_t> prefix_max;  // max of load[0..k] per dimension, at index k
  std::vector<int64_t> suffix_max;  // max of load[k..n] per dimension, at index k
  double cost = 0;                  // objective arc cost of the route (0 when empty)
  bool feasible = true;             // false after refresh() found a violation
  // Set by refresh() for vehicles with breaks or soft windows (Instance::timed, time_pass.hpp); `cost`
  // then includes lateness_penalty × lateness. earliest/latest above ignore breaks (bounds only).
  double lateness = 0;
  std::vector<BreakPlacement> breaks = {};  // where the breaks are taken, in order

  bool empty() const { return jobs.empty(); }
};

// Recomputes every cache of `route` from its jobs; sets and returns route.feasible (windows, shift end,
// capacity, skills, shipments: both halves in the route, the pickup first).
bool refresh(const Instance& in, RouteState& route);

// True when every shipment in `jobs` has both halves there, the pickup before the delivery (O(n)).
bool pairs_in_order(const Instance& in, const std::vector<std::size_t>& jobs);

// Cost delta of inserting `job` before position `pos` (pos == jobs.size(): at the end), or nullopt when
// that breaks a window, the shift, the capacity or the skills. REQUIRES: route refreshed and feasible, and
// `job` a single job (a shipment's halves are inserted together: best_in_route / insert_at in repair.hpp).
// O(1) per capacity dimension, plus the full time pass (O(n)) when Instance::timed(vehicle).
std::optional<double> insertion_delta(const Instance& in, const RouteState& route, std::size_t job, std::size_t pos);

// Cost delta of removing the stop at `pos` (always feasible under the triangle inequality is NOT
// assumed: callers refresh() after removing).
double removal_delta(const Instance& in, const RouteState& route, std::size_t pos);

// Location of the stop before `pos` (the start depot when pos == 0) and of the stop at `pos` (the end
// depot when pos == jobs.size()).
inline std::optional<LocationIndex> location_before(const Instance& in, const RouteState& r, std::size_t pos) {
  if (pos == 0) return in.problem().vehicles[r.vehicle].start;
  return in.problem().jobs[r.jobs[pos - 1]].location;
}
inline std::optional<LocationIndex> location_at(const Instance& in, const RouteState& r, std::size_t pos) {
  if (pos == r.jobs.size()) return in.problem().vehicles[r.vehicle].end;
  return in.problem().jobs[r.jobs[pos]].location;
}

}  // namespace lastmile::optimize
