// The ping filter on short recorded sequences around Monaco: what is accepted, what is history only,
// what is dropped as a duplicate, and why a fix is rejected.
#include "tracking/ping_filter.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace lastmile::tracking {
namespace {

constexpr core::Timestamp kNow{1'795'000'000'000};
const core::DriverId kDriver("drv_test");

ingest::UnsafePing fix(double lat, double lon, int64_t seconds_before_now = 0) {
  ingest::UnsafePing p;
  p.device_id = "4711";
  p.t = core::Timestamp{kNow.ms - seconds_before_now * 1000};
  p.position = {lat, lon};
  return p;
}

class PingFilterTest : public ::testing::Test {
 protected:
  FilterResult feed(const ingest::UnsafePing& p) { return filter_ping(state_, p, kDriver, kNow, params_); }

  void expect_rejected(const ingest::UnsafePing& p, RejectReason reason) {
    auto before = state_.live;
    auto r = feed(p);
    EXPECT_EQ(r.verdict, Verdict::kRejected);
    ASSERT_TRUE(r.reason);
    EXPECT_EQ(reject_reason_name(*r.reason), reject_reason_name(reason));
    EXPECT_FALSE(r.ping);
    EXPECT_EQ(state_.live.has_value(), before.has_value());
    if (before) {
      EXPECT_EQ(state_.live->t, before->t) << "a rejected fix moved the live position";
    }
  }

  DriverTrackState state_;
  FilterParams params_;
};

TEST_F(PingFilterTest, AFirstGoodFixBecomesTheLivePosition) {
  auto in = fix(43.7384, 7.4246, 10);
  in.speed_mps = 8.5;
  in.heading_deg = 90;
  in.accuracy_m = 6;
  in.battery_pct = 81;
  auto r = feed(in);
  ASSERT_EQ(r.verdict, Verdict::kAccepted);
  ASSERT_TRUE(r.ping);
  EXPECT_EQ(r.ping->driver_id, kDriver);
  EXPECT_DOUBLE_EQ(r.ping->position.lat(), 43.7384);
  EXPECT_EQ(r.ping->speed_mps, 8.5);
  EXPECT_EQ(r.ping->received_at, kNow);
  ASSERT_TRUE(state_.live);
  EXPECT_EQ(state_.live->t, in.t);
}

TEST_F(PingFilterTest, RejectsCoordinatesThatCannotBeOnEarth) {
  expect_rejected(fix(91, 7.42), RejectReason::kBadCoordinates);
  expect_rejected(fix(43.7, -180.5), RejectReason::kBadCoordinates);
  expect_rejected(fix(std::numeric_limits<double>::quiet_NaN(), 7.42), RejectReason::kBadCoordinates);
  expect_rejected(fix(43.7, std::numeric_limits<double>::infinity()), RejectReason::kBadCoordinates);
  expect_rejected(fix(0, 0), RejectReason::kBadCoordinates);
}

TEST_F(PingFilterTest, RejectsAFixTheDeviceMarkedInvalid) {
  auto in = fix(43.7384, 7.4246);
  in.valid = false;
  expect_rejected(in, RejectReason::kInvalidFix);
}

TEST_F(PingFilterTest, RejectsTimesTooFarAheadOrTooOld) {
  expect_rejected(fix(43.7384, 7.4246, -(5 * 60 + 1)), RejectReason::kInFuture);
  EXPECT_EQ(feed(fix(43.7384, 7.4246, -5 * 60)).verdict, Verdict::kAccepted);  // exactly at the limit
  expect_rejected(fix(43.7384, 7.4246, 8 * 24 * 3600), RejectReason::kTooOld);
}

TEST_F(PingFilterTest, RejectsPoorAccuracyButIgnoresAnUnknownOne) {
  auto poor = fix(43.7384, 7.4246);
  poor.accuracy_m = 400;
  expect_rejected(poor, RejectReason::kPoorAccuracy);
  auto unknown = fix(43.7384, 7.4246);
  unknown.accuracy_m = -1;  // apps send -1 for "unknown"
  auto r = feed(unknown);
  ASSERT_EQ(r.verdict, Verdict::kAccepted);
  EXPECT_FALSE(r.ping->accuracy_m);
}

TEST_F(PingFilterTest, DropsImpossibleOptionalValuesAndNormalisesHeading) {
  auto in = fix(43.7384, 7.4246);
  in.speed_mps = -3;
  in.heading_deg = -90;
  in.battery_pct = 150;
  auto r = feed(in);
  ASSERT_EQ(r.verdict, Verdict::kAccepted);
  EXPECT_FALSE(r.ping->speed_mps);
  EXPECT_FALSE(r.ping->battery_pct);
  EXPECT_DOUBLE_EQ(*r.ping->heading_deg, 270);
}

TEST_F(PingFilterTest, AResentBatchIsDroppedAsDuplicates) {
  std::vector<ingest::UnsafePing> batch = {fix(43.7384, 7.4246, 30), fix(43.7390, 7.4251, 20),
                                           fix(43.7396, 7.4257, 10)};
  for (const auto& p : batch) EXPECT_EQ(feed(p).verdict, Verdict::kAccepted);
  for (const auto& p : batch) EXPECT_EQ(feed(p).verdict, Verdict::kDuplicate);
  EXPECT_EQ(state_.live->t, batch.back().t);
}

TEST_F(PingFilterTest, ALatePointGoesToHistoryWithoutMovingTheLivePositionBack) {
  ASSERT_EQ(feed(fix(43.7396, 7.4257, 10)).verdict, Verdict::kAccepted);
  auto late = feed(fix(43.7390, 7.4251, 20));  // arrives after the newer one
  EXPECT_EQ(late.verdict, Verdict::kLate);
  ASSERT_TRUE(late.ping);
  EXPECT_EQ(state_.live->t.ms, kNow.ms - 10'000);
  EXPECT_EQ(feed(fix(43.7390, 7.4251, 20)).verdict, Verdict::kDuplicate);  // and only once
}

TEST_F(PingFilterTest, AnImpossibleJumpIsRejectedAndTheTrackContinuesFromTheLastGoodFix) {
  ASSERT_EQ(feed(fix(43.7384, 7.4246, 60)).verdict, Verdict::kAccepted);   // Monaco
  expect_rejected(fix(43.7102, 7.2620, 50), RejectReason::kImpossibleJump);  // Nice, 10 s later: ~13 km
  EXPECT_EQ(feed(fix(43.7390, 7.4251, 40)).verdict, Verdict::kAccepted);   // back on track, 20 s later
}

TEST_F(PingFilterTest, GpsJitterIsNotAJump) {
  ASSERT_EQ(feed(fix(43.7384, 7.4246, 2)).verdict, Verdict::kAccepted);
  EXPECT_EQ(feed(fix(43.7387, 7.4249, 1)).verdict, Verdict::kAccepted);  // ~40 m in 1 s, under the noise floor
}

TEST_F(PingFilterTest, TheDuplicateMemoryIsBounded) {
  for (int i = 0; i < 100; ++i) ASSERT_EQ(feed(fix(43.7384, 7.4246 + i * 1e-5, 200 - i)).verdict, Verdict::kAccepted);
  EXPECT_EQ(state_.recent_count, state_.recent.size());
  // The very first fix fell out of the ring: it now counts as a late point, not a duplicate.
  EXPECT_EQ(feed(fix(43.7384, 7.4246, 200)).verdict, Verdict::kLate);
}

}  // namespace
}  // namespace lastmile::tracking
