// Token buckets: a burst is allowed, then one request per refill interval; the wait returned is the
// Retry-After; keys are independent; a rate of 0 is no limit; memory stays bounded.
#include "api/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lastmile::api {
namespace {

TEST(RateLimiter, ABurstPassesThenTheBucketRefillsAtItsRate) {
  RateLimiter limiter({.per_s = 2, .burst = 3});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.take("key", 1000)) << i;
  auto wait = limiter.take("key", 1000);
  ASSERT_TRUE(wait);
  EXPECT_DOUBLE_EQ(*wait, 0.5);  // one token at 2 a second
  EXPECT_TRUE(limiter.take("key", 1400));   // 0.8 token
  EXPECT_FALSE(limiter.take("key", 1500));  // 1 token
  EXPECT_TRUE(limiter.take("key", 1500));
  EXPECT_FALSE(limiter.take("key", 60'000));  // refilled, capped at the burst
  EXPECT_FALSE(limiter.take("key", 60'000));
  EXPECT_FALSE(limiter.take("key", 60'000));
  EXPECT_TRUE(limiter.take("key", 60'000));
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter({.per_s = 1, .burst = 1});
  EXPECT_FALSE(limiter.take("a", 0));
  EXPECT_TRUE(limiter.take("a", 0));
  EXPECT_FALSE(limiter.take("b", 0));
}

TEST(RateLimiter, CheckDoesNotTakeAndCreatesNothing) {
  RateLimiter limiter({.per_s = 1, .burst = 1});
  EXPECT_FALSE(limiter.check("a", 0));
  EXPECT_EQ(limiter.size(), 0u);
  EXPECT_FALSE(limiter.take("a", 0));
  EXPECT_TRUE(limiter.check("a", 0));
  EXPECT_TRUE(limiter.check("a", 500));
  EXPECT_FALSE(limiter.check("a", 1000));
}

TEST(RateLimiter, ZeroRateIsNoLimit) {
  RateLimiter limiter({.per_s = 0, .burst = 1});
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(limiter.take("a", 0));
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, AFloodOfDistinctKeysStaysWithinTheBound) {
  RateLimiter limiter({.per_s = 1, .burst = 5, .max_keys = 160});
  for (int i = 0; i < 10'000; ++i) (void)limiter.take("client-" + std::to_string(i), 0);
  EXPECT_LE(limiter.size(), 160u);
  // A key that is being limited survives eviction of full buckets.
  RateLimiter busy({.per_s = 1, .burst = 2, .max_keys = 16});
  (void)busy.take("attacker", 0);
  (void)busy.take("attacker", 0);
  for (int i = 0; i < 100; ++i) (void)busy.take("idle-" + std::to_string(i), 0);
  EXPECT_LE(busy.size(), 16u);
}

}  // namespace
}  // namespace lastmile::api
