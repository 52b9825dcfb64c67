// The geofence processor on recorded drives around a stop in Monaco: positions are metres north and
// east of the stop, one fix every 3 s, with deterministic GPS jitter where a driver stands still.
#include "tracking/geofence.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "unit/tracking/trace_support.hpp"

namespace lastmile::tracking {
namespace {

using testing::at;
using testing::kStop;
using testing::kT0;
using testing::t;

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

// A recorded drive: starts with a fix at (north_m, east_m) at kT0, then moves and stays.
class Drive {
 public:
  Drive(double north_m, double east_m) : north_(north_m), east_(east_m) { add(0, north_m, east_m); }

  // Straight to (north_m, east_m) in `seconds`, a fix every `step_s`; the last fix is at the target.
  Drive& go(double north_m, double east_m, int seconds, int step_s = 3) {
    const double n0 = north_, e0 = east_, s0 = seconds_;
    for (int s = step_s; s < seconds; s += step_s)
      add(s0 + s, n0 + (north_m - n0) * s / seconds, e0 + (east_m - e0) * s / seconds);
    add(s0 + seconds, north_m, east_m);
    return *this;
  }
  // Stands still for `seconds`, the fixes scattered by up to `jitter_m` on each axis.
  Drive& stay(int seconds, double jitter_m = 0, int step_s = 3) {
    const double n0 = north_, e0 = east_, s0 = seconds_;
    for (int s = step_s; s <= seconds; s += step_s)
      add(s0 + s, n0 + jitter_.next(jitter_m), e0 + jitter_.next(jitter_m));
    north_ = n0, east_ = e0;
    return *this;
  }
  // One fix `after_s` after the previous one.
  Drive& fix(double north_m, double east_m, int after_s, std::optional<double> accuracy_m = 5) {
    add(seconds_ + after_s, north_m, east_m, accuracy_m);
    return *this;
  }
  const std::vector<ingest::Ping>& pings() const { return pings_; }

 private:
  void add(double seconds, double north_m, double east_m, std::optional<double> accuracy_m = 5) {
    ingest::Ping p;
    p.driver_id = core::DriverId("drv_test");
    p.t = t(seconds);
    p.position = at(north_m, east_m);
    p.accuracy_m = accuracy_m;
    pings_.push_back(p);
    seconds_ = seconds, north_ = north_m, east_ = east_m;
  }
  std::vector<ingest::Ping> pings_;
  Jitter jitter_;
  double seconds_ = 0, north_ = 0, east_ = 0;
};

GeofenceSite stop(std::string id, double north_m, double east_m, double radius_m = 50) {
  return {SiteKind::kStop, core::StopId(std::move(id)), at(north_m, east_m), radius_m};
}
GeofenceSite depot(double north_m, double east_m, double radius_m = 100) {
  return {SiteKind::kDepot, core::StopId(), at(north_m, east_m), radius_m};
}

// The first fix from `from` on within the site's radius, by the test's own reckoning.
const ingest::Ping& first_inside(const std::vector<ingest::Ping>& pings, const GeofenceSite& site,
                                 size_t from = 0) {
  for (size_t i = from; i < pings.size(); ++i)
    if (core::haversine_m(pings[i].position, site.center) <= site.radius_m) return pings[i];
  throw std::logic_error("the drive never enters the site");
}

class GeofenceTest : public ::testing::Test {
 protected:
  std::vector<GeofenceEvent> feed(const ingest::Ping& p) {
    return update_geofence(state_, sites_, p, params_);
  }

  // Replays a drive; `fired_by` gets, per event, the time of the fix that caused it.
  std::vector<GeofenceEvent> replay(const std::vector<ingest::Ping>& pings) {
    std::vector<GeofenceEvent> all;
    for (const auto& p : pings) {
      for (const auto& e : feed(p)) {
        all.push_back(e);
        fired_by_.push_back(p.t);
      }
    }
    return all;
  }

