// The fleet plan of `lastmile simulate` / `lastmile demo` (fleet_plan.hpp).
#include "sim/fleet_plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "sim/sim_random.hpp"

namespace lastmile::sim {
namespace {

constexpr uint64_t kStreamFleetDepot = 101;
constexpr uint64_t kStreamFleetStops = 102;
constexpr uint64_t kStreamFleetPhone = 103;
constexpr uint64_t kStreamFleetBatches = 104;

core::Timestamp plus_s(core::Timestamp t, double s) { return core::Timestamp{t.ms + std::llround(s * 1000)}; }

// The candidate nearest to the candidates' centroid: a central depot.
core::LatLon central(const std::vector<core::LatLon>& points) {
  double lat = 0, lon = 0;
  for (const core::LatLon& p : points) {
    lat += p.lat();
    lon += p.lon();
  }
  const core::LatLon mid = *core::LatLon::from_unsafe({lat / points.size(), lon / points.size()});
  return *std::min_element(points.begin(), points.end(), [&](const core::LatLon& a, const core::LatLon& b) {
    return core::haversine_m(a, mid) < core::haversine_m(b, mid);
  });
}

// `n` stops at least `spacing` from the depot and from each other and at most `radius` from the
// depot, in nearest-neighbour order.
map::Result<std::vector<core::LatLon>> pick_stops(const map::Router& router, core::LatLon depot, size_t n,
                                                  double spacing, double radius, uint64_t seed) {
  const std::vector<core::LatLon> candidates = random_stops(router, 60 * n + 60, seed);
  std::vector<core::LatLon> kept;
  for (const core::LatLon& c : candidates) {
    if (kept.size() == n) break;
    const double from_depot = core::haversine_m(c, depot);
    if (from_depot < spacing || from_depot > radius) continue;
    const bool near = std::any_of(kept.begin(), kept.end(),
                                  [&](const core::LatLon& k) { return core::haversine_m(c, k) < spacing; });
    if (!near) kept.push_back(c);
  }
  if (kept.size() < n) {
    return map::Error{map::ErrorCode::kEmptyMap,
                      "only " + std::to_string(kept.size()) + " of " + std::to_string(n) + " stops fit " +
                          std::to_string(static_cast<int>(spacing)) + " m apart within " +
                          std::to_string(static_cast<int>(radius)) + " m of the depot on this map"};
  }
  return order_nearest_neighbour(depot, kept);
}

DriverRole role_of(size_t index) {
  switch (index) {
    case 0:
      return DriverRole::kSlow;
    case 1:
      return DriverRole::kDetour;
    case 2:
      return DriverRole::kFailedAndOffline;
    default:
      return DriverRole::kNormal;
  }
}

}  // namespace

const char* driver_role_name(DriverRole role) {
  switch (role) {
    case DriverRole::kNormal:
      return "normal";
    case DriverRole::kSlow:
      return "slow";
    case DriverRole::kDetour:
      return "detour";
    case DriverRole::kFailedAndOffline:
      return "failed_attempt_offline";
  }
  return "normal";
}

map::Result<FleetPlan> plan_fleet(const map::Router& router, const FleetOptions& o) {
  FleetPlan fleet;
  const std::vector<core::LatLon> depots =
      random_stops(router, 50, derive_seed(o.seed, kStreamFleetDepot, 0));
  if (depots.empty()) return map::Error{map::ErrorCode::kEmptyMap, "no roads for a depot on this map"};
  fleet.depot = central(depots);
  World world = typical_city_world();
  world.utc_offset_s = o.utc_offset_s;
  const size_t middle = o.stops_per_driver / 2;
  for (size_t d = 0; d < o.drivers; ++d) {
    auto stops = pick_stops(router, fleet.depot, o.stops_per_driver, o.min_spacing_m, o.max_radius_m,
                            derive_seed(o.seed, kStreamFleetStops, d));
    if (!stops) return stops.error();
    DriverScenario s;
    s.role = role_of(d);
    s.plan = DrivePlan{fleet.depot, {}, o.start, true};
    for (const core::LatLon& p : *stops) s.plan.stops.push_back(PlannedStop{p, o.planned_service_s});
    s.phone.seed = derive_seed(o.seed, kStreamFleetPhone, d);
    // The promise: the pace-1 drive without disturbances (what the dispatcher's plan expects).
    auto expected = simulate_drive(router, s.plan, world, Driver{}, Disturbances{}, s.phone);
    if (!expected) return expected.error();
    const double after = s.role == DriverRole::kSlow ? 0 : o.window_after_s;
    for (const StopTruth& t : expected->stops) {
      s.windows.push_back(PromisedWindow{plus_s(t.arrived, -o.window_before_s), plus_s(t.arrived, after)});
    }
    if (s.role == DriverRole::kSlow) s.driver.pace = o.slow_pace;
    if (s.role == DriverRole::kDetour) s.disturbances.blocked_leg = middle;
    if (s.role == DriverRole::kFailedAndOffline) {
      s.disturbances.failed_attempt_stop = middle;
      s.disturbances.out_of_order_batch = true;
      auto failed = simulate_drive(router, s.plan, world, s.driver, s.disturbances, s.phone);
      if (!failed) return failed.error();
      const core::Timestamp from = plus_s(failed->stops[middle].departed, 30);
      s.disturbances.offline = std::make_pair(from, plus_s(from, o.offline_s));
    }
    // The phone keeps recording while offline (drive_actions holds those fixes until it
    // reconnects), so the drive is simulated without the window; its draws are the same either way.
    Disturbances recorded = s.disturbances;
    recorded.offline.reset();
    auto drive = simulate_drive(router, s.plan, world, s.driver, recorded, s.phone);
    if (!drive) return drive.error();
    s.drive = std::move(*drive);
    if (s.role == DriverRole::kSlow) {
      bool late = false;
      for (size_t i = 0; i < s.drive.stops.size(); ++i) {
        late = late || s.drive.stops[i].arrived > plus_s(s.windows[i].end, o.late_check_s);
      }
      if (!late) {
        return map::Error{map::ErrorCode::kNoRoute,
                          "the slow driver's route is too short to be late: use more stops per driver"};
      }
    }
    fleet.drivers.push_back(std::move(s));
  }
  return fleet;
}

std::vector<DriveAction> drive_actions(const DriverScenario& s, const UploadStyle& style) {
  const auto& off = s.disturbances.offline;
  auto offline_at = [&off](core::Timestamp t) { return off && t >= off->first && t < off->second; };
  // A batch is due when its newest fix was taken; one due while offline waits for the reconnect.
  auto due = [&](core::Timestamp t) { return offline_at(t) ? off->second : t; };
  std::vector<std::vector<SimPing>> uploads;
  if (style.one_fix_per_request) {
    for (const SimPing& p : s.drive.pings) uploads.push_back({p});
  } else {
    uploads = batch_pings(s.drive.pings, style.batch_s, s.disturbances.out_of_order_batch,
                          derive_seed(s.phone.seed, kStreamFleetBatches, 0));
  }
  // The phone's buffer: of the fixes held while offline, only the newest max_held survive.
  size_t held = 0;
  for (const auto& u : uploads) {
    if (!u.empty() && offline_at(std::max_element(u.begin(), u.end(), [](const SimPing& a, const SimPing& b) {
                                   return a.t < b.t;
                                 })->t))
      held += u.size();
  }
  size_t drop = held > style.max_held ? held - style.max_held : 0;
  std::vector<DriveAction> out;
  core::Timestamp last{INT64_MIN};
  for (auto& batch : uploads) {
    core::Timestamp newest{INT64_MIN};
    for (const SimPing& p : batch) newest = std::max(newest, p.t);
    if (offline_at(newest) && drop > 0) {
      const size_t n = std::min(drop, batch.size());
      batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
      drop -= n;
      if (batch.empty()) continue;
    }
    DriveAction a;
    a.send_at = last = std::max(last, due(newest));
    a.pings = std::move(batch);
    out.push_back(std::move(a));
  }
  for (size_t i = 0; i < s.drive.stops.size(); ++i) {
    DriveAction a;
    a.kind = s.drive.stops[i].failed ? DriveAction::Kind::kAttemptFailed : DriveAction::Kind::kDelivered;
    a.at = s.drive.stops[i].departed;
    a.send_at = due(a.at);
    a.stop = i;
    out.push_back(std::move(a));
  }
  // Stable: at a reconnect the held fixes go before the held reports (pushed first).
  std::stable_sort(out.begin(), out.end(),
                   [](const DriveAction& a, const DriveAction& b) { return a.send_at < b.send_at; });
  return out;
}

}  // namespace lastmile::sim
