// The pure analytics functions: lateness buckets and percentiles, merging, counter text, the fold
// of events into a delivery fact, figures and targets, ISO weeks, route tracking figures.
#include <gtest/gtest.h>

#include "analytics/delivery_fact.hpp"
#include "analytics/figures.hpp"
#include "analytics/route_track.hpp"
#include "analytics/rollup.hpp"
#include "domain/exception_queue.hpp"

namespace lastmile::analytics {
namespace {

constexpr int64_t kMin = 60'000;

domain::Event event(std::string type, std::optional<domain::Milestone> m, int64_t at_ms = 0) {
  domain::Event e;
  e.type = std::move(type);
  e.milestone = m;
  e.at = core::Timestamp{at_ms};
  return e;
}

TEST(LatenessTest, BucketsByMinutesRoundedUp) {
  EXPECT_EQ(lateness_bucket(-5 * kMin), 0u);
  EXPECT_EQ(lateness_bucket(0), 0u);
  EXPECT_EQ(lateness_bucket(1), 1u);          // 1 ms late is 1 minute late: (0, 5]
  EXPECT_EQ(lateness_bucket(5 * kMin), 1u);
  EXPECT_EQ(lateness_bucket(5 * kMin + 1), 2u);
  EXPECT_EQ(lateness_bucket(20 * kMin), 4u);  // (15, 20]
  EXPECT_EQ(lateness_bucket(45 * kMin), 6u);  // (30, 45]
  EXPECT_EQ(lateness_bucket(1440 * kMin), 15u);
  EXPECT_EQ(lateness_bucket(1441 * kMin), 16u);
}

TEST(LatenessTest, NearestRankPercentileIsTheBucketsUpperBound) {
  std::array<int64_t, kLatenessBuckets> h{};
  EXPECT_EQ(lateness_percentile(h, 0.5), std::nullopt);
  h[0] = 1;  // on time
  h[4] = 1;  // 20 min
  h[6] = 1;  // 45 min
  EXPECT_EQ(lateness_percentile(h, 0.5), 20);  // rank ceil(1.5) = 2
  EXPECT_EQ(lateness_percentile(h, 0.9), 45);  // rank ceil(2.7) = 3
  EXPECT_EQ(lateness_percentile(h, 0.3), 0);   // rank 1
  h = {};
  h[16] = 3;  // later than a day: the last bound
  EXPECT_EQ(lateness_percentile(h, 0.9), 1440);
}

TEST(RollupTest, MergeAddsEveryField) {
  Rollup a, b;
  a.deliveries = 2;
  a.km = 1.5;
  a.lateness[3] = 1;
  a.exceptions[2] = 4;
  b.deliveries = 3;
  b.km = 2.0;
  b.lateness[3] = 2;
  b.exceptions[8] = 1;
  b.detractors = 7;
  merge(a, b);
  EXPECT_EQ(a.deliveries, 5);
  EXPECT_DOUBLE_EQ(a.km, 3.5);
  EXPECT_EQ(a.lateness[3], 3);
  EXPECT_EQ(a.exceptions[2], 4);
  EXPECT_EQ(a.exceptions[8], 1);
  EXPECT_EQ(a.detractors, 7);
}

TEST(RollupTest, CountsRoundTripAndMalformedTextIsRefused) {
  std::array<int64_t, 4> in{3, 0, 12, 7}, out{};
  EXPECT_EQ(encode_counts(in), "3,0,12,7");
  EXPECT_TRUE(parse_counts("3,0,12,7", out));
  EXPECT_EQ(out, in);
  EXPECT_TRUE(parse_counts("1,2", out));  // missing trailing values are 0
  EXPECT_EQ(out, (std::array<int64_t, 4>{1, 2, 0, 0}));
  EXPECT_FALSE(parse_counts("1,2,3,4,5", out));
  EXPECT_FALSE(parse_counts("1,,2", out));
  EXPECT_FALSE(parse_counts("1;2", out));
  EXPECT_FALSE(parse_counts("x", out));
}

TEST(FoldTest, DeliveredAfterAFailedAttemptIsNotFirstAttempt) {
  DeliveryFact f;
  EXPECT_FALSE(fold_event(f, event("out_for_delivery", domain::Milestone::kOutForDelivery)).finished);
  auto failed = fold_event(f, event("attempt_failed", domain::Milestone::kAttemptFailed, 10));
  EXPECT_TRUE(failed.route_may_finish);
  EXPECT_EQ(failed.new_exception, static_cast<size_t>(domain::ExceptionKind::kAttemptFailed));
  EXPECT_TRUE(done_on_route(f));
  fold_event(f, event("out_for_delivery", domain::Milestone::kOutForDelivery, 20));
  EXPECT_FALSE(done_on_route(f));
  auto delivered = fold_event(f, event("delivered", domain::Milestone::kDelivered, 30 * kMin));
  EXPECT_TRUE(delivered.finished);
  EXPECT_EQ(f.outcome, Outcome::kDelivered);
  EXPECT_EQ(f.failed_attempts, 1);
  const Rollup r = finished_contribution(f, 10 * kMin, 2);
  EXPECT_EQ(r.deliveries, 1);
  EXPECT_EQ(r.finished, 1);
  EXPECT_EQ(r.first_attempt, 0);
  EXPECT_EQ(r.failed_attempts, 1);
  EXPECT_EQ(r.windowed, 1);
  EXPECT_EQ(r.on_time, 0);
  EXPECT_EQ(r.lateness[lateness_bucket(20 * kMin)], 1);
  EXPECT_EQ(r.parcels, 2);
  EXPECT_EQ(r.exceptions[static_cast<size_t>(domain::ExceptionKind::kAttemptFailed)], 1);
}

TEST(FoldTest, AFinishedFactIgnoresLaterMilestonesButCountsNewCasesAndSurveys) {
  DeliveryFact f;
  fold_event(f, event("delivered", domain::Milestone::kDelivered, 5));
  EXPECT_FALSE(fold_event(f, event("returned", domain::Milestone::kReturned, 6)).finished);
  EXPECT_EQ(f.outcome, Outcome::kDelivered);
  auto low = fold_event(f, event("survey_low_rating", std::nullopt, 7));
  EXPECT_EQ(low.new_exception, static_cast<size_t>(domain::ExceptionKind::kLowRating));
  EXPECT_FALSE(fold_event(f, event("survey_low_rating", std::nullopt, 8)).new_exception);  // once per shipment
  EXPECT_TRUE(fold_event(f, event("survey_submitted", std::nullopt, 7)).survey);
}

TEST(FoldTest, ReturnedAndCancelledContributions) {
  DeliveryFact returned;
  fold_event(returned, event("returned", domain::Milestone::kReturned, 5));
  const Rollup r = finished_contribution(returned, 0, 3);
  EXPECT_EQ(r.finished, 1);
  EXPECT_EQ(r.returned, 1);
  EXPECT_EQ(r.deliveries, 0);
  EXPECT_EQ(r.parcels, 0);
  DeliveryFact cancelled;
  EXPECT_TRUE(fold_event(cancelled, event("cancelled", domain::Milestone::kCancelled, 5)).finished);
  EXPECT_EQ(finished_contribution(cancelled, 0, 3), Rollup{});
}

TEST(FoldTest, SurveyContribution) {
  EXPECT_EQ(survey_contribution(4, std::nullopt).csat_good, 1);
  EXPECT_EQ(survey_contribution(3, 9).csat_good, 0);
  EXPECT_EQ(survey_contribution(3, 9).promoters, 1);
  EXPECT_EQ(survey_contribution(3, 7).promoters + survey_contribution(3, 7).detractors, 0);
  EXPECT_EQ(survey_contribution(1, 6).detractors, 1);
  EXPECT_EQ(survey_contribution(1, std::nullopt).nps_count, 0);
}

TEST(FiguresTest, RatesCostAndTargets) {
  Rollup r;
  r.deliveries = 4;
  r.finished = 5;
  r.first_attempt = 4;
  r.windowed = 3;
  r.on_time = 1;
  r.surveys = 2;
  r.csat_good = 1;
  r.nps_count = 2;
  r.promoters = 1;
  r.detractors = 1;
  r.stops = 4;
  r.km = 20.0;
  r.parcels = 5;
  r.route_s = 19200;
  r.tracked_s = 3600;
  r.exceptions[static_cast<size_t>(domain::ExceptionKind::kMissingScan)] = 1;
  RateCard card{2.0, 0.5, 0.25, "EUR"};
  Targets t;
  t.on_time_rate = 90;
  t.first_attempt_rate = 75;
  t.csat = 60;
  t.cost_per_delivery = 4;
  const Figures f = compute_figures(r, &card, t);
  EXPECT_EQ(f.on_time_rate, 33.3);
  EXPECT_EQ(f.first_attempt_rate, 80.0);
  EXPECT_EQ(f.csat, 50.0);
  EXPECT_EQ(f.nps, 0.0);
  EXPECT_EQ(f.tracking_quality, 18.8);
  EXPECT_EQ(f.cost, 19.25);  // 4 × 2 + 20 × 0.5 + 5 × 0.25
  EXPECT_EQ(f.cost_per_delivery, 4.81);
  EXPECT_EQ(f.missed_scans, 1);
  EXPECT_EQ(f.below_target, (std::vector<std::string>{"on_time_rate", "csat", "cost_per_delivery"}));
  const Figures none = compute_figures(Rollup{}, nullptr, t);
  EXPECT_FALSE(none.on_time_rate);
  EXPECT_FALSE(none.cost);
  EXPECT_TRUE(none.below_target.empty());  // no figure, no mark
}

TEST(FiguresTest, RateCardAndTargetValidationNameTheField) {
  EXPECT_TRUE(validate_rate_card({1, 2, 3, "EUR"}).ok());
  EXPECT_EQ(validate_rate_card({-1, 2, 3, "EUR"}).error().field, "per_stop");
  EXPECT_EQ(validate_rate_card({1, 2e7, 3, "EUR"}).error().field, "per_km");
  EXPECT_EQ(validate_rate_card({1, 2, 3, "eur"}).error().field, "currency");
  Targets t;
  t.nps = -100;
  EXPECT_TRUE(validate_targets(t).ok());
  t.on_time_rate = 101;
  EXPECT_EQ(validate_targets(t).error().field, "on_time_rate");
}

TEST(PeriodTest, IsoWeeksStartOnMondayAndBelongToTheirThursdaysYear) {
  EXPECT_EQ(period_of("2026-11-23", Grouping::kWeek), "2026-W48");  // a Monday
  EXPECT_EQ(period_of("2026-11-29", Grouping::kWeek), "2026-W48");  // its Sunday
  EXPECT_EQ(period_of("2026-11-30", Grouping::kWeek), "2026-W49");
  EXPECT_EQ(period_of("2027-01-01", Grouping::kWeek), "2026-W53");
  EXPECT_EQ(period_of("2026-01-01", Grouping::kWeek), "2026-W01");
  EXPECT_EQ(period_of("2024-12-30", Grouping::kWeek), "2025-W01");
  EXPECT_EQ(period_of("2026-11-23", Grouping::kDay), "2026-11-23");
  EXPECT_EQ(period_of("2026-11-23", Grouping::kTotal), "total");
}

TEST(PeriodTest, DaysParseStrictly) {
  EXPECT_TRUE(parse_day("2026-02-28", "from").ok());
  EXPECT_EQ(parse_day("2026-02-30", "from").error().field, "from");
  EXPECT_EQ(parse_day("2026-2-3", "to").error().code, core::ErrorCode::kInvalidField);
  EXPECT_EQ(parse_day("2026-02-03T00:00:00Z", "to").error().field, "to");
  EXPECT_EQ(days_between("2026-01-01", "2026-12-31"), 364);
  EXPECT_EQ(utc_day(1795392000000), "2026-11-23");
}

TEST(RouteTrackTest, CoveredTimeCountsGapsOfAtMost30Seconds) {
  std::vector<TrackPoint> points;
  for (int i = 0; i <= 3; ++i)  // 0, 20, 40, 60 s, each 0.001° of latitude further north
    points.push_back({i * 20'000, *core::LatLon::from_unsafe({43.0 + i * 0.001, 7.0})});
  const RouteTrack r = measure_route(points, 0, 120'000);  // then nothing until the end at 120 s
  EXPECT_DOUBLE_EQ(r.route_s, 120);
  EXPECT_DOUBLE_EQ(r.tracked_s, 60);
  EXPECT_NEAR(r.km, 3 * 0.1111950802, 1e-6);
  const RouteTrack inner = measure_route(points, 30'000, 50'000);  // only the 40 s point inside
  EXPECT_DOUBLE_EQ(inner.tracked_s, 20);
  EXPECT_DOUBLE_EQ(inner.km, 0);
  EXPECT_EQ(measure_route(points, 10, 10).route_s, 0);
}

}  // namespace
}  // namespace lastmile::analytics
