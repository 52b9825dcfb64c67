#include "sim/drive_simulator.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/leg_path.hpp"
#include "sim/sim_random.hpp"

namespace lastmile::sim {
namespace {

// A straight piece of the true trajectory, in seconds since the plan's start: moving from a to b
// over [t0, t1), or standing (a == b, speed 0) while dwelling.
struct Piece {
  double t0 = 0;
  double t1 = 0;
  core::LatLon a;
  core::LatLon b;
  double speed_mps = 0;
  double heading_deg = 0;
};

struct TruePoint {
  core::LatLon position;
  double speed_mps = 0;
  double heading_deg = 0;
};

// Samples the trajectory at increasing times (the cursor only moves forward).
class TrajectoryCursor {
 public:
  TrajectoryCursor(const std::vector<Piece>& pieces, core::LatLon rest) : pieces_(pieces), rest_(rest) {}
  // REQUIRES: t not below the previous call's.
  TruePoint at(double t) {
    if (pieces_.empty()) return {rest_, 0, 0};
    while (i_ + 1 < pieces_.size() && pieces_[i_].t1 <= t) ++i_;
    const Piece& p = pieces_[i_];
    const double span = p.t1 - p.t0;
    const double f = span > 0 ? std::clamp((t - p.t0) / span, 0.0, 1.0) : 1.0;
    return {lerp(p.a, p.b, f), p.speed_mps, p.heading_deg};
  }

