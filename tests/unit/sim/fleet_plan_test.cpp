// The fleet plan of `lastmile simulate` / `lastmile demo` on the bundled Monaco extract.
#include "sim/fleet_plan.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "map/router.hpp"
#include "unit/map/map_test_support.hpp"

namespace lastmile::sim {
namespace {

constexpr int64_t kNineUtc = 1'764'493'200'000;  // 2025-11-30T09:00:00Z

class FleetPlanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto g = map::test::monaco_graph();
    ASSERT_TRUE(g.ok()) << g.error().message;
    router_ = new map::Router(*g);
  }
  static void TearDownTestSuite() { delete router_; }
  void SetUp() override { ASSERT_NE(router_, nullptr); }

  static FleetOptions options(size_t drivers, size_t stops, uint64_t seed = 7) {
    FleetOptions o;
    o.drivers = drivers;
    o.stops_per_driver = stops;
    o.seed = seed;
    o.start = core::Timestamp{kNineUtc};
    return o;
  }
  static FleetPlan plan(const FleetOptions& o) {
    auto p = plan_fleet(*router_, o);
    EXPECT_TRUE(p.ok()) << (p ? "" : p.error().message);
    return p ? *p : FleetPlan{};
  }
  static map::Router* router_;
};
map::Router* FleetPlanTest::router_ = nullptr;

TEST_F(FleetPlanTest, EveryDriverHasItsStopsApartFromEachOtherAndTheDepot) {
  const FleetPlan p = plan(options(4, 6));
  ASSERT_EQ(p.drivers.size(), 4u);
  for (const DriverScenario& d : p.drivers) {
    ASSERT_EQ(d.plan.stops.size(), 6u);
    ASSERT_EQ(d.windows.size(), 6u);
    EXPECT_EQ(d.plan.start.ms, kNineUtc);
    EXPECT_TRUE(d.plan.return_to_depot);
    for (size_t i = 0; i < d.plan.stops.size(); ++i) {
      EXPECT_GE(core::haversine_m(d.plan.stops[i].location, p.depot), 200.0);
      EXPECT_LE(core::haversine_m(d.plan.stops[i].location, p.depot), 1500.0);
      for (size_t j = i + 1; j < d.plan.stops.size(); ++j)
        EXPECT_GE(core::haversine_m(d.plan.stops[i].location, d.plan.stops[j].location), 200.0);
      EXPECT_LT(d.windows[i].start, d.windows[i].end);
    }
  }
}

TEST_F(FleetPlanTest, TheSameSeedGivesTheSameFleetAnotherSeedAnother) {
  const FleetPlan a = plan(options(3, 5, 11)), b = plan(options(3, 5, 11)), c = plan(options(3, 5, 12));
  ASSERT_EQ(a.drivers.size(), 3u);
  for (size_t d = 0; d < 3; ++d) {
    ASSERT_EQ(a.drivers[d].drive.pings.size(), b.drivers[d].drive.pings.size());
    EXPECT_EQ(a.drivers[d].drive.end, b.drivers[d].drive.end);
    EXPECT_EQ(a.drivers[d].plan.stops[0].location.lat(), b.drivers[d].plan.stops[0].location.lat());
  }
  EXPECT_NE(a.drivers[0].plan.stops[0].location.lat(), c.drivers[0].plan.stops[0].location.lat());
}

