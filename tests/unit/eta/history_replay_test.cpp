// The learned corrections on real histories without a map (issue 4): LaDe courier scans and the
// real 1 Hz Munich car trip, great-circle estimates (detour 1.3, 30 km/h) with and without learned
// corrections, no look-ahead (protocols in eta/history_replay.hpp). The figures are printed; the
// assertions state what holds on this data, including where learning does not help.

#include "eta/history_replay.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>

#include "trace_data.hpp"

namespace lastmile::eta {
namespace {

void print(const char* what, const ErrorStats& s) {
  std::printf("  %-34s n=%zu mean=%.0f s p90=%.0f s coverage=%.2f\n", what, s.n, s.mean_abs_s, s.p90_abs_s, s.coverage);
}

std::vector<LadeDelivery> lade() {
  auto r = parse_lade_deliveries(test::read_trace(test::kLadeCsv));
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(r).value() : std::vector<LadeDelivery>{};
}

std::vector<TracePoint> munich() {
  auto r = parse_barefoot_trace(test::read_trace(test::kMunichJson));
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(r).value() : std::vector<TracePoint>{};
}

TEST(HistoryReplay, LadeNextDeliveryLearnedServiceTimesHelp) {
  const auto deliveries = lade();
  const LadeReplay r = replay_lade_next_delivery(deliveries);
  print("LaDe all pairs, without", r.figures.without);
  print("LaDe all pairs, with", r.figures.with);
  print("LaDe gap <= 1 h, without", r.within_gap.without);
  print("LaDe gap <= 1 h, with", r.within_gap.with);
  EXPECT_EQ(r.pairs, 17u);
  EXPECT_GE(r.pairs_with_history, 14u);
  EXPECT_EQ(r.within_gap.with.n, 10u);
  // Learned stop times bring the next scan closer, most clearly when it comes within the hour. This
  // is the gain of correcting a planned stop time (120 s) shorter than the real ones: planned 600 s,
  // about the excerpt's typical gap, learning no longer helps (bench/README.md).
  EXPECT_LE(r.figures.with.mean_abs_s, r.figures.without.mean_abs_s);
  EXPECT_LT(r.within_gap.with.mean_abs_s, 0.8 * r.within_gap.without.mean_abs_s);
  EXPECT_LT(r.within_gap.with.p90_abs_s, r.within_gap.without.p90_abs_s);
  // The window describes driving (no legs are learned here, so it is the default one around a
  // few minutes): it covers far fewer than the nominal 80 % of these stop-dominated gaps.
  EXPECT_GE(r.figures.with.coverage, r.figures.without.coverage);
  EXPECT_LT(r.figures.with.coverage, 0.5);
}

TEST(HistoryReplay, LadeLearningFromBreaksMakesItWorse) {
  // Learning the multi-hour gaps (breaks, deliveries missing from the excerpt) as stop times
  // predicts hours where minutes follow: worse than no learning.
  LadeReplayOptions o;
  o.max_learn_gap_s = std::numeric_limits<double>::infinity();
  const LadeReplay r = replay_lade_next_delivery(lade(), o);
  print("LaDe learning every gap, without", r.figures.without);
  print("LaDe learning every gap, with", r.figures.with);
  EXPECT_GT(r.figures.with.mean_abs_s, r.figures.without.mean_abs_s);
}

TEST(HistoryReplay, MunichArrivalFromTheDriveSoFar) {
  const auto points = munich();
  // The trip lasts 19 min 55 s: 30 min before arrival does not exist.
  const auto h = replay_trace_arrival(points, {1800, 900, 600, 300});
  ASSERT_EQ(h.size(), 3u);
  for (const auto& x : h) {
    std::printf("  %4.0f s before: actual %4.0f s, without %4.0f s, with %4.0f s (%zu legs, factor %.3f, window %+.0f/%+.0f s)\n",
                x.horizon_s, x.actual_s, x.without_s, x.with_s, x.legs_learned, x.factor, x.window.early_s,
                x.window.late_s);
    EXPECT_NEAR(x.actual_s, x.horizon_s, 1.0);
    EXPECT_GE(x.window.late_s, 60);
    EXPECT_LE(x.window.early_s, -60);
  }
  // Only the drive so far is learned from: more legs the later the prediction.
  EXPECT_LT(h[0].legs_learned, h[1].legs_learned);
  EXPECT_LT(h[1].legs_learned, h[2].legs_learned);
  EXPECT_EQ(h[0].legs_learned, 4u);
  // At 15 min the first minutes in the centre (slower than 30 km/h × 1.3) are all there is to
  // learn from: the learned prediction is slightly worse there; the trip then speeds up.
  EXPECT_GT(std::abs(h[0].with_s - h[0].actual_s), std::abs(h[0].without_s - h[0].actual_s));
  EXPECT_LT(std::abs(h[1].with_s - h[1].actual_s), std::abs(h[1].without_s - h[1].actual_s));
}

TEST(HistoryReplay, MunichEveryMinuteOfTheLastQuarterHour) {
  std::vector<double> horizons;
  for (int m = 1; m <= 15; ++m) horizons.push_back(60.0 * m);
  const Comparison c = summarize(replay_trace_arrival(munich(), horizons));
  print("Munich 1..15 min, without", c.without);
  print("Munich 1..15 min, with", c.with);
  EXPECT_EQ(c.with.n, 15u);
  EXPECT_LT(c.with.mean_abs_s, c.without.mean_abs_s);
  EXPECT_LE(c.with.p90_abs_s, c.without.p90_abs_s);
}

TEST(HistoryReplay, EmptyInputsGiveNoPredictions) {
  EXPECT_EQ(replay_lade_next_delivery({}).pairs, 0u);
  EXPECT_TRUE(replay_trace_arrival({}, {300}).empty());
  const Comparison c = summarize({});
  EXPECT_EQ(c.with.n, 0u);
  EXPECT_DOUBLE_EQ(c.with.mean_abs_s, 0);
}

}  // namespace
}  // namespace lastmile::eta
