#pragma once
// Live ETA of every remaining stop of a route (issue 4, part 3; DESIGN R7).
//
//   arrival(first remaining stop) = now + travel(position → stop)
//   arrival(next)                 = departure(previous) + travel(previous → next)
//   departure                     = max(arrival, window start when waiting for windows) + service
//
// travel and service come from the learned Corrections (eta/corrections.hpp; the identity without
// history), applied to the free-flow legs of a LegSource. Incremental: the legs between planned
// stops (and from the depot) are computed once per route and cached; only the leg from the
// current position is new on each update. Each arrival carries a P10–P90 window
// (Corrections::window) and, against the stop's promised window, its predicted lateness.
//
// A break ahead (BreakAhead) is taken where the driver is before the stop it precedes: it starts at
// the previous departure, or at its earliest start when that is later, and delays every later stop
// by its duration.
//
// A stop without coordinates costs no travel (its ETA is the previous departure). The stop the
// driver is at (arrived, not departed) has its arrival time as ETA and only the rest of its
// service ahead.
//
// Pure: time comes in with the position. Threading: a RouteEta belongs to one driver's shard.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"
#include "eta/corrections.hpp"
#include "eta/legs.hpp"

namespace lastmile::eta {

struct StopPlan {
  core::StopId id;
  std::optional<core::LatLon> location;
  double planned_service_s = 0;
  std::optional<domain::TimeWindow> window;  // the promise to the customer (earliest of the stop's shipments)
  std::string place;                          // place_key(location), "" without one
};

// A driver's break still to be taken (domain::RouteBreak), placed before remaining[before]
// (remaining.size(): after the last stop, which delays no stop).
struct BreakAhead {
  size_t before = 0;
  double duration_s = 0;
  std::optional<core::Timestamp> earliest_start;  // the break's window start
};

struct EtaParams {
  bool wait_for_window_start = true;  // a driver early at a stop waits for its window to open
  int utc_offset_s = 0;               // local time of the tenant, for hour-of-week factors
};

struct StopEstimate {
  size_t stop = 0;             // index into the plan's stops
  core::Timestamp arrival;     // P50
  core::Timestamp earliest;    // P10 (never before the estimate's time)
  core::Timestamp latest;      // P90
  core::Timestamp departure;   // expected end of service
  double late_by_s = 0;        // arrival − window end when positive, else 0
  bool at_stop = false;        // the driver is there now
};

struct RouteEstimate {
  core::Timestamp at;             // the position's time
  bool road_network = false;      // the first leg came from the road network
  std::vector<StopEstimate> stops;  // in visiting order
};

class RouteEta {
 public:
  RouteEta(core::LatLon depot, std::vector<StopPlan> stops);

  const std::vector<StopPlan>& stops() const { return stops_; }

  // The ETA of `remaining` (indices into stops(), in visiting order) for a driver at `position`
  // at `t`. `at_stop_since`: the driver arrived at remaining[0] then and has not left. `breaks`: the
  // breaks still ahead, in the order taken (a break before remaining[0] is ignored while the driver is
  // at that stop).
  RouteEstimate estimate(core::LatLon position, core::Timestamp t, std::span<const size_t> remaining,
                         std::optional<core::Timestamp> at_stop_since, const core::DriverId& driver,
                         const LegSource& legs, const Corrections& corrections, const EtaParams& params,
                         std::span<const BreakAhead> breaks = {});

  // The planned leg into stop `to` from stop `from` (nullopt: from the depot). Cached.
  const Leg& planned_leg(std::optional<size_t> from, size_t to, const LegSource& legs);
  size_t cached_legs() const { return cache_.size(); }

 private:
  core::LatLon depot_;
  std::vector<StopPlan> stops_;
  std::map<std::pair<int64_t, int64_t>, Leg> cache_;  // (from, to); from = -1: the depot
};

}  // namespace lastmile::eta