  void expect_event(const GeofenceEvent& e, GeofenceEventKind kind, size_t site, const ingest::Ping& fix) {
    EXPECT_EQ(geofence_event_kind_name(e.kind), geofence_event_kind_name(kind));
    EXPECT_EQ(e.site, site);
    EXPECT_EQ(e.at, fix.t) << "dated " << (e.at.ms - kT0.ms) << " ms after the start, expected "
                           << (fix.t.ms - kT0.ms);
    EXPECT_EQ(e.location, fix.position);
  }

  std::vector<GeofenceSite> sites_ = {stop("stp_casino", 0, 0)};
  GeofenceParams params_;
  GeofenceState state_;
  std::vector<core::Timestamp> fired_by_;
};

TEST_F(GeofenceTest, ADriveByIsNotAnArrival) {
  // Along a street 20 m from the stop at 10 m/s: about 9 s inside the radius.
  auto drive = Drive(-300, 20).go(300, 20, 60);
  EXPECT_TRUE(replay(drive.pings()).empty());
  EXPECT_FALSE(arrived_at(state_, 0));
}

TEST_F(GeofenceTest, AHaltShorterThanTheDwellIsNotAnArrival) {
  // A pedestrian crossing in front of the door: inside from 27 s to 42 s, 15 s < 20 s of dwell.
  auto drive = Drive(-300, 0).go(0, 0, 30).stay(9).go(300, 0, 30);
  EXPECT_TRUE(replay(drive.pings()).empty());
}

TEST_F(GeofenceTest, AnArrivalAfterTheDwellIsDatedAtTheFirstInsideFix) {
  auto drive = Drive(300, 0).go(0, 0, 30).stay(60);  // 10 m/s; fixes at 270, 240 … 30, 0 m
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 1u);
  ingest::Ping first;
  first.t = t(27);
  first.position = at(30, 0);
  expect_event(events[0], GeofenceEventKind::kArrival, 0, first);
  EXPECT_EQ(fired_by_[0], t(48)) << "declared at the first fix 20 s into the stay";
  EXPECT_TRUE(arrived_at(state_, 0));
  EXPECT_TRUE(near_any_site(state_));
}

TEST_F(GeofenceTest, AFixInTheMarginDoesNotRestartTheDwellClock) {
  auto drive = Drive(200, 0).go(40, 0, 20).fix(60, 0, 3).fix(45, 0, 3).fix(65, 0, 3).fix(40, 0, 3).stay(30);
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 1u);
  expect_event(events[0], GeofenceEventKind::kArrival, 0, first_inside(drive.pings(), sites_[0]));
}

TEST_F(GeofenceTest, JitterAtTheBoundaryNeverFlaps) {
  // Parked 40 m from the stop (radius 50, exit 80) for ten minutes, fixes scattered by ±20 m.
  auto drive = Drive(300, 0).go(40, 0, 26).stay(600, 20).go(400, 0, 36);
  int outside_radius = 0;
  for (const auto& p : drive.pings())
    if (p.t > t(26) && p.t <= t(626) && core::haversine_m(p.position, kStop) > 50) ++outside_radius;
  ASSERT_GT(outside_radius, 10) << "the trace should cross the boundary often";

  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 2u);
  expect_event(events[0], GeofenceEventKind::kArrival, 0, first_inside(drive.pings(), sites_[0]));
  EXPECT_EQ(events[1].kind, GeofenceEventKind::kDeparture);
  for (const auto& p : drive.pings()) {  // the departure is the first fix of the drive away beyond 80 m
    if (p.t > t(626) && core::haversine_m(p.position, kStop) > 80) {
      expect_event(events[1], GeofenceEventKind::kDeparture, 0, p);
      break;
    }
  }
  EXPECT_FALSE(arrived_at(state_, 0));
}

TEST_F(GeofenceTest, LeavingBeforeTheDwellAndComingBackStartsANewStay) {
  auto drive = Drive(-300, 0).go(0, 0, 30).stay(9).go(200, 0, 20).go(10, 0, 20).stay(30);  // a U-turn
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 1u);
  expect_event(events[0], GeofenceEventKind::kArrival, 0,
               first_inside(drive.pings(), sites_[0], drive.pings().size() - 20));
  EXPECT_GT(events[0].at, t(50));
}

