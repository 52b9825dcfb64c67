// The drive simulator on the bundled Monaco extract (imported once per test process).
#include "sim/drive_simulator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <set>
#include <vector>

#include "map/router.hpp"
#include "unit/map/map_test_support.hpp"

namespace lastmile::sim {
namespace {

core::LatLon at(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }

class DriveSimulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto g = map::test::monaco_graph();
    ASSERT_TRUE(g.ok()) << g.error().message;
    router_ = new map::Router(*g);
  }
  static void TearDownTestSuite() { delete router_; }
  void SetUp() override { ASSERT_NE(router_, nullptr); }

  // Fontvieille → Monaco-Ville → Port Hercule → Avenue de la Costa → Monte-Carlo, from 09:00 UTC.
  static DrivePlan plan() {
    DrivePlan p{at(43.7277, 7.4157), {}, core::Timestamp{1'764'493'200'000}, false};
    for (core::LatLon s : {at(43.7311, 7.4197), at(43.7347, 7.4212), at(43.7384, 7.4246), at(43.7393, 7.4282)}) {
      p.stops.push_back(PlannedStop{s, 120});
    }
    return p;
  }
  static Drive drive(const DrivePlan& p, const World& w = {}, const Driver& d = {}, const Disturbances& x = {},
                     const PhoneOptions& phone = {}) {
    auto r = simulate_drive(*router_, p, w, d, x, phone);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Drive{};
  }
  static World quiet_world() {
    World w;
    w.speed_noise = 0;
    w.service_noise = 0;
    return w;
  }

  static map::Router* router_;
};
map::Router* DriveSimulatorTest::router_ = nullptr;

bool same_pings(const std::vector<SimPing>& a, const std::vector<SimPing>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].t != b[i].t || !(a[i].position == b[i].position) || a[i].speed_mps != b[i].speed_mps ||
        a[i].heading_deg != b[i].heading_deg) {
      return false;
    }
  }
  return true;
}

TEST_F(DriveSimulatorTest, SameSeedGivesTheSameDriveAnotherSeedADifferentOne) {
  PhoneOptions phone;
  phone.seed = 42;
  const Drive a = drive(plan(), {}, {}, {}, phone);
  const Drive b = drive(plan(), {}, {}, {}, phone);
  ASSERT_FALSE(a.pings.empty());
  EXPECT_TRUE(same_pings(a.pings, b.pings));
  EXPECT_EQ(a.end, b.end);
  phone.seed = 43;
  const Drive c = drive(plan(), {}, {}, {}, phone);
  EXPECT_FALSE(same_pings(a.pings, c.pings));
  EXPECT_NE(a.stops.back().arrived, c.stops.back().arrived);
}

TEST_F(DriveSimulatorTest, PingsAreMonotonicWithIntervalsWithinBounds) {
  PhoneOptions phone;
  phone.min_interval_s = 1;
  phone.max_interval_s = 5;
  const DrivePlan p = plan();
  const Drive d = drive(p, {}, {}, {}, phone);
  ASSERT_GT(d.pings.size(), 100u);
  EXPECT_EQ(d.pings.front().t, p.start);
  EXPECT_LE(d.pings.back().t, d.end);
  EXPECT_GT(d.pings.back().t.ms, d.end.ms - 5000);
  double sum = 0;
  for (size_t i = 1; i < d.pings.size(); ++i) {
    const int64_t dt = d.pings[i].t.ms - d.pings[i - 1].t.ms;
    ASSERT_GE(dt, 1000) << i;
    ASSERT_LE(dt, 5000) << i;
    sum += dt;
  }
  EXPECT_NEAR(sum / (d.pings.size() - 1), 3000, 300);  // U[1, 5] s has mean 3 s
  for (const SimPing& ping : d.pings) {
    EXPECT_GE(ping.heading_deg, 0);
    EXPECT_LT(ping.heading_deg, 360);
    EXPECT_GE(ping.speed_mps, 0);
    EXPECT_LT(ping.speed_mps, 40);
    EXPECT_EQ(ping.accuracy_m, phone.accuracy_m);
  }
}

