// Late-risk and off-route detection: when they raise, when they clear, and what they ignore.
#include <gtest/gtest.h>

#include "eta/late_risk.hpp"
#include "eta/off_route.hpp"

namespace lastmile::eta {
namespace {

core::Timestamp at_s(double s) { return {static_cast<int64_t>(s * 1000)}; }
const domain::TimeWindow kWindow{at_s(10'000), at_s(12'000)};

TEST(LateRisk, RaisesOnlyAfterConfirmedPredictionsPastTheWindow) {
  LateRiskState s;
  LateRiskParams p;  // 60 s tolerance, 2 confirmations
  EXPECT_EQ(update_late_risk(s, at_s(11'000), kWindow, p), LateRiskChange::kNone);
  EXPECT_EQ(update_late_risk(s, at_s(12'030), kWindow, p), LateRiskChange::kNone);  // within tolerance
  EXPECT_EQ(update_late_risk(s, at_s(12'100), kWindow, p), LateRiskChange::kNone);  // first vote
  EXPECT_EQ(update_late_risk(s, at_s(12'200), kWindow, p), LateRiskChange::kRaised);
  EXPECT_TRUE(s.raised);
  EXPECT_EQ(update_late_risk(s, at_s(12'300), kWindow, p), LateRiskChange::kNone);  // raised once
}

TEST(LateRisk, ASingleNoisyEstimateDoesNotRaise) {
  LateRiskState s;
  LateRiskParams p;
  EXPECT_EQ(update_late_risk(s, at_s(12'500), kWindow, p), LateRiskChange::kNone);
  EXPECT_EQ(update_late_risk(s, at_s(11'500), kWindow, p), LateRiskChange::kNone);
  EXPECT_EQ(update_late_risk(s, at_s(12'500), kWindow, p), LateRiskChange::kNone);
  EXPECT_FALSE(s.raised);
}

TEST(LateRisk, ClearsWhenThePredictionIsBackInsideByTheMargin) {
  LateRiskState s;
  LateRiskParams p;
  update_late_risk(s, at_s(13'000), kWindow, p);
  ASSERT_EQ(update_late_risk(s, at_s(13'000), kWindow, p), LateRiskChange::kRaised);
  EXPECT_EQ(update_late_risk(s, at_s(11'990), kWindow, p), LateRiskChange::kNone);  // inside, not by 60 s
  EXPECT_EQ(update_late_risk(s, at_s(11'900), kWindow, p), LateRiskChange::kNone);  // first vote
  EXPECT_EQ(update_late_risk(s, at_s(11'800), kWindow, p), LateRiskChange::kCleared);
  EXPECT_FALSE(s.raised);
}

TEST(OffRoute, RaisesAfterStayingAwayLongEnough) {
  OffRouteState s;
  OffRouteParams p;  // 150 m for 90 s
  EXPECT_EQ(update_off_route(s, 40, 5, at_s(0), p), OffRouteChange::kNone);
  EXPECT_EQ(update_off_route(s, 300, 5, at_s(10), p), OffRouteChange::kNone);
  EXPECT_EQ(update_off_route(s, 400, 5, at_s(60), p), OffRouteChange::kNone);
  EXPECT_EQ(update_off_route(s, 350, 5, at_s(100), p), OffRouteChange::kOffRoute);
  EXPECT_EQ(s.max_distance_m, 400);
  EXPECT_EQ(update_off_route(s, 500, 5, at_s(150), p), OffRouteChange::kNone);
  EXPECT_EQ(update_off_route(s, 20, 5, at_s(200), p), OffRouteChange::kBackOnRoute);
  EXPECT_FALSE(s.raised);
}

TEST(OffRoute, ABriefExcursionIsForgotten) {
  OffRouteState s;
  OffRouteParams p;
  update_off_route(s, 300, 5, at_s(0), p);
  update_off_route(s, 50, 5, at_s(60), p);  // back: the run restarts
  EXPECT_EQ(update_off_route(s, 300, 5, at_s(100), p), OffRouteChange::kNone);
  EXPECT_EQ(update_off_route(s, 300, 5, at_s(150), p), OffRouteChange::kNone);
  EXPECT_EQ(update_off_route(s, 300, 5, at_s(200), p), OffRouteChange::kOffRoute);
}

TEST(OffRoute, PoorFixesNeverCount) {
  OffRouteState s;
  OffRouteParams p;
  EXPECT_EQ(update_off_route(s, 900, 500, at_s(0), p), OffRouteChange::kNone);    // accuracy 500 m: ignored
  EXPECT_EQ(update_off_route(s, 200, 80, at_s(100), p), OffRouteChange::kNone);   // within 150 + 80
  EXPECT_EQ(update_off_route(s, 200, 80, at_s(200), p), OffRouteChange::kNone);
  EXPECT_FALSE(s.away_since.has_value());
  EXPECT_FALSE(s.raised);
}

}  // namespace
}  // namespace lastmile::eta
