#pragma once
// The drive simulator (issue 5): a driver follows a delivery route on the road network, as a phone
// would report it. Used by the ETA accuracy tests and benchmark, and by `lastmile simulate` /
// `lastmile demo`. Method, determinism and disturbances: docs/simulator.md.
//
// Per leg (depot → stop 0, stop i → stop i+1, last stop → depot when return_to_depot) the router
// gives the free-flow route; the simulated world differs from it (World): each road segment takes
//
//   actual = free-flow × 1 / (class_speed_factor[class] × hour_speed_factor[local hour at entry]
//                              × pace × stretch noise × leg noise)
//
// The driver arrives at a stop when the leg's path ends (the stop's point snapped to the road),
// dwells there (planned service × service_factor × lognormal noise; 60 s for a failed attempt) and
// leaves. The phone samples the true position every U[min_interval_s, max_interval_s] seconds, adds
// Gaussian noise in metres, and reports speed and heading of the true motion.
//
// Determinism: every random draw comes from std::mt19937_64 (its output sequence is fixed by the
// standard) through this library's own uniform and Box–Muller code, never std:: distributions, so
// a seed gives the same drive with any standard library (up to the last bit of std::log, cos and
// exp in the C library, which can move a rounded millisecond in rare cases). The world's draws (speed and service
// noise) use streams derived from (seed, leg) and (seed, stop), and the phone's draws (sampling,
// GPS noise) one stream of their own: a slower driver or a detour on one leg changes nothing else.
//
// Pure: no I/O, no clock. Thread safety: the functions keep no state; any thread may call them
// with a Router shared between threads (Router is immutable).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/geo.hpp"
#include "core/time.hpp"
#include "map/map_error.hpp"
#include "map/road_class.hpp"
#include "map/router.hpp"