 private:
  const std::vector<Piece>& pieces_;
  core::LatLon rest_;
  size_t i_ = 0;
};

int local_hour(core::Timestamp t, int utc_offset_s) {
  constexpr int64_t kDay = 86'400;
  const int64_t s = (t.ms >= 0 ? t.ms / 1000 : (t.ms - 999) / 1000) + utc_offset_s;
  return static_cast<int>((((s % kDay) + kDay) % kDay) / 3600);
}

std::string place_name(size_t index, size_t stops) {
  return index < stops ? "stop " + std::to_string(index) : "depot";
}

// "leg 2 (stop 1 -> stop 2)".
std::string leg_name(size_t leg, size_t stops) {
  const std::string from = leg == 0 ? "depot" : place_name(leg - 1, stops);
  return "leg " + std::to_string(leg) + " (" + from + " -> " + place_name(leg, stops) + ")";
}

// A leg routed: what was planned and what will be driven.
struct RoutedLeg {
  map::Route planned;
  map::Route driven;
  bool detoured = false;
  uint32_t closed_edge = map::kNoEdge;  // when detoured
  std::vector<Segment> segments;        // of `driven`
};

map::Result<std::vector<RoutedLeg>> route_legs(const map::Router& router, const DrivePlan& plan,
                                               const Disturbances& disturbances) {
  const size_t n = plan.stops.size();
  const size_t legs = n == 0 ? 0 : n + (plan.return_to_depot ? 1 : 0);
  std::vector<RoutedLeg> out;
  out.reserve(legs);
  for (size_t leg = 0; leg < legs; ++leg) {
    const core::LatLon from = leg == 0 ? plan.depot : plan.stops[leg - 1].location;
    const core::LatLon to = leg < n ? plan.stops[leg].location : plan.depot;
    auto route = router.route(from, to);
    if (!route.ok()) return map::Error{route.error().code, leg_name(leg, n) + ": " + route.error().message};
    RoutedLeg r;
    r.planned = std::move(*route);
    if (disturbances.blocked_leg == leg) {
      if (auto detour = detour_around(router, from, to, r.planned)) {
        r.driven = std::move(detour->route);
        r.detoured = true;
        r.closed_edge = detour->closed_edge;
      }
    }
    if (!r.detoured) r.driven = r.planned;
    r.segments = leg_segments(router, r.driven);
    out.push_back(std::move(r));
  }
  return out;
}

// Guards against a zero or negative factor (a REQUIRES violation) turning into an endless drive.
constexpr double kMinSpeedFactor = 1e-3;

core::Timestamp at_offset(core::Timestamp start, double seconds) {
  return core::Timestamp{start.ms + std::llround(seconds * 1000)};
}

// The true trajectory as it is built, leg by leg.
struct Timeline {
  std::vector<Piece> pieces;
  double t = 0;        // seconds since plan.start
  double heading = 0;  // of the last movement
};

// Appends the driven route's points to the drive's path, sharing the joint with the previous leg.
void append_path(const map::Route& driven, std::vector<core::LatLon>& path, LegTruth& truth) {
  const auto& geometry = driven.geometry;
  const size_t skip = !path.empty() && !geometry.empty() && path.back() == geometry.front() ? 1 : 0;
  truth.path_begin = path.size() - skip;
  path.insert(path.end(), geometry.begin() + static_cast<std::ptrdiff_t>(skip), geometry.end());
  truth.path_end = path.size();
}

// Drives the leg's segments from timeline.t; fills the truth's free-flow sums. Returns with
// timeline.t at the arrival, rounded to the millisecond.
void drive_leg(const RoutedLeg& r, size_t leg, core::Timestamp start, const World& world, const Driver& driver,
               uint64_t seed, Timeline& timeline, LegTruth& truth) {
  Random rng(derive_seed(seed, kStreamLeg, leg));
  const double leg_factor = rng.lognormal_factor(world.leg_speed_noise);
  double stretch_factor = 1;
  bool first = true;
  uint64_t stretch = 0;
  double& t = timeline.t;
  for (const Segment& s : r.segments) {
    if (first || s.stretch != stretch) {
      stretch_factor = rng.lognormal_factor(world.speed_noise);
      stretch = s.stretch;
      first = false;
    }
    truth.free_flow_s += s.free_flow_s;
    truth.class_s[static_cast<size_t>(s.road_class)] += s.free_flow_s;
    const int hour = local_hour(at_offset(start, t), world.utc_offset_s);
    const double factor = world.class_speed_factor[static_cast<size_t>(s.road_class)] *
                          world.hour_speed_factor[static_cast<size_t>(hour)] * driver.pace * stretch_factor *
                          leg_factor;
    const double duration = s.free_flow_s / std::max(factor, kMinSpeedFactor);
    if (!(duration > 0)) continue;  // a zero-length joint
    if (s.length_m > 0) timeline.heading = bearing_deg(s.a, s.b);
    timeline.pieces.push_back({t, t + duration, s.a, s.b, s.length_m / duration, timeline.heading});
    t += duration;
  }
  // Truth times are whole milliseconds: the arrival is rounded and the trajectory follows it, so
  // that durations (dwell, legs) do not depend on where rounding fell.
  t = std::llround(t * 1000) / 1000.0;
  if (!timeline.pieces.empty() && timeline.pieces.back().speed_mps > 0) timeline.pieces.back().t1 = t;
}

// Dwells at stop `index` from timeline.t (rounded to the millisecond) and returns its truth.
StopTruth dwell_at(const DrivePlan& plan, size_t index, core::LatLon point, const World& world,
                   const Disturbances& disturbances, uint64_t seed, Timeline& timeline) {
  Random rng(derive_seed(seed, kStreamService, index));
  const double noise = rng.lognormal_factor(world.service_noise);
  const bool failed = disturbances.failed_attempt_stop == index;
  const double wanted =
      failed ? disturbances.failed_dwell_s : plan.stops[index].planned_service_s * world.service_factor * noise;
  const double dwell = std::max(0.0, std::llround(wanted * 1000) / 1000.0);
  const double t = timeline.t;
  if (dwell > 0) timeline.pieces.push_back({t, t + dwell, point, point, 0, timeline.heading});
  timeline.t = t + dwell;
  return StopTruth{at_offset(plan.start, t), at_offset(plan.start, t + dwell), failed, point};
}

// The phone's samples of the trajectory from plan.start to `end`: every U[min, max] (whole
// milliseconds), Gaussian noise on each axis, none in the offline window.
std::vector<SimPing> sample_phone(const std::vector<Piece>& pieces, const DrivePlan& plan, core::Timestamp end,
                                  const Disturbances& disturbances, const PhoneOptions& phone) {
  std::vector<SimPing> pings;
  Random rng(derive_seed(phone.seed, kStreamPhone, 0));
  const int64_t min_ms = std::max<int64_t>(1, std::llround(phone.min_interval_s * 1000));
  const int64_t max_ms = std::max<int64_t>(min_ms, std::llround(phone.max_interval_s * 1000));
  const int64_t end_ms = end.ms - plan.start.ms;
  TrajectoryCursor cursor(pieces, plan.depot);
  for (int64_t ms = 0; ms <= end_ms; ms += rng.uniform_int(min_ms, max_ms)) {
    // Drawn before the offline check, so a window removes pings without changing the others.
    const double east = rng.normal() * phone.gps_noise_m;
    const double north = rng.normal() * phone.gps_noise_m;
    const core::Timestamp when{plan.start.ms + ms};
    if (disturbances.offline && disturbances.offline->first <= when && when < disturbances.offline->second) continue;
    const TruePoint truth = cursor.at(ms / 1000.0);
    pings.push_back(
        {when, offset(truth.position, east, north), truth.speed_mps, truth.heading_deg, phone.accuracy_m, truth.position});
  }
  return pings;
}

}  // namespace

map::Result<Drive> simulate_drive(const map::Router& router, const DrivePlan& plan, const World& world,
                                  const Driver& driver, const Disturbances& disturbances,
                                  const PhoneOptions& phone) {
  auto routed = route_legs(router, plan, disturbances);
  if (!routed.ok()) return routed.error();
  Drive drive;
  Timeline timeline;
  for (size_t leg = 0; leg < routed->size(); ++leg) {
    const RoutedLeg& r = (*routed)[leg];
    LegTruth truth;
    truth.departed = at_offset(plan.start, timeline.t);
    truth.planned_free_flow_s = r.planned.duration_s;
    truth.planned_class_s = r.planned.class_duration_s;
    truth.planned_distance_m = r.planned.distance_m;
    truth.distance_m = r.driven.distance_m;
    truth.detoured = r.detoured;
    if (r.detoured) {
      const map::Edge& closed = router.graph().edge(r.closed_edge);
      truth.closed_segment = std::make_pair(router.graph().coord(closed.source), router.graph().coord(closed.target));
    }
    append_path(r.driven, drive.path, truth);
    drive_leg(r, leg, plan.start, world, driver, phone.seed, timeline, truth);
    truth.arrived = at_offset(plan.start, timeline.t);
    drive.legs.push_back(truth);
    if (leg < plan.stops.size()) {
      const core::LatLon point = r.driven.geometry.empty() ? plan.stops[leg].location : r.driven.geometry.back();
      drive.stops.push_back(dwell_at(plan, leg, point, world, disturbances, phone.seed, timeline));
    }
  }
  drive.end = at_offset(plan.start, timeline.t);
  drive.pings = sample_phone(timeline.pieces, plan, drive.end, disturbances, phone);
  return drive;
}

World typical_city_world() {
  World w;
  w.class_speed_factor = {1.0, 0.95, 0.85, 0.85, 0.8, 0.75, 0.7, 0.8};
  w.hour_speed_factor[7] = 0.75;
  w.hour_speed_factor[8] = 0.75;
  w.hour_speed_factor[12] = 0.9;
  w.hour_speed_factor[16] = 0.8;
  w.hour_speed_factor[17] = 0.8;
  w.hour_speed_factor[18] = 0.8;
  w.service_factor = 1.15;
  w.service_noise = 0.3;
  w.speed_noise = 0.10;
  w.leg_speed_noise = 0.08;
  return w;
}

std::vector<std::vector<SimPing>> batch_pings(const std::vector<SimPing>& pings, double batch_s, bool out_of_order,
                                              uint64_t seed) {
  std::vector<std::vector<SimPing>> batches;
  if (pings.empty()) return batches;
  const int64_t batch_ms = std::max<int64_t>(1, std::llround(batch_s * 1000));
  const int64_t t0 = pings.front().t.ms;
  int64_t current = -1;
  for (const SimPing& p : pings) {
    const int64_t k = (p.t.ms - t0) / batch_ms;
    if (k != current) {
      batches.emplace_back();
      current = k;
    }
    batches.back().push_back(p);
  }
  if (out_of_order && batches.size() >= 2) {
    const int64_t n = static_cast<int64_t>(batches.size());
    const int64_t lo = std::min(n / 4, n - 2);
    const int64_t hi = std::max(lo, std::min((3 * n) / 4 - 1, n - 2));
    Random rng(derive_seed(seed, kStreamBatch, 0));
    const int64_t i = rng.uniform_int(lo, hi);
    std::swap(batches[static_cast<size_t>(i)], batches[static_cast<size_t>(i + 1)]);
  }
  return batches;
}

}  // namespace lastmile::sim
