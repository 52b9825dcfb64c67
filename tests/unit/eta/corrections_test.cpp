#include "eta/corrections.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <cmath>
#include <random>
#include <vector>

namespace lastmile::eta {
namespace {

using map::RoadClass;

constexpr size_t idx(RoadClass c) { return static_cast<size_t>(c); }

core::DriverId driver(const std::string& name) { return core::DriverId("drv_" + name); }

core::Timestamp utc(std::string_view iso) { return *core::parse_iso8601(iso); }

core::LatLon at(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }

map::ClassDurations only(RoadClass c, double s) {
  map::ClassDurations d{};
  d[idx(c)] = s;
  return d;
}

LegObservation leg(const std::string& who, int hour, map::ClassDurations predicted, double actual) {
  return {driver(who), hour, predicted, actual};
}

// ---------------------------------------------------------------- identity

TEST(Corrections, DefaultIsTheIdentity) {
  const Corrections c;
  map::ClassDurations p{};
  p[idx(RoadClass::kResidential)] = 300;
  p[idx(RoadClass::kPrimary)] = 200;
  EXPECT_FALSE(c.learned());
  EXPECT_DOUBLE_EQ(c.travel_s(p, driver("a"), 8), 500);
  EXPECT_DOUBLE_EQ(c.service_s("c:1:2", driver("a"), 120), 120);
  EXPECT_DOUBLE_EQ(c.hour_factor(500), 1);
  EXPECT_DOUBLE_EQ(c.pace(driver("a")), 1);
}

TEST(Corrections, LearningFromNothingIsTheIdentity) {
  const Corrections c = learn({}, {});
  EXPECT_FALSE(c.learned());
  EXPECT_EQ(c.legs(), 0u);
  EXPECT_EQ(c.services(), 0u);
  EXPECT_DOUBLE_EQ(c.travel_s(only(RoadClass::kTertiary, 400), driver("a"), 3), 400);
  EXPECT_DOUBLE_EQ(c.service_s("c:1:2", driver("a"), 90), 90);
  const Window w = c.window(1000, 1);
  const Window d = Corrections{}.window(1000, 1);
  EXPECT_DOUBLE_EQ(w.early_s, d.early_s);
  EXPECT_DOUBLE_EQ(w.late_s, d.late_s);
}

// ---------------------------------------------------------------- recovery of known factors

// Ground truth (factors multiply time): residential is driven in 0.7 of its free-flow time,
// tertiary in 1.2, primary in 1.0; Monday 08:00 is a rush hour where traffic moves at 0.8 of the
// usual speed (time × 1/0.8 = 1.25); driver "slow" drives at 0.75 of the fleet's pace (time ×
// 1/0.75). Noise: log-normal, σ = 0.1.
std::vector<LegObservation> synthetic_legs(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> res(60, 600), pri(0, 600), ter(0, 300);
  std::uniform_int_distribution<int> hour_pick(0, 19), driver_pick(0, 6);
  std::normal_distribution<double> noise(0, 0.1);
  const std::vector<int> hours = {8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                                  32, 33, 34, 35, 36, 56, 57, 58, 59, 60};  // Mon, Tue, Wed
  std::vector<LegObservation> legs;
  for (size_t i = 0; i < n; ++i) {
    map::ClassDurations p{};
    p[idx(RoadClass::kResidential)] = res(rng);
    p[idx(RoadClass::kPrimary)] = pri(rng);
    p[idx(RoadClass::kTertiary)] = ter(rng);
    const int hour = hours[static_cast<size_t>(hour_pick(rng))];
    const int d = driver_pick(rng);
    const std::string who = d == 0 ? "slow" : "d" + std::to_string(d);
    double t = 0.7 * p[idx(RoadClass::kResidential)] + 1.0 * p[idx(RoadClass::kPrimary)] +
               1.2 * p[idx(RoadClass::kTertiary)];
    if (hour == 8) t /= 0.8;
    if (who == "slow") t /= 0.75;
    legs.push_back(leg(who, hour, p, t * std::exp(noise(rng))));
  }
  return legs;
}

TEST(Corrections, RecoversKnownClassHourAndDriverFactors) {
  const auto legs = synthetic_legs(4000, 7);
  const Corrections c = learn(legs, {});
  EXPECT_EQ(c.legs(), legs.size());
  EXPECT_NEAR(c.class_factor(RoadClass::kResidential), 0.7, 0.04);
  EXPECT_NEAR(c.class_factor(RoadClass::kPrimary), 1.0, 0.05);
  EXPECT_NEAR(c.class_factor(RoadClass::kTertiary), 1.2, 0.08);
  EXPECT_DOUBLE_EQ(c.class_factor(RoadClass::kMotorway), 1);  // no data: stays 1
  EXPECT_NEAR(c.hour_factor(8), 1 / 0.8, 0.06);
  EXPECT_NEAR(c.hour_factor(10), 1.0, 0.05);
  EXPECT_NEAR(c.pace(driver("slow")), 1 / 0.75, 0.06);
  EXPECT_NEAR(c.pace(driver("d3")), 1.0, 0.05);
  EXPECT_DOUBLE_EQ(c.pace(driver("never_seen")), 1);
  // The residual spread is about the noise's: P10/P90 of N(0, 0.1) are ∓0.128.
  EXPECT_NEAR(c.log_q10(), -0.128, 0.03);
  EXPECT_NEAR(c.log_q90(), 0.128, 0.03);
  // A prediction with everything learned.
  map::ClassDurations p{};
  p[idx(RoadClass::kResidential)] = 1000;
  EXPECT_NEAR(c.travel_s(p, driver("slow"), 8), 1000 * 0.7 / 0.8 / 0.75, 60);
}

TEST(Corrections, AnHourWithoutDataFallsBackToTheSameHourOfOtherDays) {
  // Hour 8 of Monday only (hour of day 8): Tuesday 08:00 (hour 32) has no legs of its own.
  std::vector<LegObservation> legs;
  for (int i = 0; i < 200; ++i) legs.push_back(leg("a", i % 2 == 0 ? 8 : 10, only(RoadClass::kResidential, 300),
                                                   i % 2 == 0 ? 450 : 300));
  const Corrections c = learn(legs, {});
  const auto p = only(RoadClass::kResidential, 300);
  EXPECT_NEAR(c.travel_s(p, driver("a"), 8), 450, 5);
  EXPECT_NEAR(c.travel_s(p, driver("a"), 10), 300, 5);
  EXPECT_NEAR(c.hour_factor(24 + 8), c.hour_factor(8), 0.03);  // Tuesday 08:00: hour of day 8 (shrunk)
  EXPECT_NEAR(c.travel_s(p, driver("a"), 24 + 8), 450, 10);
  EXPECT_DOUBLE_EQ(c.hour_factor(24 + 20), 1);  // Tuesday 20:00: nothing at 20:00 on any day
  EXPECT_DOUBLE_EQ(c.hour_factor(8 + kHoursPerWeek), c.hour_factor(8));  // modulo a week
}

// ---------------------------------------------------------------- shrinkage

TEST(Corrections, OneLegMovesItsHourByOneSixth) {
  // Hour 10 is the typical hour; a single leg at Monday 06:00 twice as slow, nothing else at 06:00
  // on any day: (1·2 + 5·1) / (1 + 5).
  std::vector<LegObservation> legs(200, leg("a", 10, only(RoadClass::kResidential, 300), 300));
  legs.push_back(leg("a", 6, only(RoadClass::kResidential, 300), 600));
  const Corrections c = learn(legs, {});
  EXPECT_NEAR(c.hour_factor(6), 7.0 / 6, 0.01);
  EXPECT_NEAR(c.hour_factor(10), 1, 0.01);
  // Tuesday 06:00 falls back to the other days' 06:00: the same leg, shrunk once.
  EXPECT_NEAR(c.hour_factor(24 + 6), 7.0 / 6, 0.01);
}

TEST(Corrections, FewObservationsMoveAFactorLittle) {
  LearnOptions o;
  o.min_class_seconds = 0;
  const std::vector<LegObservation> two = {leg("a", 10, only(RoadClass::kResidential, 300), 150),
                                           leg("a", 10, only(RoadClass::kResidential, 300), 150)};
  o.prior_weight = 0;
  EXPECT_NEAR(learn(two, {}, o).class_factor(RoadClass::kResidential), 0.5, 1e-9);
  o.prior_weight = 5;
  const Corrections c = learn(two, {}, o);
  // (2·0.5 + 5·1) / (2 + 5) = 0.857 (the hours and the pace stay 1:
  // they are relative to the typical leg).
  EXPECT_GT(c.class_factor(RoadClass::kResidential), 0.8);
  // Overall, the two legs pull the prediction only part of the way.
  const double predicted = c.travel_s(only(RoadClass::kResidential, 300), driver("a"), 10);
  EXPECT_GT(predicted, 200);
  EXPECT_LT(predicted, 300);

  std::vector<LegObservation> many(200, two[0]);
  const Corrections d = learn(many, {}, o);
  EXPECT_NEAR(d.travel_s(only(RoadClass::kResidential, 300), driver("a"), 10), 150, 10);
}

TEST(Corrections, AClassWithLittlePredictedTimeStaysOne) {
  std::vector<LegObservation> legs;
  for (int i = 0; i < 50; ++i) {
    map::ClassDurations p{};
    p[idx(RoadClass::kResidential)] = 300;
    p[idx(RoadClass::kService)] = 5;  // 250 s in total, below min_class_seconds (600)
    legs.push_back(leg("a", 10, p, 0.7 * 300 + 5));
  }
  const Corrections c = learn(legs, {});
  EXPECT_DOUBLE_EQ(c.class_factor(RoadClass::kService), 1);
  EXPECT_NEAR(c.class_factor(RoadClass::kResidential), 0.7, 0.05);
}

TEST(Corrections, FactorsAreClamped) {
  LearnOptions o;
  o.prior_weight = 0;
  o.max_factor = 1.5;
  o.outlier_ratio = 10;
  std::vector<LegObservation> legs(100, leg("a", 10, only(RoadClass::kPrimary, 600), 600 * 3));
  const Corrections c = learn(legs, {}, o);
  EXPECT_DOUBLE_EQ(c.class_factor(RoadClass::kPrimary), 1.5);
}

// ---------------------------------------------------------------- outliers

TEST(Corrections, OutlierLegsAreIgnored) {
  auto legs = synthetic_legs(1000, 11);
  const size_t clean = legs.size();
  for (int i = 0; i < 100; ++i) {  // lunch breaks and GPS gaps: ten times the drive
    legs.push_back(leg("d1", 10, only(RoadClass::kResidential, 300), 3000));
  }
  legs.push_back(leg("d1", 10, only(RoadClass::kResidential, 300), -5));   // clock skew
  legs.push_back(leg("d1", 10, map::ClassDurations{}, 100));              // nothing predicted
  legs.push_back(leg("d1", 10, only(RoadClass::kResidential, 300), NAN));  // broken input
  const Corrections c = learn(legs, {});
  EXPECT_EQ(c.legs(), clean);
  EXPECT_NEAR(c.class_factor(RoadClass::kResidential), 0.7, 0.06);
  EXPECT_NEAR(c.pace(driver("d1")), 1.0, 0.08);
  const auto model = boost::json::parse(c.to_json()).as_object();
  EXPECT_EQ(model.at("legs_dropped").to_number<uint64_t>(), 103u);
}

// ---------------------------------------------------------------- window

TEST(Corrections, DefaultWindowWidensWithTheRemainingTime) {
  const Corrections c;
  const Window near = c.window(600, 1);
  const Window far = c.window(3600, 1);
  EXPECT_LE(near.early_s, 0);
  EXPECT_GE(near.late_s, 0);
  EXPECT_LT(far.early_s, near.early_s);
  EXPECT_GT(far.late_s, near.late_s);
  EXPECT_NEAR(far.early_s, 3600 * std::expm1(-0.10), 1e-6);
  EXPECT_NEAR(far.late_s, 3600 * std::expm1(0.20), 1e-6);
}

TEST(Corrections, WindowIsNeverAPoint) {
  const Corrections c;
  for (double remaining : {0.0, 10.0, -50.0}) {
    const Window w = c.window(remaining, 1);
    EXPECT_DOUBLE_EQ(w.early_s, -60) << remaining;
    EXPECT_DOUBLE_EQ(w.late_s, 60) << remaining;
  }
  LearnOptions o;
  o.min_window_s = 120;
  const Corrections d = learn(synthetic_legs(100, 3), {}, o);
  EXPECT_DOUBLE_EQ(d.window(30, 1).late_s, 120);
  EXPECT_DOUBLE_EQ(d.window(30, 1).early_s, -120);
}

TEST(Corrections, WindowNarrowsBySqrtOfLegsForIndependentLegs) {
  LearnOptions o;
  o.leg_error_correlation = 0;
  const Corrections c = learn(synthetic_legs(1000, 5), {}, o);
  const double remaining = 7200;
  for (int legs : {1, 4, 16}) {
    const Window w = c.window(remaining, legs);
    const double s = 1 / std::sqrt(legs);
    EXPECT_NEAR(w.late_s, remaining * std::expm1(c.log_q90() * s), 1e-6) << legs;
    EXPECT_NEAR(w.early_s, remaining * std::expm1(c.log_q10() * s), 1e-6) << legs;
  }
  EXPECT_LT(c.window(remaining, 16).late_s, c.window(remaining, 4).late_s);
  EXPECT_DOUBLE_EQ(c.window(remaining, 0).late_s, c.window(remaining, 1).late_s);  // < 1 counts as 1
}

TEST(Corrections, CorrelatedLegsNarrowLess) {
  const Corrections c = learn(synthetic_legs(1000, 5), {});  // ρ = 0.25
  const double remaining = 7200;
  const double s = std::sqrt(0.25 + 0.75 / 16);
  EXPECT_NEAR(c.window(remaining, 16).late_s, remaining * std::expm1(c.log_q90() * s), 1e-6);
  // However many legs, at least half the one-leg spread remains (sqrt(0.25)).
  EXPECT_GT(c.window(remaining, 1000).late_s, remaining * std::expm1(c.log_q90() * 0.5) - 1e-6);
}

TEST(Corrections, WindowQuantilesComeFromTheResiduals) {
  // Wider noise gives a wider window.
  std::mt19937 rng(1);
  std::normal_distribution<double> wide(0, 0.3);
  std::vector<LegObservation> legs;
  for (int i = 0; i < 2000; ++i) legs.push_back(leg("a", 10, only(RoadClass::kResidential, 300), 300 * std::exp(wide(rng))));
  const Corrections c = learn(legs, {});
  EXPECT_NEAR(c.log_q10(), -0.3 * 1.2816, 0.05);
  EXPECT_NEAR(c.log_q90(), 0.3 * 1.2816, 0.05);
  const Corrections narrow = learn(synthetic_legs(2000, 9), {});
  EXPECT_GT(c.window(1800, 1).late_s, narrow.window(1800, 1).late_s);
  EXPECT_LT(c.window(1800, 1).early_s, narrow.window(1800, 1).early_s);
}

// ---------------------------------------------------------------- services

TEST(Corrections, ServiceTimePerPlaceThenDriverThenPlanned) {
  std::vector<ServiceObservation> s;
  // Fleet: actual = 1.5 × planned (120 s planned) for drivers a and b at many places.
  for (int i = 0; i < 40; ++i) s.push_back({driver(i % 2 ? "a" : "b"), "c:" + std::to_string(i) + ":0", 120, 180});
  // Driver "fast" takes half the planned time, everywhere.
  for (int i = 0; i < 40; ++i) s.push_back({driver("fast"), "c:" + std::to_string(100 + i) + ":0", 120, 60});
  // The office tower: 20 stops of 600 s.
  for (int i = 0; i < 20; ++i) s.push_back({driver("a"), "c:tower", 120, 600});
  const Corrections c = learn({}, s);
  EXPECT_EQ(c.services(), s.size());
  EXPECT_TRUE(c.learned());
  // Place known: its median (600), shrunk by 5 towards planned × fleet ratio (120 × 1.5).
  EXPECT_NEAR(c.service_s("c:tower", driver("fast"), 120), (20 * 600 + 5 * 180) / 25.0, 1e-9);
  // Place unknown, driver known: their ratio (0.5, shrunk towards 1.5 by 5 of 40) × planned.
  EXPECT_NEAR(c.service_s("c:new", driver("fast"), 100), 100 * (40 * 0.5 + 5 * 1.5) / 45, 1e-9);
  // Neither: the fleet ratio × planned.
  EXPECT_NEAR(c.service_s("c:new", driver("new"), 100), 150, 1e-9);
  // A place seen once moves little from the prior.
  const Corrections once = learn({}, std::vector<ServiceObservation>{{driver("a"), "c:x", 100, 1000}});
  EXPECT_NEAR(once.service_s("c:x", driver("a"), 100), (1000 + 5 * 1000.0 / 100 * 100) / 6, 1e-9);
}

TEST(Corrections, UnusableServiceObservationsAreSkipped) {
  const std::vector<ServiceObservation> s = {{driver("a"), "c:1", 0, 100},
                                             {driver("a"), "c:1", 100, -1},
                                             {driver("a"), "c:1", NAN, 100}};
  const Corrections c = learn({}, s);
  EXPECT_EQ(c.services(), 0u);
  EXPECT_DOUBLE_EQ(c.service_s("c:1", driver("a"), 100), 100);
}

// ---------------------------------------------------------------- hour_of_week, place_key

TEST(HourOfWeek, MondayMidnightUtcIsZero) {
  EXPECT_EQ(hour_of_week(utc("2024-01-01T00:00:00Z")), 0);  // a Monday
  EXPECT_EQ(hour_of_week(utc("2024-01-01T00:59:59Z")), 0);
  EXPECT_EQ(hour_of_week(utc("2024-01-01T13:30:00Z")), 13);
  EXPECT_EQ(hour_of_week(utc("2024-01-03T08:15:00Z")), 2 * 24 + 8);  // Wednesday
  EXPECT_EQ(hour_of_week(utc("2023-12-31T23:00:00Z")), 167);         // Sunday
  EXPECT_EQ(hour_of_week(utc("1969-12-29T05:00:00Z")), 5);           // a Monday before the epoch
  EXPECT_EQ(hour_of_week(utc("1969-12-31T23:59:59.999Z")), 2 * 24 + 23);
}

TEST(HourOfWeek, OffsetsShiftToLocalTimeAndWrapTheWeek) {
  EXPECT_EQ(hour_of_week(utc("2024-01-01T07:00:00Z"), 2 * 3600), 9);
  EXPECT_EQ(hour_of_week(utc("2023-12-31T23:30:00Z"), 3600), 0);        // Sunday night UTC is Monday in +01:00
  EXPECT_EQ(hour_of_week(utc("2024-01-01T00:30:00Z"), -3600), 167);     // and Monday UTC is Sunday in −01:00
  EXPECT_EQ(hour_of_week(utc("2024-01-01T00:00:00Z"), 8 * 3600), 8);    // China
  EXPECT_EQ(hour_of_week(utc("2024-01-08T00:00:00Z")), 0);              // a week later
}

TEST(PlaceKey, NeighboursShareACellFarPlacesDoNot) {
  // The centre of a cell and a point 10 m away.
  const double lat = (std::floor(48.137 / 0.00045) + 0.5) * 0.00045;
  const double lon = 11.5755;
  const std::string k = place_key(at(lat, lon));
  EXPECT_EQ(k.rfind("c:", 0), 0u);
  EXPECT_EQ(place_key(at(lat + 0.00009, lon)), k);  // 10 m north
  EXPECT_NE(place_key(at(lat + 0.0018, lon)), k);   // 200 m north
  EXPECT_NE(place_key(at(lat, lon + 0.0027)), k);   // 200 m east
  EXPECT_EQ(place_key(at(lat, lon)), k);            // deterministic
  // Up north a degree of longitude is short: 0.0009° is ≈ 50 m at 60°N, so it changes the cell
  // (or the next one) while at the equator it stays within two cells.
  EXPECT_NE(place_key(at(60.0001, 10.0)), place_key(at(60.0001, 10.0 + 0.0018)));
  EXPECT_NE(place_key(at(-33.9, 18.4)), place_key(at(33.9, 18.4)));  // hemispheres differ
}

// ---------------------------------------------------------------- to_json

TEST(Corrections, ModelDumpsAsJson) {
  std::vector<ServiceObservation> s = {{driver("a"), "c:1:1", 100, 200}};
  const Corrections c = learn(synthetic_legs(300, 2), s);
  const auto v = boost::json::parse(c.to_json()).as_object();
  EXPECT_EQ(v.at("legs").to_number<uint64_t>(), 300u);
  EXPECT_EQ(v.at("services").to_number<uint64_t>(), 1u);
  EXPECT_TRUE(v.at("classes").as_object().contains("residential"));
  EXPECT_NEAR(v.at("classes").at("residential").at("factor").to_number<double>(),
              c.class_factor(RoadClass::kResidential), 1e-12);
  EXPECT_EQ(v.at("hours").as_array().size(), 20u);  // the hours with data
  EXPECT_TRUE(v.at("drivers").as_object().contains("drv_slow"));
  EXPECT_TRUE(v.at("window").at("out_of_sample").as_bool());
  EXPECT_TRUE(v.at("service").at("places").as_object().contains("c:1:1"));
  // The identity dumps too.
  const auto id = boost::json::parse(Corrections{}.to_json()).as_object();
  EXPECT_EQ(id.at("legs").to_number<uint64_t>(), 0u);
  EXPECT_TRUE(id.at("hours").as_array().empty());
}

}  // namespace
}  // namespace lastmile::eta
