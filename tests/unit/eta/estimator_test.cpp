// The live ETA of a route's remaining stops, on a hand-made world: every leg goes straight at
// 10 m/s, so each expected time can be computed by hand.
#include "eta/estimator.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace lastmile::eta {
namespace {

core::LatLon at(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }
core::Timestamp t0() { return *core::parse_iso8601("2026-03-02T09:00:00Z"); }  // a Monday
core::Timestamp plus(core::Timestamp t, double s) { return {t.ms + std::llround(s * 1000)}; }
double secs(core::Timestamp a, core::Timestamp b) { return (b.ms - a.ms) / 1000.0; }

// Straight legs at 10 m/s, all on residential streets; counts the legs asked for.
class StraightLegs final : public LegSource {
 public:
  Leg leg(core::LatLon from, core::LatLon to) const override {
    ++calls;
    Leg l;
    l.distance_m = core::haversine_m(from, to);
    l.free_flow_s = l.distance_m / 10.0;
    l.class_s[static_cast<size_t>(map::RoadClass::kResidential)] = l.free_flow_s;
    l.path = {from, to};
    l.road_network = true;
    return l;
  }
  mutable int calls = 0;
};

// Depot at the origin, stops 1, 2 and 3 km north of it (about 1,000 m apart).
struct Fixture {
  core::LatLon depot = at(43.70, 7.40);
  std::vector<StopPlan> plans;
  StraightLegs legs;
  Corrections identity;
  core::DriverId driver{"drv_a"};
  Fixture() {
    for (int i = 1; i <= 3; ++i) {
      StopPlan p;
      p.id = core::StopId("stp_" + std::to_string(i));
      p.location = at(43.70 + i * 0.008993, 7.40);  // ≈ 1,000 m per 0.008993°
      p.planned_service_s = 120;
      p.place = place_key(*p.location);
      plans.push_back(p);
    }
  }
  double leg_s(core::LatLon a, core::LatLon b) const { return core::haversine_m(a, b) / 10.0; }
};

TEST(RouteEta, EachArrivalIsThePreviousDepartureAndTheNextLeg) {
  Fixture f;
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0, 1, 2};
  const auto e = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  ASSERT_EQ(e.stops.size(), 3u);
  const double l1 = f.leg_s(f.depot, *f.plans[0].location);
  const double l2 = f.leg_s(*f.plans[0].location, *f.plans[1].location);
  const double l3 = f.leg_s(*f.plans[1].location, *f.plans[2].location);
  EXPECT_NEAR(secs(t0(), e.stops[0].arrival), l1, 0.01);
  EXPECT_NEAR(secs(t0(), e.stops[1].arrival), l1 + 120 + l2, 0.01);
  EXPECT_NEAR(secs(t0(), e.stops[2].arrival), l1 + 120 + l2 + 120 + l3, 0.01);
  EXPECT_NEAR(secs(t0(), e.stops[2].departure), l1 + l2 + l3 + 360, 0.01);
  EXPECT_TRUE(e.road_network);
  for (const auto& s : e.stops) {
    EXPECT_LE(s.earliest, s.arrival);
    EXPECT_GE(s.latest, s.arrival);
    EXPECT_GE(s.earliest, t0());
    EXPECT_EQ(s.late_by_s, 0);
  }
}

TEST(RouteEta, WindowsWidenWithTheHorizon) {
  Fixture f;
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0, 1, 2};
  const auto e = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  EXPECT_LT(secs(e.stops[0].arrival, e.stops[0].latest), secs(e.stops[2].arrival, e.stops[2].latest));
}

TEST(RouteEta, OnlyTheLegFromThePositionIsNewOnEachUpdate) {
  Fixture f;
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0, 1, 2};
  eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  EXPECT_EQ(f.legs.calls, 3);  // position → 1, then 1 → 2 and 2 → 3 cached
  eta.estimate(at(43.702, 7.40), plus(t0(), 30), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  eta.estimate(at(43.704, 7.40), plus(t0(), 60), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  EXPECT_EQ(f.legs.calls, 5);
  EXPECT_EQ(eta.cached_legs(), 2u);
}

TEST(RouteEta, AtAStopOnlyTheRestOfItsServiceIsAhead) {
  Fixture f;
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{1, 2};
  const core::Timestamp arrived = t0();
  const auto e = eta.estimate(*f.plans[1].location, plus(t0(), 45), remaining, arrived, f.driver, f.legs,
                              f.identity, {});
  ASSERT_EQ(e.stops.size(), 2u);
  EXPECT_TRUE(e.stops[0].at_stop);
  EXPECT_EQ(e.stops[0].arrival, arrived);
  EXPECT_NEAR(secs(t0(), e.stops[0].departure), 120, 0.01);  // 45 s done, 75 s to go
  const double l3 = f.leg_s(*f.plans[1].location, *f.plans[2].location);
  EXPECT_NEAR(secs(t0(), e.stops[1].arrival), 120 + l3, 0.01);
}

TEST(RouteEta, ABreakAheadDelaysEveryStopAfterIt) {
  Fixture f;
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0, 1, 2};
  const auto plain = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  const std::vector<BreakAhead> lunch{{1, 1800, std::nullopt}};  // after the first remaining stop
  const auto e = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {}, lunch);
  EXPECT_EQ(e.stops[0].arrival, plain.stops[0].arrival);
  EXPECT_NEAR(secs(plain.stops[1].arrival, e.stops[1].arrival), 1800, 0.01);
  EXPECT_NEAR(secs(plain.stops[2].arrival, e.stops[2].arrival), 1800, 0.01);
}

