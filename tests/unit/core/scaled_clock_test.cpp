// ScaledClock (`serve --clock-speedup`, `simulate --speedup`): time K× faster than its base clock.
#include <gtest/gtest.h>

#include "core/time.hpp"

namespace lastmile::core {
namespace {

constexpr int64_t kStart = 1'795'339'800'000;  // 2026-11-22T09:30:00Z

TEST(ScaledClock, SpeedupOneIsTheBaseClock) {
  ManualClock base(Timestamp{kStart});
  ScaledClock clock(base, 1.0);
  EXPECT_EQ(clock.now().ms, kStart);
  base.advance_ms(12'345);
  EXPECT_EQ(clock.now().ms, kStart + 12'345);
}

TEST(ScaledClock, RunsKTimesFasterFromTheBaseTimeAtConstruction) {
  ManualClock base(Timestamp{kStart});
  ScaledClock clock(base, 30.0);
  EXPECT_EQ(clock.now().ms, kStart);
  base.advance_ms(1'000);
  EXPECT_EQ(clock.now().ms, kStart + 30'000);
  base.advance_ms(59'000);  // one wall minute: half an hour
  EXPECT_EQ(clock.now().ms, kStart + 1'800'000);
}

TEST(ScaledClock, AnExplicitStartIsWhereItBegins) {
  ManualClock base(Timestamp{kStart});
  ScaledClock clock(base, 10.0, Timestamp{kStart + 3'600'000});
  EXPECT_EQ(clock.now().ms, kStart + 3'600'000);
  base.advance_ms(500);
  EXPECT_EQ(clock.now().ms, kStart + 3'605'000);
}

TEST(ScaledClock, FractionalSpeedupsRoundToTheMillisecond) {
  ManualClock base(Timestamp{kStart});
  ScaledClock clock(base, 2.5);
  base.advance_ms(3);
  EXPECT_EQ(clock.now().ms, kStart + 8);  // 7.5 rounds away from zero
  EXPECT_DOUBLE_EQ(clock.speedup(), 2.5);
}

TEST(ScaledClock, BaseMillisecondsUntilATimeAreScaledDownAndNeverNegative) {
  ManualClock base(Timestamp{kStart});
  ScaledClock clock(base, 10.0);
  EXPECT_EQ(clock.base_ms_until(Timestamp{kStart + 10'000}), 1'000);
  EXPECT_EQ(clock.base_ms_until(Timestamp{kStart + 10'001}), 1'001);  // rounded up: never early
  EXPECT_EQ(clock.base_ms_until(Timestamp{kStart}), 0);
  EXPECT_EQ(clock.base_ms_until(Timestamp{kStart - 5'000}), 0);
  base.advance_ms(1'000);
  EXPECT_EQ(clock.base_ms_until(Timestamp{kStart + 10'000}), 0);
}

}  // namespace
}  // namespace lastmile::core