TEST_F(DriveSimulatorTest, NoPingWhileOfflineAndTheDriveGoesOn) {
  const DrivePlan p = plan();
  const Drive online = drive(p);
  Disturbances x;
  const core::Timestamp from{p.start.ms + 300'000}, to{p.start.ms + 600'000};
  x.offline = std::make_pair(from, to);
  const Drive offline = drive(p, {}, {}, x);
  EXPECT_EQ(offline.end, online.end);
  size_t gaps = 0;
  for (size_t i = 0; i < offline.pings.size(); ++i) {
    EXPECT_FALSE(from <= offline.pings[i].t && offline.pings[i].t < to) << i;
    if (i > 0) {
      const int64_t dt = offline.pings[i].t.ms - offline.pings[i - 1].t.ms;
      if (dt > 5000) ++gaps;
      EXPECT_GE(dt, 1000);
    }
  }
  EXPECT_EQ(gaps, 1u);
  // The same phone otherwise: the online drive's pings outside the window.
  std::vector<SimPing> expected;
  for (const SimPing& ping : online.pings) {
    if (!(from <= ping.t && ping.t < to)) expected.push_back(ping);
  }
  EXPECT_TRUE(same_pings(expected, offline.pings));
}

TEST_F(DriveSimulatorTest, GpsNoiseHasTheConfiguredScale) {
  PhoneOptions phone;
  phone.gps_noise_m = 5;
  const Drive d = drive(plan(), {}, {}, {}, phone);
  double sum = 0, sum_east = 0;
  for (const SimPing& ping : d.pings) {
    sum += core::haversine_m(ping.position, ping.true_position);
    sum_east += (ping.position.lon() - ping.true_position.lon()) * std::cos(ping.true_position.lat() * M_PI / 180) *
                (6'371'008.8 * M_PI / 180);
  }
  const double n = static_cast<double>(d.pings.size());
  // Each axis N(0, 5²): the horizontal error is Rayleigh, mean 5·sqrt(pi/2) = 6.27 m.
  EXPECT_NEAR(sum / n, 6.27, 0.8);
  EXPECT_NEAR(sum_east / n, 0, 0.8);
  phone.gps_noise_m = 0;
  const Drive exact = drive(plan(), {}, {}, {}, phone);
  for (const SimPing& ping : exact.pings) EXPECT_LT(core::haversine_m(ping.position, ping.true_position), 1e-6);
}

TEST_F(DriveSimulatorTest, TruePositionsLieOnThePath) {
  PhoneOptions phone;
  phone.gps_noise_m = 0;
  const Drive d = drive(plan(), {}, {}, {}, phone);
  ASSERT_GT(d.path.size(), 10u);
  // Every true position within a metre of a segment of the path (checked on every 10th ping).
  for (size_t i = 0; i < d.pings.size(); i += 10) {
    const core::LatLon p = d.pings[i].true_position;
    double best = 1e9;
    for (size_t k = 0; k + 1 < d.path.size(); ++k) {
      const core::LatLon a = d.path[k], b = d.path[k + 1];
      const double ab = core::haversine_m(a, b);
      // On the segment: |ap| + |pb| ≈ |ab|.
      best = std::min(best, core::haversine_m(a, p) + core::haversine_m(p, b) - ab);
    }
    EXPECT_LT(best, 0.5) << i;
  }
}

TEST_F(DriveSimulatorTest, SpeedAndHeadingFollowTheTrueMotion) {
  PhoneOptions phone;
  phone.max_interval_s = 2;
  const Drive d = drive(plan(), {}, {}, {}, phone);
  int checked = 0, heading_ok = 0, speed_ok = 0;
  for (size_t i = 1; i < d.pings.size(); ++i) {
    const SimPing &a = d.pings[i - 1], &b = d.pings[i];
    const double moved = core::haversine_m(a.true_position, b.true_position);
    if (a.speed_mps <= 0 || b.speed_mps <= 0 || moved < 5) continue;
    ++checked;
    // Heading 0 = north, clockwise: the bearing of the true displacement, give or take the bends.
    const double dn = (b.true_position.lat() - a.true_position.lat()) * 111'195;
    const double de = (b.true_position.lon() - a.true_position.lon()) * 111'195 * std::cos(a.true_position.lat() * M_PI / 180);
    double bearing = std::atan2(de, dn) * 180 / M_PI;
    if (bearing < 0) bearing += 360;
    const double diff = std::fabs(std::remainder(bearing - b.heading_deg, 360.0));
    heading_ok += diff < 30 ? 1 : 0;
    const double avg = moved / ((b.t.ms - a.t.ms) / 1000.0);
    speed_ok += std::fabs(avg - b.speed_mps) < 0.35 * b.speed_mps ? 1 : 0;
  }
  std::printf("sim: %d moving ping pairs: heading within 30 deg %d, speed within 35%% %d\n", checked, heading_ok,
              speed_ok);
  ASSERT_GT(checked, 100);
  EXPECT_GT(heading_ok, checked * 8 / 10);
  EXPECT_GT(speed_ok, checked * 8 / 10);
}

