#include "analytics/route_track.hpp"

namespace lastmile::analytics {

RouteTrack measure_route(std::span<const TrackPoint> points, int64_t start_ms, int64_t end_ms) {
  RouteTrack r;
  if (end_ms <= start_ms) return r;
  r.route_s = static_cast<double>(end_ms - start_ms) / 1000.0;
  int64_t previous_t = start_ms;
  const TrackPoint* previous = nullptr;
  int64_t covered_ms = 0;
  auto gap = [&](int64_t to) {
    if (to - previous_t <= kMaxPingGapMs) covered_ms += to - previous_t;
  };
  for (const TrackPoint& p : points) {
    if (p.t_ms < start_ms || p.t_ms > end_ms) continue;
    gap(p.t_ms);
    if (previous) r.km += core::haversine_m(previous->position, p.position) / 1000.0;
    previous = &p;
    previous_t = p.t_ms;
  }
  gap(end_ms);
  r.tracked_s = static_cast<double>(covered_ms) / 1000.0;
  return r;
}

}  // namespace lastmile::analytics