TEST_F(GeofenceTest, AnImpreciseFixFarAwayIsNoDeparture) {
  auto drive = Drive(300, 0).go(0, 0, 30).stay(60).fix(600, 0, 3, 150).fix(0, 0, 3).stay(30).go(300, 0, 30);
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, GeofenceEventKind::kArrival);
  EXPECT_EQ(events[1].kind, GeofenceEventKind::kDeparture);
  EXPECT_GT(events[1].at, t(30 + 60 + 3 + 3 + 30)) << "the departure is the real one, not the imprecise fix";
}

TEST_F(GeofenceTest, ImpreciseFixesInsideAreNoArrival) {
  auto drive = Drive(300, 0).go(100, 0, 20);
  for (int i = 0; i < 20; ++i) drive.fix(0, 0, 3, 120);
  EXPECT_TRUE(replay(drive.pings()).empty());
  EXPECT_FALSE(near_any_site(state_));
}

TEST_F(GeofenceTest, AnUnknownAccuracyCountsAsGood) {
  auto drive = Drive(300, 0).go(100, 0, 20);
  for (int i = 0; i < 10; ++i) drive.fix(0, 0, 3, std::nullopt);
  EXPECT_EQ(replay(drive.pings()).size(), 1u);
}

TEST_F(GeofenceTest, LateOutOfOrderAndDuplicatePointsAreIgnored) {
  auto drive = Drive(300, 0).go(0, 0, 30).stay(60);
  ASSERT_EQ(replay(drive.pings()).size(), 1u);
  const auto last = drive.pings().back();

  auto late = drive.pings().front();  // 300 m away, a minute and a half ago: no departure
  EXPECT_TRUE(feed(late).empty());
  EXPECT_TRUE(feed(last).empty());  // a re-sent batch
  auto same_time_elsewhere = last;
  same_time_elsewhere.position = at(500, 0);
  EXPECT_TRUE(feed(same_time_elsewhere).empty());
  EXPECT_TRUE(arrived_at(state_, 0));
  EXPECT_EQ(state_.last_t, last.t);
}

TEST_F(GeofenceTest, ADepotStartInsideIsNoArrivalAndLeavingIsADeparture) {
  sites_ = {depot(-1000, -500), stop("stp_casino", 0, 0)};
  auto drive = Drive(-990, -490).stay(120, 10).go(-1000, -100, 40).go(0, 0, 100).stay(60);
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 2u);
  for (const auto& p : drive.pings()) {
    if (core::haversine_m(p.position, sites_[0].center) > 130) {
      expect_event(events[0], GeofenceEventKind::kDeparture, 0, p);
      break;
    }
  }
  EXPECT_EQ(events[1].kind, GeofenceEventKind::kArrival);
  EXPECT_EQ(events[1].site, 1u);
}

TEST_F(GeofenceTest, TheFirstFixAtTheDepotMeansStartedThere) {
  sites_ = {depot(-1000, -500)};
  EXPECT_TRUE(feed(Drive(-1000, -500).pings()[0]).empty());
  EXPECT_TRUE(arrived_at(state_, 0));
}

TEST_F(GeofenceTest, AFirstFixInTheDepotsMarginIsStillAStartThere) {
  sites_ = {depot(-1000, -500)};                     // radius 100, exit radius 130
  auto drive = Drive(-1000, -385).go(-1000, 0, 40);  // 115 m out: the far end of the yard
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, GeofenceEventKind::kDeparture);
  EXPECT_GT(events[0].at, drive.pings()[0].t) << "not at the first fix: it was within the exit radius";
}

