#pragma once
// A finished route's tracking figures (docs/analytics.md): the distance driven and the share of its
// time covered by pings at most 30 s apart, from the driver's stored track points. Pure.

#include <cstdint>
#include <span>

#include "core/geo.hpp"

namespace lastmile::analytics {

inline constexpr int64_t kMaxPingGapMs = 30'000;

struct TrackPoint {
  int64_t t_ms = 0;
  core::LatLon position = *core::LatLon::from_unsafe({0, 0});
};

struct RouteTrack {
  double km = 0;         // sum of great-circle distances between consecutive points in the span
  double route_s = 0;    // end − start
  double tracked_s = 0;  // time in gaps of at most kMaxPingGapMs (span edges count as points)
};

// REQUIRES: `points` sorted by time. Points outside [start_ms, end_ms] are ignored; an empty or
// reversed span gives zeros.
RouteTrack measure_route(std::span<const TrackPoint> points, int64_t start_ms, int64_t end_ms);

}  // namespace lastmile::analytics
