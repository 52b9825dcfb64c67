#pragma once
// The geofence processor: arrivals at and departures from a route's stops and its depot. Pure:
// state in, events out; time comes only from the pings, never from the wall clock.
//
// Every site is a circle (`center`, `radius_m`) with an exit circle `exit_margin_m` wider. For each
// site independently:
//  - a stay begins at the first fix inside the radius and lasts until a fix beyond the exit radius;
//    fixes in the margin band (radius < d <= radius + margin) neither begin nor break a stay, so GPS
//    jitter across the boundary does not restart the dwell clock;
//  - arrival: declared at the first fix inside the radius that comes at least `dwell_ms` after the
//    stay began (a drive-by is not an arrival). The event is dated at the FIRST inside fix of the
//    stay and carries its position, so stop times are right. Speed is not used: dwell only;
//  - departure: after an arrival, the first fix beyond the exit radius, dated at that fix. Jitter
//    inside the exit radius never flaps;
//  - fixes with accuracy worse than `max_accuracy_m` change no site (an unknown accuracy counts as
//    good), so a single imprecise fix far away is no departure;
//  - a ping not newer than the last ping processed (late, out of order, duplicate) is ignored.
// The depot is special: the driver starts there. If the first good fix is within the depot's exit
// radius, the driver is already arrived (no event); if it is beyond, a departure is emitted at that
// fix (the route started away from the depot, or the app started late). A departure from the depot
// is emitted at most once per GeofenceState; coming back to the depot is an ordinary arrival.
// Sites are independent: two overlapping stops (one building) can both be arrived at once.
//
// Threading: a GeofenceState belongs to one driver's shard; no locking here.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "ingest/ping.hpp"

namespace lastmile::tracking {

enum class SiteKind { kDepot, kStop };

struct GeofenceSite {
  SiteKind kind = SiteKind::kStop;
  core::StopId stop;  // the stop; empty for the depot
  core::LatLon center = *core::LatLon::from_unsafe({0, 0});
  double radius_m = 50;
};

struct GeofenceParams {
  double exit_margin_m = 30;    // hysteresis: a stay ends only beyond radius + margin
  int64_t dwell_ms = 20'000;    // a stay lasts this long before it is an arrival
  double max_accuracy_m = 100;  // less precise fixes change no site
};

enum class GeofenceEventKind { kArrival, kDeparture };
// Stable names for events and logs: "arrival", "departure".
std::string_view geofence_event_kind_name(GeofenceEventKind k);

struct GeofenceEvent {
  GeofenceEventKind kind = GeofenceEventKind::kArrival;
  size_t site = 0;     // index into the sites passed to update_geofence
  core::Timestamp at;  // arrival: first inside fix of the stay; departure: the fix beyond the exit radius
  core::LatLon location = *core::LatLon::from_unsafe({0, 0});  // the position of that fix
};

// What the processor remembers about one driver's sites: a few bytes per site.
struct SiteTrack {
  enum class Phase : uint8_t {
    kUnknown,  // no good fix yet
    kOutside,  // not in a stay
    kStaying,  // in a stay, not yet an arrival
    kArrived,  // arrived (or, for the depot, started there)
  };
  Phase phase = Phase::kUnknown;
  core::Timestamp stay_since;  // first inside fix of the stay (kStaying, kArrived)
  core::LatLon stay_at = *core::LatLon::from_unsafe({0, 0});  // its position
  bool departed = false;  // a departure was emitted (the depot's is emitted once)
};

struct GeofenceState {
  std::vector<SiteTrack> sites;  // one per site, sized by the first update
  bool started = false;          // a ping was processed; last_t is set
  core::Timestamp last_t;        // time of the newest ping processed
};

// Feeds one accepted ping; returns the arrivals and departures it causes, ordered by `at`
// (a departure before an arrival at the same time, then by site index).
// REQUIRES: the same `sites`, in the same order, on every call with this `state`; to change the
// list, start from a fresh GeofenceState. Throws std::invalid_argument when the number of sites
// differs from the state's (a programmer error).
std::vector<GeofenceEvent> update_geofence(GeofenceState& state, std::span<const GeofenceSite> sites,
                                           const ingest::Ping& ping, const GeofenceParams& params);

// True when `site` is arrived (for the depot: also when the driver started there); false for an
// index the state does not know (a fresh state).
bool arrived_at(const GeofenceState& state, size_t site);

// True when the driver is in a stay (arrived or not yet) at any site: what the activity monitor's
// `near_site` asks.
bool near_any_site(const GeofenceState& state);

}  // namespace lastmile::tracking
