#pragma once
// Fleet planning for `lastmile simulate` / `lastmile demo` (issue 5): a depot, N drivers with M stops
// each, the promised windows, the scripted disturbances, each driver's simulated drive and the
// timeline of what its phone sends (ping batches, delivery reports). Pure: no I/O, no clock; the
// same options and map give the same plan. docs/simulator.md, "Fleet plan".
//
// Disturbances by driver index (fewer drivers: only those that exist; drivers from index 3 on are
// normal):
//   0  slow: pace 0.6 (every leg takes 1/0.6 as long). Its windows end at its pace-1 arrival (no
//      margin), so it is later than promised by 0.67 × the travel time so far: late_risk is certain
//      (plan_fleet checks that its true arrival is past the window end + late_check_s at some stop).
//   1  a blocked leg (the leg to stop M/2; the driver detours).
//   2  a failed attempt at stop M/2, then offline for offline_s of simulated time starting 30 s after
//      it leaves that stop (the phone keeps recording: its drive has every fix, and drive_actions
//      uploads the held ones at the reconnect); one out-of-order pair of upload batches.
// Every other driver's windows are [pace-1 arrival − window_before_s, pace-1 arrival + window_after_s]:
// the drive of a normal driver IS its pace-1 simulation (same seed), so it is never late.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/geo.hpp"
#include "core/time.hpp"
#include "map/map_error.hpp"
#include "map/router.hpp"
#include "sim/drive_simulator.hpp"

namespace lastmile::sim {

struct FleetOptions {
  size_t drivers = 3;            // REQUIRES: >= 1
  size_t stops_per_driver = 10;  // REQUIRES: >= 1
  uint64_t seed = 1;
  core::Timestamp start;       // every driver leaves the depot at this time
  double min_spacing_m = 200;  // between a driver's stops, and from the depot
  double max_radius_m = 1500;  // stops at most this far from the depot (great circle)
  double planned_service_s = 120;
  double window_before_s = 3600;
  double window_after_s = 600;
  double slow_pace = 0.6;
  double offline_s = 720;     // 12 simulated minutes
  double late_check_s = 180;  // the slow driver must be at least this late somewhere
  int utc_offset_s = 3600;    // Monaco in winter (typical_city_world's hour factors)
};

enum class DriverRole { kNormal, kSlow, kDetour, kFailedAndOffline };
// Stable names for the CLI's output: "normal", "slow", "detour", "failed_attempt_offline".
const char* driver_role_name(DriverRole role);

struct PromisedWindow {
  core::Timestamp start;
  core::Timestamp end;
};

struct DriverScenario {
  DriverRole role = DriverRole::kNormal;
  DrivePlan plan{
      *core::LatLon::from_unsafe({0, 0}), {}, {}, true};  // stops in visiting order (nearest neighbour)
  Driver driver;
  Disturbances disturbances;
  PhoneOptions phone;
  std::vector<PromisedWindow> windows;  // one per stop
  Drive drive;  // the simulated truth (with the disturbances); every fix recorded, also while offline
};

struct FleetPlan {
  core::LatLon depot = *core::LatLon::from_unsafe({0, 0});
  std::vector<DriverScenario> drivers;
};

// Errors: kEmptyMap when the map has no room for stops_per_driver stops min_spacing_m apart (the
// message says how many were found); the router's kOutsideMap / kNoRoute from a drive (rare: the
// stops come from random_stops, all on the main network).
map::Result<FleetPlan> plan_fleet(const map::Router& router, const FleetOptions& options);

// What a driver's phone sends, in sending order.
struct DriveAction {
  enum class Kind { kPings, kDelivered, kAttemptFailed };
  Kind kind = Kind::kPings;
  core::Timestamp send_at;     // sent when the (simulated) clock reaches this
  std::vector<SimPing> pings;  // kPings: one upload batch
  size_t stop = 0;             // kDelivered / kAttemptFailed: index into the plan's stops
  core::Timestamp at;          // kDelivered / kAttemptFailed: the event's time (the departure)
};

// How a phone uploads its fixes.
struct UploadStyle {
  double batch_s = 10;               // the driver app: batch_pings of batch_s seconds. REQUIRES: > 0
  bool one_fix_per_request = false;  // a tracker app (Traccar Client, OwnTracks): one fix per request
  size_t max_held = 5000;            // fixes the phone keeps while offline; beyond, the oldest are dropped
};

// The uploads of `drive` (batch_pings with the scenario's out-of-order flag, or one fix each), each
// sent when its newest fix was taken and never before the upload before it, and one delivery report
// per stop (kAttemptFailed for a failed stop) sent at the departure from it. The phone is offline in
// the scenario's disturbances.offline window [from, to): the drive holds every fix it recorded there,
// and what falls due in the window (uploads, reports) is sent at `to`, in order, fixes first: the
// server's history has no gap. At most style.max_held held fixes are kept (the oldest are dropped).
// Sorted by send_at.
std::vector<DriveAction> drive_actions(const DriverScenario& scenario, const UploadStyle& style);
inline std::vector<DriveAction> drive_actions(const DriverScenario& scenario, double batch_s) {
  return drive_actions(scenario, UploadStyle{batch_s});
}

}  // namespace lastmile::sim
