// The activity monitor on recorded shifts in Monaco: a device that goes silent, a driver who stands
// still in the street or at a stop. The dispatcher's timer checks every 30 s.
#include "tracking/activity_monitor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "unit/tracking/trace_support.hpp"

namespace lastmile::tracking {
namespace {

using testing::at;
using testing::kT0;
using testing::t;
constexpr int64_t kMinute = 60;

// Deterministic GPS noise in [-amplitude, amplitude]: a 64-bit LCG, the same on every platform.
class Jitter {
 public:
  double next(double amplitude_m) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (static_cast<double>(state_ >> 11) * 0x1.0p-53 * 2 - 1) * amplitude_m;
  }

 private:
  uint64_t state_ = 20240601;
};

// Pings and checks replayed live: a recorded ping reaches the monitor at the first check at or after
// its time (or at deliver()), in the order it was recorded.
class ActivityMonitorTest : public ::testing::Test {
 protected:
  void ping(int64_t seconds, double north_m, double east_m, std::optional<double> accuracy_m = 5) {
    ingest::Ping p;
    p.driver_id = core::DriverId("drv_test");
    p.t = t(seconds);
    p.position = at(north_m, east_m);
    p.accuracy_m = accuracy_m;
    recorded_.push_back(p);
  }
  // A fix every `every_s` from `from_s` to `to_s`, moving from (n0, e0) to (n1, e1), scattered by `jitter_m`.
  void track(int64_t from_s, int64_t to_s, int64_t every_s, double n0, double e0, double n1, double e1,
             double jitter_m = 0) {
    for (int64_t s = from_s; s <= to_s; s += every_s) {
      const double f =
          to_s == from_s ? 1 : static_cast<double>(s - from_s) / static_cast<double>(to_s - from_s);
      ping(s, n0 + (n1 - n0) * f + jitter_.next(jitter_m), e0 + (e1 - e0) * f + jitter_.next(jitter_m));
    }
  }
  // Hands the monitor every recorded ping up to `seconds`.
  void deliver(int64_t seconds = INT64_MAX / 2000) {
    while (next_ < recorded_.size() && recorded_[next_].t <= t(seconds))
      for (auto kind : observe_ping(state_, recorded_[next_++], params_)) ended_.push_back(kind);
  }
  std::vector<ActivityException> check(int64_t seconds, bool near_site = false) {
    deliver(seconds);
    return check_activity(state_, t(seconds), near_site, params_);
  }
  // The dispatcher's timer: a check every 30 s in (from_s, to_s]; returns everything found.
  std::vector<ActivityException> checks(int64_t from_s, int64_t to_s, bool near_site = false) {
    std::vector<ActivityException> all;
    for (int64_t s = from_s + 30; s <= to_s; s += 30)
      for (const auto& e : check(s, near_site)) all.push_back(e);
    return all;
  }

