#include "tracking/activity_monitor.hpp"

#include <algorithm>

namespace lastmile::tracking {
namespace {

// Where the silence is counted from: the newest ping or the route's start, whichever is later.
std::optional<core::Timestamp> silence_start(const ActivityState& s) {
  if (s.last_ping && s.route_started) return std::max(*s.last_ping, *s.route_started);
  return s.last_ping ? s.last_ping : s.route_started;
}

}  // namespace

std::string_view activity_exception_name(ActivityExceptionKind k) {
  switch (k) {
    case ActivityExceptionKind::kDeviceOffline:
      return "device_offline";
    case ActivityExceptionKind::kStationary:
      return "stationary";
  }
  return "device_offline";
}

std::string_view activity_cleared_name(ActivityExceptionKind k) {
  switch (k) {
    case ActivityExceptionKind::kDeviceOffline:
      return "device_offline_cleared";
    case ActivityExceptionKind::kStationary:
      return "stationary_cleared";
  }
  return "device_offline_cleared";
}

void start_activity(ActivityState& state, core::Timestamp route_started) {
  state.route_started = route_started;
}

std::vector<ActivityExceptionKind> observe_ping(ActivityState& state, const ingest::Ping& ping,
                                                const ActivityParams& params) {
  std::vector<ActivityExceptionKind> ended;
  if (state.last_ping && ping.t <= *state.last_ping) return ended;  // late or duplicate
  state.last_ping = ping.t;
  state.last_position = ping.position;
  if (state.offline_open) ended.push_back(ActivityExceptionKind::kDeviceOffline);
  state.offline_open = false;
  if (ping.accuracy_m && *ping.accuracy_m > params.stationary_radius_m) return ended;
  if (!state.still_anchor ||
      core::haversine_m(*state.still_anchor, ping.position) > params.stationary_radius_m) {
    state.still_anchor = ping.position;
    state.still_since = ping.t;
    if (state.stationary_open) ended.push_back(ActivityExceptionKind::kStationary);
    state.stationary_open = false;
  }
  return ended;
}

std::vector<ActivityException> check_activity(ActivityState& state, core::Timestamp now, bool near_site,
                                              const ActivityParams& params) {
  std::vector<ActivityException> found;
  const auto silent_since = silence_start(state);
  if (!silent_since) return found;  // not started: no route, no ping
  if (!state.offline_open && now.ms - silent_since->ms >= params.offline_after_ms) {
    state.offline_open = true;
    const core::Timestamp since = state.last_ping ? *state.last_ping : *state.route_started;
    found.push_back({ActivityExceptionKind::kDeviceOffline, since, now, state.last_position});
  }
  if (near_site) {  // service at a stop or the depot: the still clock restarts
    state.still_since = std::max(state.still_since, now);
    state.stationary_open = false;
    return found;
  }
  const bool online = state.last_ping && now.ms - state.last_ping->ms < params.offline_after_ms;
  if (online && state.still_anchor && !state.stationary_open &&
      now.ms - state.still_since.ms >= params.stationary_after_ms) {
    state.stationary_open = true;
    found.push_back({ActivityExceptionKind::kStationary, state.still_since, now, state.last_position});
  }
  return found;
}

bool offline(const ActivityState& state) { return state.offline_open; }
bool stationary(const ActivityState& state) { return state.stationary_open; }

}  // namespace lastmile::tracking