TEST(RouteEta, ABreakStartsNoEarlierThanItsWindowAndOnlyAfterTheStopTheDriverIsAt) {
  Fixture f;
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{1, 2};
  const core::Timestamp arrived = t0();
  // Due before remaining[0], where the driver is now: it is not taken there (the monitor places a break
  // after a stop it has reached); one before remaining[1] waits for its window to open at t0 + 1 h.
  const std::vector<BreakAhead> breaks{{0, 900, std::nullopt}, {1, 600, plus(t0(), 3600)}};
  const auto e =
      eta.estimate(*f.plans[1].location, plus(t0(), 45), remaining, arrived, f.driver, f.legs, f.identity, {}, breaks);
  ASSERT_EQ(e.stops.size(), 2u);
  EXPECT_NEAR(secs(t0(), e.stops[0].departure), 120, 0.01);
  const double l3 = f.leg_s(*f.plans[1].location, *f.plans[2].location);
  EXPECT_NEAR(secs(t0(), e.stops[1].arrival), 3600 + 600 + l3, 0.01);
  // A break after the last stop delays no stop.
  const std::vector<BreakAhead> last{{2, 3600, std::nullopt}};
  const auto after_all =
      eta.estimate(*f.plans[1].location, plus(t0(), 45), remaining, arrived, f.driver, f.legs, f.identity, {}, last);
  EXPECT_NEAR(secs(t0(), after_all.stops[1].arrival), 120 + l3, 0.01);
}

TEST(RouteEta, AnEarlyDriverWaitsForTheWindowToOpen) {
  Fixture f;
  f.plans[0].window = domain::TimeWindow{plus(t0(), 3600), plus(t0(), 7200)};
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0, 1};
  const auto waits = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  EXPECT_NEAR(secs(t0(), waits.stops[0].departure), 3600 + 120, 0.01);
  EtaParams no_wait;
  no_wait.wait_for_window_start = false;
  const auto goes_on = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, no_wait);
  EXPECT_LT(goes_on.stops[1].arrival, waits.stops[1].arrival);
}

TEST(RouteEta, LatenessIsTheArrivalPastTheWindowEnd) {
  Fixture f;
  f.plans[1].window = domain::TimeWindow{t0(), plus(t0(), 200)};
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0, 1};
  const auto e = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  const double expected = secs(t0(), e.stops[1].arrival) - 200;
  EXPECT_GT(expected, 0);
  EXPECT_NEAR(e.stops[1].late_by_s, expected, 0.01);
  EXPECT_EQ(e.stops[0].late_by_s, 0);
}

TEST(RouteEta, AStopWithoutCoordinatesCostsNoTravel) {
  Fixture f;
  f.plans[1].location.reset();
  f.plans[1].place.clear();
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0, 1, 2};
  const auto e = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  EXPECT_EQ(e.stops[1].arrival, e.stops[0].departure);
  // Stop 3 is reached from stop 1, the last place with coordinates.
  const double l13 = f.leg_s(*f.plans[0].location, *f.plans[2].location);
  EXPECT_NEAR(secs(e.stops[1].departure, e.stops[2].arrival), l13, 0.01);
}

TEST(RouteEta, LearnedSlowStreetsDelayEveryArrival) {
  Fixture f;
  std::vector<LegObservation> history;
  map::ClassDurations p{};
  p[static_cast<size_t>(map::RoadClass::kResidential)] = 100;
  for (int i = 0; i < 200; ++i) history.push_back({core::DriverId("drv_b"), i % 168, p, 150});
  const Corrections slow = learn(history, {});
  RouteEta eta(f.depot, f.plans);
  const std::vector<size_t> remaining{0};
  const auto plain = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, f.identity, {});
  const auto learned = eta.estimate(f.depot, t0(), remaining, std::nullopt, f.driver, f.legs, slow, {});
  EXPECT_GT(secs(t0(), learned.stops[0].arrival), 1.3 * secs(t0(), plain.stops[0].arrival));
}

TEST(DistanceToPath, MeasuresToTheNearestSegment) {
  const std::vector<core::LatLon> path{at(43.70, 7.40), at(43.71, 7.40), at(43.71, 7.41)};
  EXPECT_NEAR(distance_to_path_m(at(43.705, 7.40), path), 0, 0.5);
  // 0.001° of longitude at 43.7° is about 80.4 m.
  EXPECT_NEAR(distance_to_path_m(at(43.705, 7.401), path), 80.4, 1.0);
  EXPECT_NEAR(distance_to_path_m(at(43.69, 7.40), path), 1112, 5);  // beyond the first end
  EXPECT_TRUE(std::isinf(distance_to_path_m(at(43.7, 7.4), {})));
  EXPECT_NEAR(distance_to_path_m(at(43.701, 7.40), {at(43.70, 7.40)}), 111.2, 0.5);
}

}  // namespace
}  // namespace lastmile::eta