  ActivityParams params_;
  ActivityState state_;
  Jitter jitter_;
  std::vector<ingest::Ping> recorded_;
  size_t next_ = 0;
  std::vector<ActivityExceptionKind> ended_;  // what the delivered pings ended, in order
};

TEST_F(ActivityMonitorTest, NothingBeforeTheFirstPingOrTheRouteStart) {
  EXPECT_TRUE(checks(0, 60 * kMinute).empty());
  EXPECT_FALSE(offline(state_));
}

TEST_F(ActivityMonitorTest, ASilentDeviceIsReportedOfflineOnceAfterTenMinutes) {
  track(0, 5 * kMinute, 5, 0, 0, 0, 2400);  // driving east at 8 m/s, then the phone dies
  EXPECT_TRUE(check(15 * kMinute - 1).empty()) << "9 min 59 s of silence is not offline yet";
  auto found = checks(5 * kMinute, 40 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(activity_exception_name(found[0].kind), "device_offline");
  EXPECT_EQ(found[0].since, t(5 * kMinute));
  EXPECT_EQ(found[0].detected_at, t(15 * kMinute));
  EXPECT_EQ(found[0].location, at(0, 2400));
  EXPECT_TRUE(offline(state_));
  EXPECT_FALSE(stationary(state_));
}

TEST_F(ActivityMonitorTest, APingEndsTheEpisodeAndTheNextSilenceIsASecondOne) {
  track(0, 5 * kMinute, 5, 0, 0, 0, 2400);
  ASSERT_EQ(checks(5 * kMinute, 20 * kMinute).size(), 1u);
  track(20 * kMinute + 10, 25 * kMinute, 5, 0, 2400, 0, 4800);  // back in coverage
  EXPECT_TRUE(checks(20 * kMinute, 34 * kMinute + 30).empty());
  EXPECT_FALSE(offline(state_));
  auto found = checks(34 * kMinute + 30, 50 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ActivityExceptionKind::kDeviceOffline);
  EXPECT_EQ(found[0].since, t(25 * kMinute));
  EXPECT_EQ(found[0].detected_at, t(35 * kMinute));
}

TEST_F(ActivityMonitorTest, ARouteThatNeverPingsGoesOffline) {
  start_activity(state_, t(0));
  EXPECT_TRUE(check(10 * kMinute - 1).empty());
  auto found = check(10 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ActivityExceptionKind::kDeviceOffline);
  EXPECT_EQ(found[0].since, t(0));
  EXPECT_FALSE(found[0].location);
  EXPECT_TRUE(check(30 * kMinute).empty());
}

TEST_F(ActivityMonitorTest, ADeviceOnBeforeTheRouteIsNotOfflineBeforeTheRouteBegins) {
  ping(0, 0, 0);
  start_activity(state_, t(60 * kMinute));  // the route starts an hour after the last ping
  EXPECT_TRUE(check(60 * kMinute).empty());
  EXPECT_TRUE(check(70 * kMinute - 1).empty());
  auto found = check(70 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].since, t(0)) << "offline since the last ping";
  EXPECT_EQ(found[0].location, at(0, 0));
}

TEST_F(ActivityMonitorTest, StandingStillInTheStreetIsReportedOnce) {
  track(0, 30 * kMinute, 10, 500, 0, 500, 0, 15);  // ±15 m of GPS scatter
  auto found = checks(0, 30 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(activity_exception_name(found[0].kind), "stationary");
  EXPECT_EQ(found[0].since, t(0));
  EXPECT_EQ(found[0].detected_at, t(15 * kMinute));
  EXPECT_TRUE(found[0].location);
  EXPECT_TRUE(stationary(state_));
  EXPECT_FALSE(offline(state_));
}

TEST_F(ActivityMonitorTest, StandingStillAtAStopIsService) {
  track(0, 30 * kMinute, 10, 500, 0, 500, 0, 15);
  EXPECT_TRUE(checks(0, 30 * kMinute, /*near_site=*/true).empty());
  EXPECT_FALSE(stationary(state_));
}

TEST_F(ActivityMonitorTest, TimeAtTheStopDoesNotCountAfterSteppingOutOfIt) {
  track(0, 20 * kMinute, 10, 0, 0, 0, 0, 5);
  EXPECT_TRUE(checks(0, 20 * kMinute, /*near_site=*/true).empty());
  ping(20 * kMinute + 10, 0, 30);  // 30 m on: out of the stop's geofence, inside the still radius
  track(20 * kMinute + 20, 40 * kMinute, 10, 0, 30, 0, 30, 5);
  EXPECT_TRUE(checks(20 * kMinute, 35 * kMinute - 30).empty());
  auto found = checks(35 * kMinute - 30, 40 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ActivityExceptionKind::kStationary);
  EXPECT_EQ(found[0].since, t(20 * kMinute)) << "the last check that saw the driver at the stop";
}

TEST_F(ActivityMonitorTest, CreepingWithinTheRadiusCountsAsStationary) {
  track(0, 20 * kMinute, 15, 0, 0, 40, 0);  // 40 m in 20 min: a queue at the port gate
  auto found = checks(0, 20 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ActivityExceptionKind::kStationary);
  EXPECT_EQ(found[0].detected_at, t(15 * kMinute));
}

TEST_F(ActivityMonitorTest, MovingBeyondTheRadiusEndsTheEpisode) {
  track(0, 16 * kMinute, 10, 0, 0, 0, 0, 10);
  ASSERT_EQ(checks(0, 16 * kMinute).size(), 1u);
  track(16 * kMinute + 10, 17 * kMinute, 10, 0, 0, 0, 400);        // drives on, 80 m per fix
  track(17 * kMinute + 10, 40 * kMinute, 10, 0, 400, 0, 400, 10);  // and stands still again
  deliver(16 * kMinute + 20);
  EXPECT_FALSE(stationary(state_));
  auto found = checks(16 * kMinute, 40 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ActivityExceptionKind::kStationary);
  EXPECT_EQ(found[0].since, t(17 * kMinute)) << "the fix that ended the drive";
  EXPECT_EQ(found[0].detected_at, t(32 * kMinute));
  EXPECT_TRUE(stationary(state_));
}

TEST_F(ActivityMonitorTest, ASilentDeviceIsOfflineNotStationary) {
  track(0, 5 * kMinute, 10, 0, 0, 0, 0, 10);
  auto found = checks(0, 60 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ActivityExceptionKind::kDeviceOffline);
  EXPECT_FALSE(stationary(state_));
}

TEST_F(ActivityMonitorTest, ALatePingDoesNotEndAnOfflineEpisode) {
  track(0, 5 * kMinute, 5, 0, 0, 0, 2400);
  ASSERT_EQ(checks(5 * kMinute, 20 * kMinute).size(), 1u);
  ping(4 * kMinute, 0, 1920);  // from the phone's buffer, older than the newest ping
  deliver();
  EXPECT_TRUE(offline(state_));
  EXPECT_EQ(state_.last_ping, t(5 * kMinute));
}

TEST_F(ActivityMonitorTest, AnImpreciseFixDoesNotEndTheStillPeriod) {
  track(0, 8 * kMinute, 10, 0, 0, 0, 0, 10);
  ping(8 * kMinute + 5, 200, 0, /*accuracy_m=*/120);  // a reflection off the towers
  track(8 * kMinute + 10, 20 * kMinute, 10, 0, 0, 0, 0, 10);
  auto found = checks(0, 20 * kMinute);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, ActivityExceptionKind::kStationary);
  EXPECT_EQ(found[0].since, t(0));
}

TEST_F(ActivityMonitorTest, ThePingThatEndsAnOfflineEpisodeReportsItsEndOnce) {
  track(0, 5 * kMinute, 5, 0, 0, 0, 2400);
  ASSERT_EQ(checks(5 * kMinute, 20 * kMinute).size(), 1u);
  EXPECT_TRUE(ended_.empty());
  track(20 * kMinute + 10, 21 * kMinute, 5, 0, 2400, 0, 2800);  // back in coverage, driving on
  deliver();
  EXPECT_EQ(ended_, std::vector<ActivityExceptionKind>{ActivityExceptionKind::kDeviceOffline});
}

TEST_F(ActivityMonitorTest, ALatePingEndsNothing) {
  track(0, 5 * kMinute, 5, 0, 0, 0, 2400);
  ASSERT_EQ(checks(5 * kMinute, 20 * kMinute).size(), 1u);
  ping(4 * kMinute, 0, 1920);
  deliver();
  EXPECT_TRUE(ended_.empty());
}

TEST_F(ActivityMonitorTest, DrivingAwayEndsAStationaryEpisodeOnce) {
  track(0, 16 * kMinute, 10, 0, 0, 0, 0, 10);
  ASSERT_EQ(checks(0, 16 * kMinute).size(), 1u);
  ping(16 * kMinute + 5, 0, 30, /*accuracy_m=*/120);  // imprecise: not a move
  deliver();
  EXPECT_TRUE(ended_.empty());
  track(16 * kMinute + 10, 17 * kMinute, 10, 0, 0, 0, 400);  // drives on, 80 m per fix
  deliver();
  EXPECT_EQ(ended_, std::vector<ActivityExceptionKind>{ActivityExceptionKind::kStationary});
}

TEST_F(ActivityMonitorTest, MovingWithoutAnEpisodeEndsNothing) {
  track(0, 30 * kMinute, 5, 0, 0, 0, 9000);
  EXPECT_TRUE(checks(0, 30 * kMinute).empty());
  EXPECT_TRUE(ended_.empty());
}

TEST_F(ActivityMonitorTest, ExceptionKindsHaveStableNames) {
  EXPECT_EQ(activity_exception_name(ActivityExceptionKind::kDeviceOffline), "device_offline");
  EXPECT_EQ(activity_exception_name(ActivityExceptionKind::kStationary), "stationary");
  EXPECT_EQ(activity_cleared_name(ActivityExceptionKind::kDeviceOffline), "device_offline_cleared");
  EXPECT_EQ(activity_cleared_name(ActivityExceptionKind::kStationary), "stationary_cleared");
}

}  // namespace
}  // namespace lastmile::tracking
