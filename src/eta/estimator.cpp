#include "eta/estimator.hpp"

#include <algorithm>
#include <cmath>

namespace lastmile::eta {
namespace {

core::Timestamp plus_s(core::Timestamp t, double s) { return {t.ms + std::llround(s * 1000.0)}; }

}  // namespace

RouteEta::RouteEta(core::LatLon depot, std::vector<StopPlan> stops) : depot_(depot), stops_(std::move(stops)) {}

const Leg& RouteEta::planned_leg(std::optional<size_t> from, size_t to, const LegSource& legs) {
  const std::pair<int64_t, int64_t> key{from ? static_cast<int64_t>(*from) : -1, static_cast<int64_t>(to)};
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  const core::LatLon start = from && stops_[*from].location ? *stops_[*from].location : depot_;
  Leg leg;
  if (stops_[to].location) leg = legs.leg(start, *stops_[to].location);
  return cache_.emplace(key, std::move(leg)).first->second;
}

RouteEstimate RouteEta::estimate(core::LatLon position, core::Timestamp t, std::span<const size_t> remaining,
                                 std::optional<core::Timestamp> at_stop_since, const core::DriverId& driver,
                                 const LegSource& legs, const Corrections& corrections, const EtaParams& params,
                                 std::span<const BreakAhead> breaks) {
  RouteEstimate out;
  out.at = t;
  core::Timestamp clock = t;  // when the driver leaves the previous place
  std::optional<size_t> previous;
  int legs_ahead = 0;
  for (size_t k = 0; k < remaining.size(); ++k) {
    const size_t idx = remaining[k];
    const StopPlan& stop = stops_[idx];
    StopEstimate e;
    e.stop = idx;
    const double service = corrections.service_s(stop.place, driver, stop.planned_service_s);
    if (k == 0 && at_stop_since) {
      e.at_stop = true;
      e.arrival = e.earliest = e.latest = *at_stop_since;
      const double done_s = std::max(0.0, (t.ms - at_stop_since->ms) / 1000.0);
      e.departure = plus_s(t, std::max(0.0, service - done_s));
      if (stop.location) out.road_network = true;
    } else {
      for (const BreakAhead& b : breaks) {
        if (b.before != k) continue;
        if (b.earliest_start && *b.earliest_start > clock) clock = *b.earliest_start;
        clock = plus_s(clock, b.duration_s);
      }
      double travel = 0;
      if (stop.location) {
        Leg first;
        const Leg* leg = nullptr;
        if (k == 0) {
          first = legs.leg(position, *stop.location);
          leg = &first;
          out.road_network = first.road_network;
        } else {
          leg = &planned_leg(previous, idx, legs);
        }
        travel = corrections.travel_s(leg->class_s, driver, hour_of_week(clock, params.utc_offset_s));
        ++legs_ahead;
      }
      e.arrival = plus_s(clock, travel);
      const double ahead_s = (e.arrival.ms - t.ms) / 1000.0;
      const Window w = corrections.window(ahead_s, std::max(1, legs_ahead));
      e.earliest = std::max(t, plus_s(e.arrival, w.early_s));
      e.latest = plus_s(e.arrival, w.late_s);
      core::Timestamp start = e.arrival;
      if (params.wait_for_window_start && stop.window && stop.window->start > start) start = stop.window->start;
      e.departure = plus_s(start, service);
    }
    if (stop.window && e.arrival > stop.window->end) e.late_by_s = (e.arrival.ms - stop.window->end.ms) / 1000.0;
    clock = e.departure;
    if (stop.location) previous = idx;
    out.stops.push_back(e);
  }
  return out;
}

}  // namespace lastmile::eta