TEST_F(DriveSimulatorTest, ASlowDriverArrivesLaterAtEveryStop) {
  const Drive normal = drive(plan());
  Driver slow;
  slow.pace = 0.7;
  const Drive late = drive(plan(), {}, slow);
  ASSERT_EQ(normal.stops.size(), late.stops.size());
  const int64_t start = plan().start.ms;
  for (size_t i = 0; i < normal.stops.size(); ++i) {
    EXPECT_GT(late.stops[i].arrived, normal.stops[i].arrived) << i;
    // Travel takes 1/0.7 as long; dwell is the same draw.
    EXPECT_EQ(late.stops[i].departed.ms - late.stops[i].arrived.ms,
              normal.stops[i].departed.ms - normal.stops[i].arrived.ms);
  }
  EXPECT_NEAR(static_cast<double>(late.legs[0].arrived.ms - start) / (normal.legs[0].arrived.ms - start), 1 / 0.7,
              0.001);
}

TEST_F(DriveSimulatorTest, WithoutNoiseLegsTakeTheRoutersFreeFlowTime) {
  const Drive d = drive(plan(), quiet_world());
  ASSERT_EQ(d.legs.size(), 4u);
  for (const LegTruth& leg : d.legs) {
    EXPECT_NEAR(leg.free_flow_s, leg.planned_free_flow_s, 0.5);
    EXPECT_NEAR((leg.arrived.ms - leg.departed.ms) / 1000.0, leg.free_flow_s, 0.01);
    double by_class = 0;
    for (double s : leg.class_s) by_class += s;
    EXPECT_NEAR(by_class, leg.free_flow_s, 1e-6);
    EXPECT_FALSE(leg.detoured);
    EXPECT_DOUBLE_EQ(leg.distance_m, leg.planned_distance_m);
  }
  for (const StopTruth& stop : d.stops) EXPECT_EQ(stop.departed.ms - stop.arrived.ms, 120'000);
}

TEST_F(DriveSimulatorTest, AClassFactorSlowsTheTimeOnThatClass) {
  World w = quiet_world();
  const Drive base = drive(plan(), w);
  const size_t residential = static_cast<size_t>(map::RoadClass::kResidential);
  w.class_speed_factor[residential] = 0.5;
  const Drive slowed = drive(plan(), w);
  double on_class = 0;
  for (size_t i = 0; i < base.legs.size(); ++i) {
    const double base_s = (base.legs[i].arrived.ms - base.legs[i].departed.ms) / 1000.0;
    const double slowed_s = (slowed.legs[i].arrived.ms - slowed.legs[i].departed.ms) / 1000.0;
    const double class_s = base.legs[i].class_s[residential];
    on_class += class_s;
    // Half the speed on residential roads: their seconds count twice.
    EXPECT_NEAR(slowed_s - base_s, class_s, 0.01) << i;
  }
  EXPECT_GT(on_class, 10);  // the plan does drive on residential roads
}

TEST_F(DriveSimulatorTest, AnHourFactorSlowsTheLegsDrivenInThatLocalHour) {
  World w = quiet_world();
  const Drive base = drive(plan(), w);
  w.utc_offset_s = 3600;            // 09:00 UTC is 10:00 local
  w.hour_speed_factor[10] = 0.5;
  const Drive rush = drive(plan(), w);
  const double base_s = (base.legs[0].arrived.ms - base.legs[0].departed.ms) / 1000.0;
  const double rush_s = (rush.legs[0].arrived.ms - rush.legs[0].departed.ms) / 1000.0;
  EXPECT_NEAR(rush_s, 2 * base_s, 0.01);
  w.hour_speed_factor[10] = 1;
  w.hour_speed_factor[9] = 0.5;  // 09:00 UTC is not 09:00 local
  const Drive other = drive(plan(), w);
  EXPECT_EQ(other.end, base.end);
}

TEST_F(DriveSimulatorTest, TheTypicalCityIsSlowerThanFreeFlowAtRushHour) {
  World w = typical_city_world();
  w.utc_offset_s = -3600;  // 09:00 UTC is 08:00 local: rush hour (0.75)
  const Drive d = drive(plan(), w);
  double free_flow = 0, driven = 0;
  for (const LegTruth& leg : d.legs) {
    free_flow += leg.free_flow_s;
    driven += (leg.arrived.ms - leg.departed.ms) / 1000.0;
  }
  EXPECT_GT(driven, free_flow * 1.3);
  EXPECT_LT(driven, free_flow * 2.5);
}

TEST_F(DriveSimulatorTest, TruthTimesAreConsistent) {
  DrivePlan p = plan();
  p.return_to_depot = true;
  const Drive d = drive(p);
  ASSERT_EQ(d.stops.size(), p.stops.size());
  ASSERT_EQ(d.legs.size(), p.stops.size() + 1);
  for (size_t i = 0; i < d.legs.size(); ++i) {
    std::printf("sim: leg %zu: %.0f m, free flow %.1f s, driven %.1f s\n", i, d.legs[i].distance_m,
                d.legs[i].free_flow_s, (d.legs[i].arrived.ms - d.legs[i].departed.ms) / 1000.0);
  }
  std::printf("sim: %zu pings over %.1f min, %zu path points\n", d.pings.size(), (d.end.ms - p.start.ms) / 60000.0,
              d.path.size());
  EXPECT_EQ(d.legs[0].departed, p.start);
  for (size_t i = 0; i < d.stops.size(); ++i) {
    EXPECT_EQ(d.legs[i].arrived, d.stops[i].arrived);
    EXPECT_LE(d.stops[i].arrived, d.stops[i].departed);
    EXPECT_EQ(d.legs[i + 1].departed, d.stops[i].departed);
    EXPECT_LT(d.stops[i].departed, d.legs[i + 1].arrived);
    EXPECT_FALSE(d.stops[i].failed);
    EXPECT_LT(core::haversine_m(d.stops[i].point, p.stops[i].location), 100);
  }
  EXPECT_EQ(d.end, d.legs.back().arrived);
  EXPECT_LT(core::haversine_m(d.path.back(), p.depot), 100);
  // The legs' paths join up: each starts where the previous ended.
  for (size_t i = 1; i < d.legs.size(); ++i) EXPECT_EQ(d.legs[i].path_begin + 1, d.legs[i - 1].path_end);
  EXPECT_EQ(d.legs.back().path_end, d.path.size());
  // While dwelling the phone reports the stop, standing still.
  for (const SimPing& ping : d.pings) {
    for (const StopTruth& stop : d.stops) {
      if (stop.arrived < ping.t && ping.t < stop.departed) {
        EXPECT_EQ(ping.speed_mps, 0);
        EXPECT_EQ(ping.true_position, stop.point);
      }
    }
  }
}

TEST_F(DriveSimulatorTest, AFailedAttemptDwellsShortlyAndIsMarked) {
  Disturbances x;
  x.failed_attempt_stop = 2;
  const Drive d = drive(plan(), {}, {}, x);
  for (size_t i = 0; i < d.stops.size(); ++i) EXPECT_EQ(d.stops[i].failed, i == 2) << i;
  EXPECT_EQ(d.stops[2].departed.ms - d.stops[2].arrived.ms, 60'000);
  const Drive normal = drive(plan());
  EXPECT_EQ(d.stops[2].arrived, normal.stops[2].arrived);
}

TEST_F(DriveSimulatorTest, ABlockedLegDetoursOnADifferentLongerPath) {
  const Drive normal = drive(plan(), quiet_world());
  Disturbances x;
  x.blocked_leg = 1;
  const Drive blocked = drive(plan(), quiet_world(), {}, x);
  const LegTruth& leg = blocked.legs[1];
  ASSERT_TRUE(leg.detoured);
  EXPECT_FALSE(blocked.legs[0].detoured);
  EXPECT_FALSE(blocked.legs[2].detoured);
  const std::vector<core::LatLon> planned(normal.path.begin() + normal.legs[1].path_begin,
                                          normal.path.begin() + normal.legs[1].path_end);
  const std::vector<core::LatLon> driven(blocked.path.begin() + leg.path_begin, blocked.path.begin() + leg.path_end);
  EXPECT_NE(planned, driven);
  EXPECT_EQ(planned.front(), driven.front());
  EXPECT_EQ(planned.back(), driven.back());
  EXPECT_GT(leg.free_flow_s, leg.planned_free_flow_s);
  EXPECT_GT(blocked.legs[1].arrived.ms - blocked.legs[1].departed.ms,
            normal.legs[1].arrived.ms - normal.legs[1].departed.ms);
  EXPECT_DOUBLE_EQ(leg.planned_distance_m, normal.legs[1].distance_m);
  // The closed segment is one of the planned path's and is driven in neither direction.
  ASSERT_TRUE(leg.closed_segment.has_value());
  const auto [from, to] = *leg.closed_segment;
  bool on_plan = false, uses_closed = false;
  for (size_t k = 0; k + 1 < planned.size(); ++k) on_plan = on_plan || (planned[k] == from && planned[k + 1] == to);
  for (size_t k = 0; k + 1 < driven.size(); ++k) {
    uses_closed = uses_closed || (driven[k] == from && driven[k + 1] == to) || (driven[k] == to && driven[k + 1] == from);
  }
  EXPECT_TRUE(on_plan);
  EXPECT_FALSE(uses_closed);
  EXPECT_FALSE(blocked.legs[0].closed_segment.has_value());
  std::printf("sim: blocked leg 1: planned %.0f m %.1f s free flow, detour %.0f m %.1f s free flow (%zu -> %zu points)\n",
              leg.planned_distance_m, leg.planned_free_flow_s, leg.distance_m, leg.free_flow_s, planned.size(),
              driven.size());
  // Other legs take their usual time.
  EXPECT_EQ(blocked.legs[0].arrived, normal.legs[0].arrived);
  EXPECT_EQ(blocked.legs[2].arrived.ms - blocked.legs[2].departed.ms,
            normal.legs[2].arrived.ms - normal.legs[2].departed.ms);
}

TEST_F(DriveSimulatorTest, AStopOutsideTheMapIsAnErrorNamingTheLeg) {
  DrivePlan p = plan();
  p.stops[1].location = at(43.70, 7.45);  // 2 km out at sea
  auto r = simulate_drive(*router_, p, {}, {}, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, map::ErrorCode::kOutsideMap);
  EXPECT_NE(r.error().message.find("leg 1 (stop 0 -> stop 1)"), std::string::npos) << r.error().message;
  p = plan();
  p.depot = at(48.8566, 2.3522);  // Paris
  auto paris = simulate_drive(*router_, p, {}, {}, {}, {});
  ASSERT_FALSE(paris.ok());
  EXPECT_EQ(paris.error().code, map::ErrorCode::kOutsideMap);
  EXPECT_NE(paris.error().message.find("leg 0 (depot -> stop 0)"), std::string::npos) << paris.error().message;
}

TEST_F(DriveSimulatorTest, NoRouteBetweenIslandsIsAnErrorNamingTheLeg) {
  // two_islands.osm: two unconnected squares of residential road.
  map::test::TempDir dir;
  const map::Router islands(map::test::import_fixture(dir, "two_islands.osm"));
  const map::Graph& g = islands.graph();
  DrivePlan p{map::test::between(g, 1, 2, 0.2), {}, core::Timestamp{0}, false};
  p.stops.push_back(PlannedStop{map::test::between(g, 3, 4), 60});
  p.stops.push_back(PlannedStop{map::test::between(g, 11, 12), 60});
  auto r = simulate_drive(islands, p, {}, {}, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, map::ErrorCode::kNoRoute);
  EXPECT_NE(r.error().message.find("leg 1 (stop 0 -> stop 1)"), std::string::npos) << r.error().message;

  // On one island: a closure of the first whole side sends the driver round the other way; a leg
  // along one segment has nothing to close and is driven as planned.
  p.stops.pop_back();
  p.stops.push_back(PlannedStop{map::test::between(g, 1, 2, 0.9), 60});
  p.return_to_depot = true;
  Disturbances x;
  x.blocked_leg = 0;
  auto round = simulate_drive(islands, p, quiet_world(), {}, x, {});
  ASSERT_TRUE(round.ok()) << round.error().message;
  EXPECT_TRUE(round->legs[0].detoured);
  EXPECT_GT(round->legs[0].free_flow_s, round->legs[0].planned_free_flow_s);
  // Planned: 16 m to corner 1, up side 1-4, 40 m along 4-3; detour: 64 m to corner 2, up 2-3, 40 m.
  EXPECT_NEAR(round->legs[0].distance_m - round->legs[0].planned_distance_m, 48, 2);
  x.blocked_leg = 2;  // stop 1 -> depot: both on side 1-2
  auto along = simulate_drive(islands, p, quiet_world(), {}, x, {});
  ASSERT_TRUE(along.ok());
  EXPECT_FALSE(along->legs[2].detoured);
  EXPECT_EQ(along->legs[2].arrived.ms - along->legs[2].departed.ms,
            round->legs[2].arrived.ms - round->legs[2].departed.ms);
}

TEST_F(DriveSimulatorTest, APlanWithoutStopsIsAnEmptyDrive) {
  DrivePlan p = plan();
  p.stops.clear();
  const Drive d = drive(p);
  EXPECT_EQ(d.end, p.start);
  EXPECT_TRUE(d.legs.empty());
  ASSERT_EQ(d.pings.size(), 1u);
  EXPECT_EQ(d.pings[0].speed_mps, 0);
}

std::vector<int64_t> times(const std::vector<SimPing>& pings) {
  std::vector<int64_t> t;
  for (const SimPing& p : pings) t.push_back(p.t.ms);
  return t;
}

TEST_F(DriveSimulatorTest, BatchesKeepEveryPingAndSwapExactlyOnePairWhenAsked) {
  const Drive d = drive(plan());
  const auto in_order = batch_pings(d.pings, 30, false, 7);
  ASSERT_GT(in_order.size(), 10u);
  std::vector<SimPing> joined;
  for (const auto& b : in_order) {
    ASSERT_FALSE(b.empty());
    EXPECT_LT(b.back().t.ms - b.front().t.ms, 30'000);
    joined.insert(joined.end(), b.begin(), b.end());
  }
  EXPECT_TRUE(same_pings(joined, d.pings));

  const auto shuffled = batch_pings(d.pings, 30, true, 7);
  ASSERT_EQ(shuffled.size(), in_order.size());
  size_t inversions = 0, swapped_at = 0;
  std::vector<int64_t> all;
  for (size_t i = 0; i < shuffled.size(); ++i) {
    if (i > 0 && shuffled[i].front().t < shuffled[i - 1].front().t) {
      ++inversions;
      swapped_at = i - 1;
    }
    for (int64_t t : times(shuffled[i])) all.push_back(t);
  }
  EXPECT_EQ(inversions, 1u);
  EXPECT_EQ(times(shuffled[swapped_at]), times(in_order[swapped_at + 1]));
  EXPECT_EQ(times(shuffled[swapped_at + 1]), times(in_order[swapped_at]));
  EXPECT_GE(swapped_at, in_order.size() / 4 - 1);  // mid-drive
  EXPECT_LE(swapped_at, 3 * in_order.size() / 4);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, times(d.pings));
  EXPECT_EQ(times(batch_pings(d.pings, 30, true, 7)[swapped_at]), times(shuffled[swapped_at]));  // deterministic
  EXPECT_TRUE(batch_pings({}, 30, true, 7).empty());
  EXPECT_EQ(batch_pings({d.pings[0]}, 30, true, 7).size(), 1u);
}

TEST_F(DriveSimulatorTest, RandomStopsAreRoutableAndDeterministic) {
  const auto stops = random_stops(*router_, 20, 5);
  ASSERT_EQ(stops.size(), 20u);
  EXPECT_EQ(stops, random_stops(*router_, 20, 5));
  EXPECT_NE(stops, random_stops(*router_, 20, 6));
  const core::LatLon depot = plan().depot;
  for (const core::LatLon& s : stops) {
    auto snap = router_->snap(s);
    ASSERT_TRUE(snap.ok());
    EXPECT_LT(snap->distance_m, 0.5);
    EXPECT_TRUE(router_->route(depot, s).ok());
    EXPECT_TRUE(router_->route(s, depot).ok());
  }
  const auto order = nearest_neighbour_order(depot, stops);
  ASSERT_EQ(order.size(), stops.size());
  EXPECT_EQ(std::set<size_t>(order.begin(), order.end()).size(), stops.size());
  for (const core::LatLon& s : stops) EXPECT_GE(core::haversine_m(depot, s), core::haversine_m(depot, stops[order[0]]));
  const auto ordered = order_nearest_neighbour(depot, stops);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(ordered[i], stops[order[i]]);

  // A drive through them.
  DrivePlan p{depot, {}, plan().start, true};
  for (const core::LatLon& s : ordered) p.stops.push_back(PlannedStop{s, 90});
  const Drive d = drive(p);
  EXPECT_EQ(d.stops.size(), 20u);
  EXPECT_EQ(d.legs.size(), 21u);
}

}  // namespace
}  // namespace lastmile::sim
