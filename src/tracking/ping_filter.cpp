#include "tracking/ping_filter.hpp"

#include <cmath>

namespace lastmile::tracking {
namespace {

FilterResult rejected(RejectReason r) { return FilterResult{Verdict::kRejected, r, std::nullopt}; }

std::optional<double> non_negative(std::optional<double> v) {
  if (!v || !std::isfinite(*v) || *v < 0) return std::nullopt;
  return v;
}

std::optional<double> heading(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return std::nullopt;
  double h = std::fmod(*v, 360.0);
  return h < 0 ? h + 360.0 : h;
}

std::optional<double> battery(std::optional<double> v) {
  if (!v || !std::isfinite(*v) || *v < 0 || *v > 100) return std::nullopt;
  return v;
}

DriverTrackState::Key key_of(const ingest::Ping& p) {
  return {p.t.ms, std::llround(p.position.lat() * 1e7), std::llround(p.position.lon() * 1e7)};
}

bool seen(const DriverTrackState& s, const DriverTrackState::Key& k) {
  for (size_t i = 0; i < s.recent_count; ++i)
    if (s.recent[i] == k) return true;
  return false;
}

void remember(DriverTrackState& s, const DriverTrackState::Key& k) {
  s.recent[s.recent_next] = k;
  s.recent_next = (s.recent_next + 1) % s.recent.size();
  if (s.recent_count < s.recent.size()) ++s.recent_count;
}

}  // namespace

std::string_view reject_reason_name(RejectReason r) {
  switch (r) {
    case RejectReason::kBadCoordinates: return "bad_coordinates";
    case RejectReason::kInvalidFix: return "invalid_fix";
    case RejectReason::kInFuture: return "in_future";
    case RejectReason::kTooOld: return "too_old";
    case RejectReason::kPoorAccuracy: return "poor_accuracy";
    case RejectReason::kImpossibleJump: return "impossible_jump";
  }
  return "bad_coordinates";
}

FilterResult filter_ping(DriverTrackState& state, const ingest::UnsafePing& in, const core::DriverId& driver,
                         core::Timestamp received_at, const FilterParams& params) {
  auto position = core::LatLon::from_unsafe(in.position);
  if (!position) return rejected(RejectReason::kBadCoordinates);
  if (position->lat() == 0 && position->lon() == 0) return rejected(RejectReason::kBadCoordinates);  // "null island"
  if (in.valid == false) return rejected(RejectReason::kInvalidFix);
  if (in.t.ms > received_at.ms + params.max_future_ms) return rejected(RejectReason::kInFuture);
  if (in.t.ms < received_at.ms - params.max_age_ms) return rejected(RejectReason::kTooOld);
  auto accuracy = non_negative(in.accuracy_m);
  if (accuracy && *accuracy > params.max_accuracy_m) return rejected(RejectReason::kPoorAccuracy);

  ingest::Ping p;
  p.driver_id = driver;
  p.t = in.t;
  p.position = *position;
  p.speed_mps = non_negative(in.speed_mps);
  p.heading_deg = heading(in.heading_deg);
  p.accuracy_m = accuracy;
  p.altitude_m = in.altitude_m && std::isfinite(*in.altitude_m) ? in.altitude_m : std::nullopt;
  p.battery_pct = battery(in.battery_pct);
  p.received_at = received_at;

  const auto key = key_of(p);
  if (seen(state, key)) return FilterResult{Verdict::kDuplicate, std::nullopt, std::nullopt};

  if (state.live && p.t.ms <= state.live->t.ms) {  // out of order: history only
    remember(state, key);
    return FilterResult{Verdict::kLate, std::nullopt, std::move(p)};
  }
  if (state.live) {
    const double distance = core::haversine_m(state.live->position, p.position);
    const double seconds = static_cast<double>(p.t.ms - state.live->t.ms) / 1000.0;
    if (distance > params.jump_min_distance_m && distance > params.max_speed_mps * seconds)
      return rejected(RejectReason::kImpossibleJump);
  }
  remember(state, key);
  state.live = p;
  return FilterResult{Verdict::kAccepted, std::nullopt, std::move(p)};
}

}  // namespace lastmile::tracking
