// The retry schedule: 10 s, 30 s, 2 min, 10 min, … capped at 4 h, ±20 % jitter, scalable.
#include "notify/backoff.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

TEST(Backoff, WithoutJitterTheScheduleGrowsThenCaps) {
  const double mid = 0.5;  // factor 1.0
  EXPECT_EQ(retry_delay_ms(1, mid), 10'000);
  EXPECT_EQ(retry_delay_ms(2, mid), 30'000);
  EXPECT_EQ(retry_delay_ms(3, mid), 120'000);
  EXPECT_EQ(retry_delay_ms(4, mid), 600'000);
  EXPECT_EQ(retry_delay_ms(8, mid), 14'400'000);
  EXPECT_EQ(retry_delay_ms(50, mid), 14'400'000);
}

TEST(Backoff, JitterStaysWithinTwentyPercent) {
  EXPECT_EQ(retry_delay_ms(1, 0.0), 8'000);
  EXPECT_EQ(retry_delay_ms(1, 1.0), 12'000);
  EXPECT_EQ(retry_delay_ms(1, 7.0), 12'000);  // out-of-range jitter is clamped
}

TEST(Backoff, ScaleShortensEveryDelayButNeverToZero) {
  EXPECT_EQ(retry_delay_ms(1, 0.5, BackoffParams{0.01}), 100);
  EXPECT_EQ(retry_delay_ms(1, 0.5, BackoffParams{0.00001}), 1);
}

TEST(Backoff, ZeroOrNegativeAttemptsCountAsTheFirst) { EXPECT_EQ(retry_delay_ms(0, 0.5), 10'000); }

}  // namespace
}  // namespace lastmile::notify
