#pragma once
// The activity monitor: a driver's device gone silent, or a driver standing still too long away from
// any stop. Pure: state in, exceptions out; time comes from the pings and from the `now` the caller
// passes, never from the wall clock.
//
// Two kinds of episode, each reported once as it starts (check_activity) and ends (observe_ping):
//  - device offline: no ping for `offline_after_ms` while the route is active. The silence is
//    counted from the newest ping, or from the route's start when that is later (a device that was
//    on before the route is not offline before the route began). A new ping ends the episode; the
//    next silence is a new episode.
//  - stationary: every fix within `stationary_radius_m` of the fix that began the still period (so
//    creeping slowly inside the radius still counts) for `stationary_after_ms`, while the device is
//    online (its last ping is less than `offline_after_ms` old: a silent device is offline, not
//    stationary) and the driver is not at a site. Standing at a stop (service) or at the depot is
//    not an exception: time the caller reports `near_site` does not count, the still clock restarts
//    at that check. A fix beyond the radius ends the episode and begins a new still period. Fixes
//    less precise than the radius (accuracy_m > stationary_radius_m) do not move the still period.
// The monitor starts at the first ping or at `start_activity`; before either it reports nothing.
// `check_activity` is meant to be called periodically (e.g. every 30 s); an episode is detected at
// the first check at or after its threshold.
//
// Use one ActivityState per driver and active route. Threading: an ActivityState belongs to one
// driver's shard; no locking here.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/ping.hpp"

namespace lastmile::tracking {

struct ActivityParams {
  int64_t offline_after_ms = 10 * 60'000;     // no ping for this long while a route is active
  int64_t stationary_after_ms = 15 * 60'000;  // not moved more than stationary_radius_m for this long
  double stationary_radius_m = 50;
};

enum class ActivityExceptionKind { kDeviceOffline, kStationary };
// Stable names for events and logs: "device_offline", "stationary".
std::string_view activity_exception_name(ActivityExceptionKind k);
// The end of an episode: "device_offline_cleared", "stationary_cleared".
std::string_view activity_cleared_name(ActivityExceptionKind k);

struct ActivityException {
  ActivityExceptionKind kind = ActivityExceptionKind::kDeviceOffline;
  // Offline: the last ping (the route's start when there was none). Stationary: the start of the
  // still period away from sites.
  core::Timestamp since;
  core::Timestamp detected_at;           // the `now` of the check that found it
  std::optional<core::LatLon> location;  // the last known position; none before the first ping
};

struct ActivityState {
  std::optional<core::Timestamp> route_started;  // set by start_activity
  std::optional<core::Timestamp> last_ping;      // the newest ping observed
  std::optional<core::LatLon> last_position;
  std::optional<core::LatLon> still_anchor;  // the fix that began the still period
  core::Timestamp still_since;               // when the still period (away from sites) began
  bool offline_open = false;
  bool stationary_open = false;
};

// Records that the route became active at `route_started`, so a device that never sends a ping
// still goes offline. Calling it again moves the start.
void start_activity(ActivityState& state, core::Timestamp route_started);

// Feeds one live ping. REQUIRES: pings in time order (accepted by the ping filter); a ping not newer
// than the last one observed is ignored. Returns the episodes it ends (each reported once, offline
// first): an open offline episode ends at any newer ping; an open stationary one at a fix beyond the
// radius (not at a fix less precise than the radius).
std::vector<ActivityExceptionKind> observe_ping(ActivityState& state, const ingest::Ping& ping,
                                                const ActivityParams& params);

// Returns the episodes that start at `now` (at most one of each kind, offline first). `near_site`:
// the driver's current position is within a stop's or the depot's geofence (the caller knows the
// sites, e.g. tracking::near_any_site of the geofence state).
std::vector<ActivityException> check_activity(ActivityState& state, core::Timestamp now, bool near_site,
                                              const ActivityParams& params);

// Whether an episode is open now (for the dashboard).
bool offline(const ActivityState& state);
bool stationary(const ActivityState& state);

}  // namespace lastmile::tracking