namespace lastmile::sim {

struct PlannedStop {
  core::LatLon location;
  double planned_service_s = 120;
};

struct DrivePlan {
  core::LatLon depot;
  std::vector<PlannedStop> stops;  // in visiting order
  core::Timestamp start;           // departure from the depot
  bool return_to_depot = false;
};

// 24 hourly factors of 1.
inline std::array<double, 24> flat_hours() {
  std::array<double, 24> a{};
  a.fill(1.0);
  return a;
}

// How the simulated world differs from the road network's free-flow estimate (what an ETA model
// must learn). All factors > 0.
struct World {
  // Actual speed = edge speed × factor, by map::RoadClass (e.g. residential 0.75).
  std::array<double, map::kRoadClassCount> class_speed_factor{1, 1, 1, 1, 1, 1, 1, 1};
  // By local hour of the day (UTC + utc_offset_s) at which a segment is entered (e.g. 0.8 at 8–9 h).
  std::array<double, 24> hour_speed_factor = flat_hours();
  int utc_offset_s = 0;
  double service_factor = 1.0;  // actual service = planned × factor × lognormal noise
  double service_noise = 0.25;  // sigma of that lognormal (median 1)
  // Sigma of a lognormal speed factor (median 1) drawn per road stretch: consecutive segments of
  // one street name and class (OSM ways are cut into many short segments; a draw per segment would
  // average away over a leg).
  double speed_noise = 0.10;
  // Sigma of a lognormal speed factor (median 1) drawn once per leg (traffic of the moment); 0 =
  // none. Added to the contract: legs of a real city vary more than per-street noise gives.
  double leg_speed_noise = 0.0;
};

// A world like a real city's, for the demo and the ETA benchmark: through roads near free flow,
// residential streets at 0.75 and service roads at 0.7, rush hours 7–9 h (0.75) and 16–19 h (0.8)
// and a lunch dip at 12 h (0.9) local time, stops 15% longer than planned (sigma 0.3), speed noise
// 0.10 per stretch and 0.08 per leg. utc_offset_s 0: set it to the tenant's.
World typical_city_world();

struct Driver {
  double pace = 1.0;  // speed multiplier; 0.7 = a slow driver. > 0
};

struct Disturbances {
  // No pings in [from, to) (device offline); the drive goes on.
  std::optional<std::pair<core::Timestamp, core::Timestamp>> offline;
  // That stop: short dwell (failed_dwell_s), marked failed in the truth. Out of range: ignored.
  std::optional<size_t> failed_attempt_stop;
  double failed_dwell_s = 60;
  // The leg to that stop index (stops.size() = the return to the depot): the first road segment
  // of the planned path where the driver has a choice (a junction, or a two-way start) is closed in
  // both directions, and the driver, told before setting off, takes the fastest route avoiding it
  // (re-routed on a copy of the graph with the segment's weight raised to kClosedWeightMs; see
  // docs/simulator.md). When no route avoids it, the next such segment is tried (up to 12); a leg
  // with no whole segment, or none avoidable, is driven as planned (LegTruth::detoured false).
  // Out of range: ignored.
  std::optional<size_t> blocked_leg;
  bool out_of_order_batch = false;  // for batch_pings (simulate_drive itself ignores it)
};

struct PhoneOptions {
  double gps_noise_m = 5;  // sigma of the Gaussian error on each axis (east, north), metres
  double min_interval_s = 1;  // REQUIRES: 0 < min_interval_s <= max_interval_s
  double max_interval_s = 5;
  uint64_t seed = 1;
  double accuracy_m = 8;  // the accuracy the phone reports in every ping
};

struct SimPing {
  core::Timestamp t;
  core::LatLon position;  // true position + GPS noise
  double speed_mps;       // of the true motion; 0 while dwelling
  double heading_deg;     // of the true motion, 0 = north, clockwise, [0, 360); kept while dwelling
  double accuracy_m;
  core::LatLon true_position;  // ground truth (added to the contract: tests and noise statistics)
};

struct StopTruth {
  core::Timestamp arrived;
  core::Timestamp departed;
  bool failed = false;
  core::LatLon point;  // where the driver stood: the stop's location snapped to the road
};

// One leg as driven: what an ETA model predicts (the planned route) and what happened.
struct LegTruth {
  core::Timestamp departed;  // from the depot or the previous stop
  core::Timestamp arrived;   // at the stop (or back at the depot)
  double planned_free_flow_s = 0;            // the router's route (before any closure)
  map::ClassDurations planned_class_s{};     // its seconds per road class
  double planned_distance_m = 0;
  double free_flow_s = 0;                    // free-flow duration of the path driven
  map::ClassDurations class_s{};             // its free-flow seconds per road class
  double distance_m = 0;                     // of the path driven
  bool detoured = false;                     // a closure made the driver leave the planned route
  // When detoured: the closed segment's ends, in the planned direction of travel (for tests and
  // for drawing the closure on a map).
  std::optional<std::pair<core::LatLon, core::LatLon>> closed_segment;
  // The leg's points are Drive::path[path_begin, path_end); its first point is the previous leg's
  // last (shared) whenever the stop snaps to the same point as an end and as a start (always,
  // unless the router had to re-snap one of them to a big component).
  size_t path_begin = 0;
  size_t path_end = 0;
};

struct Drive {
  std::vector<SimPing> pings;   // increasing t
  std::vector<StopTruth> stops; // one per planned stop, in plan order
  core::Timestamp end;          // back at the depot, else departure from the last stop
  std::vector<core::LatLon> path;  // the true path driven, all legs joined (shared ends once)
  std::vector<LegTruth> legs;   // stops.size() legs, + 1 when return_to_depot
};

// The closed segment's routing weight when a leg is blocked: 100 h, so that only a route with no
// alternative takes it (and is then rejected as "no detour").
inline constexpr uint32_t kClosedWeightMs = 360'000'000;

// Simulates the drive of `plan`. Errors: the router's kOutsideMap or kNoRoute, the message naming
// the leg ("leg 2 (stop 1 -> stop 2): ..."). A plan without stops and without return is a drive
// with no legs that ends at plan.start (one ping at plan.start).
// REQUIRES: phone.min_interval_s > 0, phone.max_interval_s >= min_interval_s, driver.pace > 0,
// every World factor > 0.
map::Result<Drive> simulate_drive(const map::Router& router, const DrivePlan& plan, const World& world,
                                  const Driver& driver, const Disturbances& disturbances,
                                  const PhoneOptions& phone);

// Groups pings into upload batches as the driver app sends them: batch k holds the pings with
// t in [t0 + k·batch_s, t0 + (k+1)·batch_s), t0 the first ping's time; empty batches (offline) are
// left out. With out_of_order, two consecutive batches in the middle half of the drive (chosen by
// `seed`) are swapped, once; with fewer than two batches nothing is swapped.
// REQUIRES: batch_s > 0, pings sorted by t.
std::vector<std::vector<SimPing>> batch_pings(const std::vector<SimPing>& pings, double batch_s, bool out_of_order,
                                              uint64_t seed);

// `n` random stop locations on the map: points drawn uniformly in the bounding box of the main
// network (edges in big components), kept when they snap to a big component's road within
// max_offset_m; the snapped point is returned. Deterministic in `seed`. Gives up after 200·n + 1000
// draws and returns what it found (fewer than n only on a map with almost no roads).
std::vector<core::LatLon> random_stops(const map::Router& router, size_t n, uint64_t seed,
                                       double max_offset_m = 100);

// A plausible visiting order: from the depot, repeatedly the nearest (great-circle) unvisited stop.
// Returns indices into `stops`; ties go to the lower index.
std::vector<size_t> nearest_neighbour_order(core::LatLon depot, const std::vector<core::LatLon>& stops);
// The same, returning the stops in that order.
std::vector<core::LatLon> order_nearest_neighbour(core::LatLon depot, const std::vector<core::LatLon>& stops);

}  // namespace lastmile::sim