TEST_F(GeofenceTest, ADepotStartOutsideIsAnImmediateDepartureEmittedOnce) {
  sites_ = {depot(-1000, -500), stop("stp_casino", 0, 0)};
  // The app started late, at the first stop; the driver goes back to the depot and out again.
  auto drive = Drive(10, 0).stay(60).go(-1000, -500, 120).stay(300, 10).go(0, 0, 120);
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 4u);
  expect_event(events[0], GeofenceEventKind::kDeparture, 0, drive.pings()[0]);
  expect_event(events[1], GeofenceEventKind::kArrival, 1, drive.pings()[0]);
  EXPECT_EQ(events[2].kind, GeofenceEventKind::kDeparture);
  EXPECT_EQ(events[2].site, 1u);
  expect_event(events[3], GeofenceEventKind::kArrival, 0, first_inside(drive.pings(), sites_[0]));
  EXPECT_FALSE(arrived_at(state_, 0)) << "left the depot again, silently";
}

TEST_F(GeofenceTest, TwoConsecutiveStops) {
  sites_ = {stop("stp_a", 0, 0), stop("stp_b", 0, 300)};
  auto drive = Drive(-400, 0).go(0, 0, 40).stay(120, 8).go(0, 300, 40).stay(120, 8).go(0, 800, 50);
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 4u);
  const std::vector<std::pair<GeofenceEventKind, size_t>> expected = {{GeofenceEventKind::kArrival, 0},
                                                                      {GeofenceEventKind::kDeparture, 0},
                                                                      {GeofenceEventKind::kArrival, 1},
                                                                      {GeofenceEventKind::kDeparture, 1}};
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].kind, expected[i].first) << i;
    EXPECT_EQ(events[i].site, expected[i].second) << i;
    if (i > 0) {
      EXPECT_LT(events[i - 1].at, events[i].at);
    }
  }
  EXPECT_EQ(events[0].at, first_inside(drive.pings(), sites_[0]).t);
  EXPECT_EQ(events[2].at, first_inside(drive.pings(), sites_[1], 50).t);
}

TEST_F(GeofenceTest, OverlappingStopsAreBothArrived) {
  sites_ = {stop("stp_flat_1", 0, 0), stop("stp_flat_2", 0, 20)};  // one building, two doors
  auto drive = Drive(-300, 10).go(0, 10, 30).stay(120, 8).go(300, 10, 30);
  auto events = replay(drive.pings());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kind, GeofenceEventKind::kArrival);
  EXPECT_EQ(events[0].site, 0u);
  EXPECT_EQ(events[1].kind, GeofenceEventKind::kArrival);
  EXPECT_EQ(events[1].site, 1u);
  EXPECT_EQ(events[0].at, events[1].at);
  EXPECT_EQ(events[2].kind, GeofenceEventKind::kDeparture);
  EXPECT_EQ(events[3].kind, GeofenceEventKind::kDeparture);
}

TEST_F(GeofenceTest, EventsOfOneFixAreInTimeOrderDepartureFirst) {
  params_.dwell_ms = 0;
  sites_ = {stop("stp_next", 0, 100, 30), stop("stp_here", 0, 0, 30)};
  auto drive = Drive(0, 0).fix(0, 100, 10);
  auto first = feed(drive.pings()[0]);
  ASSERT_EQ(first.size(), 1u);
  expect_event(first[0], GeofenceEventKind::kArrival, 1, drive.pings()[0]);
  auto events = feed(drive.pings()[1]);
  ASSERT_EQ(events.size(), 2u);
  expect_event(events[0], GeofenceEventKind::kDeparture, 1, drive.pings()[1]);
  expect_event(events[1], GeofenceEventKind::kArrival, 0, drive.pings()[1]);
}

TEST_F(GeofenceTest, ChangingTheSitesOfAStateIsAProgrammerError) {
  auto drive = Drive(0, 0).fix(0, 10, 3);
  feed(drive.pings()[0]);
  sites_.push_back(stop("stp_added", 0, 300));
  EXPECT_THROW(feed(drive.pings()[1]), std::invalid_argument);
}

TEST_F(GeofenceTest, EventKindsHaveStableNames) {
  EXPECT_EQ(geofence_event_kind_name(GeofenceEventKind::kArrival), "arrival");
  EXPECT_EQ(geofence_event_kind_name(GeofenceEventKind::kDeparture), "departure");
}

}  // namespace
}  // namespace lastmile::tracking