TEST_F(FleetPlanTest, TheDisturbancesGoToTheFirstThreeDrivers) {
  const FleetPlan p = plan(options(4, 5));
  EXPECT_EQ(p.drivers[0].role, DriverRole::kSlow);
  EXPECT_DOUBLE_EQ(p.drivers[0].driver.pace, 0.6);
  EXPECT_EQ(p.drivers[1].role, DriverRole::kDetour);
  EXPECT_EQ(p.drivers[1].disturbances.blocked_leg, 2u);
  EXPECT_EQ(p.drivers[2].role, DriverRole::kFailedAndOffline);
  EXPECT_EQ(p.drivers[2].disturbances.failed_attempt_stop, 2u);
  EXPECT_TRUE(p.drivers[2].drive.stops[2].failed);
  EXPECT_TRUE(p.drivers[2].disturbances.out_of_order_batch);
  ASSERT_TRUE(p.drivers[2].disturbances.offline.has_value());
  const auto [from, to] = *p.drivers[2].disturbances.offline;
  EXPECT_EQ(to.ms - from.ms, 720'000);
  EXPECT_EQ(from.ms, p.drivers[2].drive.stops[2].departed.ms + 30'000);  // mid-route, after the failed stop
  // The phone keeps recording while offline (the fixes are held, see drive_actions).
  size_t recorded_offline = 0;
  for (const SimPing& ping : p.drivers[2].drive.pings) recorded_offline += ping.t >= from && ping.t < to;
  EXPECT_GT(recorded_offline, 720u / 5);
  EXPECT_EQ(p.drivers[3].role, DriverRole::kNormal);
  EXPECT_EQ(std::string(driver_role_name(p.drivers[2].role)), "failed_attempt_offline");
}

TEST_F(FleetPlanTest, TheSlowDriverIsCertainlyLateAndANormalOneNever) {
  for (uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    const FleetPlan p = plan(options(4, 5, seed));
    const DriverScenario& slow = p.drivers[0];
    int64_t worst = INT64_MIN;
    for (size_t i = 0; i < slow.plan.stops.size(); ++i)
      worst = std::max(worst, slow.drive.stops[i].arrived.ms - slow.windows[i].end.ms);
    EXPECT_GT(worst, 180'000) << "seed " << seed;
    const DriverScenario& normal = p.drivers[3];
    for (size_t i = 0; i < normal.plan.stops.size(); ++i) {
      EXPECT_LE(normal.drive.stops[i].arrived.ms, normal.windows[i].end.ms - 600'000) << "seed " << seed;
    }
  }
}

TEST_F(FleetPlanTest, ActionsSendEveryPingOnceAndOneReportPerStopAtItsDeparture) {
  const FleetPlan p = plan(options(3, 5));
  for (const DriverScenario& d : p.drivers) {
    const std::vector<DriveAction> actions = drive_actions(d, 10.0);
    size_t pings = 0, reports = 0, failed = 0;
    core::Timestamp last_send{INT64_MIN};
    std::set<int64_t> times;
    for (const DriveAction& a : actions) {
      EXPECT_GE(a.send_at, last_send);
      last_send = a.send_at;
      if (a.kind == DriveAction::Kind::kPings) {
        pings += a.pings.size();
        for (const SimPing& ping : a.pings) {
          EXPECT_LE(ping.t, a.send_at);  // never sent before it was taken
          times.insert(ping.t.ms);
        }
      } else {
        ++reports;
        failed += a.kind == DriveAction::Kind::kAttemptFailed;
        EXPECT_EQ(a.at, d.drive.stops[a.stop].departed);
        const auto& off = d.disturbances.offline;
        const bool held = off && a.at >= off->first && a.at < off->second;
        EXPECT_EQ(a.send_at, held ? off->second : a.at);
      }
    }
    EXPECT_EQ(pings, d.drive.pings.size());
    EXPECT_EQ(times.size(), d.drive.pings.size());
    EXPECT_EQ(reports, 5u);
    EXPECT_EQ(failed, d.role == DriverRole::kFailedAndOffline ? 1u : 0u);
  }
}

// The phone of driver 3 holds what it records while offline and uploads it at the reconnect.
std::vector<const DriveAction*> held_uploads(const DriverScenario& d, const std::vector<DriveAction>& actions) {
  std::vector<const DriveAction*> out;
  for (const DriveAction& a : actions) {
    if (a.kind == DriveAction::Kind::kPings && a.send_at == d.disturbances.offline->second) out.push_back(&a);
  }
  return out;
}

TEST_F(FleetPlanTest, AnOfflinePhoneUploadsItsHeldBatchesInOrderAtTheReconnect) {
  const FleetPlan p = plan(options(3, 5));
  const DriverScenario& d = p.drivers[2];
  const auto [from, to] = *d.disturbances.offline;
  const std::vector<DriveAction> actions = drive_actions(d, 10.0);
  const auto held = held_uploads(d, actions);
  ASSERT_GT(held.size(), 50u);  // 12 minutes of 10 s batches
  size_t recorded = 0, sent = 0;
  for (const SimPing& ping : d.drive.pings) recorded += ping.t >= from && ping.t < to;
  for (const DriveAction& a : actions) {
    if (a.kind != DriveAction::Kind::kPings) continue;
    for (const SimPing& ping : a.pings) {
      if (ping.t >= from && ping.t < to) {
        EXPECT_GE(a.send_at, to);  // nothing leaves while offline
        ++sent;
      }
    }
  }
  EXPECT_EQ(sent, recorded);  // and nothing recorded offline is lost
}

TEST_F(FleetPlanTest, ATrackerAppSendsOneFixPerRequestOldestFirstAfterTheReconnect) {
  const FleetPlan p = plan(options(3, 5));
  const DriverScenario& d = p.drivers[2];
  const std::vector<DriveAction> actions = drive_actions(d, UploadStyle{10, true});
  size_t fixes = 0;
  core::Timestamp previous{INT64_MIN};
  for (const DriveAction& a : actions) {
    if (a.kind != DriveAction::Kind::kPings) continue;
    ASSERT_EQ(a.pings.size(), 1u);
    EXPECT_GT(a.pings[0].t, previous);  // no out-of-order pair: a tracker app sends as it records
    previous = a.pings[0].t;
    ++fixes;
  }
  EXPECT_EQ(fixes, d.drive.pings.size());
  EXPECT_GT(held_uploads(d, actions).size(), 720u / 5);
}

TEST_F(FleetPlanTest, ThePhoneKeepsOnlyTheNewestFixesWhenItsBufferIsFull) {
  const FleetPlan p = plan(options(3, 5));
  const DriverScenario& d = p.drivers[2];
  const auto [from, to] = *d.disturbances.offline;
  const std::vector<DriveAction> actions = drive_actions(d, UploadStyle{10, true, 20});
  const auto held = held_uploads(d, actions);
  ASSERT_EQ(held.size(), 20u);
  core::Timestamp newest_recorded{INT64_MIN};
  for (const SimPing& ping : d.drive.pings) {
    if (ping.t < to) newest_recorded = ping.t;
  }
  EXPECT_EQ(held.back()->pings[0].t, newest_recorded);
  EXPECT_GT(held.front()->pings[0].t, from);  // the oldest were dropped
}

TEST_F(FleetPlanTest, StopsThatDoNotFitTheMapAreEmptyMap) {
  FleetOptions o = options(1, 4);
  o.min_spacing_m = 5000;  // Monaco's extract is a few km across
  auto p = plan_fleet(*router_, o);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, map::ErrorCode::kEmptyMap);
  EXPECT_NE(p.error().message.find("of 4 stops fit 5000 m apart within 1500 m of the depot"),
            std::string::npos)
      << p.error().message;
}

}  // namespace
}  // namespace lastmile::sim
