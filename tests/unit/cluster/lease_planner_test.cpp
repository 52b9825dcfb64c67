#include "cluster/lease_planner.hpp"

#include <gtest/gtest.h>

namespace lastmile::cluster {
namespace {

const LeaseParams kParams{6'000, 1'000, 2'000};

TEST(LeasePlannerTest, FairShareRoundsUp) {
  EXPECT_EQ(fair_share(16, 1), 16u);
  EXPECT_EQ(fair_share(16, 2), 8u);
  EXPECT_EQ(fair_share(16, 3), 6u);
  EXPECT_EQ(fair_share(16, 0), 16u);
}

TEST(LeasePlannerTest, ALonelyNodeWantsEveryShardStartingAtItsOffset) {
  const auto plan = plan_leases({}, 4, 1, 2, 10'000, kParams);
  EXPECT_EQ(plan.want, 4u);
  EXPECT_EQ(plan.try_acquire, (std::vector<uint32_t>{2, 3, 0, 1}));
  EXPECT_TRUE(plan.renew.empty() && plan.expire.empty() && plan.release.empty());
}

TEST(LeasePlannerTest, RenewsOnlyWhenDue) {
  const std::vector<HeldLease> held{{0, 5, 10'000}, {1, 6, 9'000}};
  const auto plan = plan_leases(held, 2, 1, 0, 10'500, kParams);
  EXPECT_EQ(plan.renew, (std::vector<uint32_t>{1}));
  EXPECT_EQ(plan.want, 0u);
  EXPECT_TRUE(plan.try_acquire.empty());
}

TEST(LeasePlannerTest, ALeaseNotRenewedInTimeIsGivenUpBeforeTheBucketDropsIt) {
  const HeldLease l{3, 9, 10'000};
  EXPECT_TRUE(lease_usable(l, 13'999, kParams));
  EXPECT_FALSE(lease_usable(l, 14'000, kParams));  // ttl - safety after the last renewal
  const auto plan = plan_leases({l}, 4, 2, 0, 14'000, kParams);
  EXPECT_EQ(plan.expire, (std::vector<uint32_t>{3}));
  EXPECT_TRUE(plan.renew.empty());
  // It is not retried in the same round: it is still this node's until the next one.
  for (uint32_t s : plan.try_acquire) EXPECT_NE(s, 3u);
  EXPECT_EQ(plan.want, 2u);
}

TEST(LeasePlannerTest, ANewNodeMakesTheHolderReleaseItsHighestShards) {
  std::vector<HeldLease> held;
  for (uint32_t s = 0; s < 4; ++s) held.push_back({s, 1, 10'000});
  const auto plan = plan_leases(held, 4, 2, 0, 11'000, kParams);
  EXPECT_EQ(plan.release, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(plan.renew, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(plan.want, 0u);
}

TEST(LeasePlannerTest, TakesOverWhenTheOtherNodeIsGone) {
  const std::vector<HeldLease> held{{0, 1, 10'000}, {1, 1, 10'000}};
  const auto two = plan_leases(held, 4, 2, 0, 10'100, kParams);
  EXPECT_EQ(two.want, 0u);
  const auto alone = plan_leases(held, 4, 1, 0, 10'100, kParams);
  EXPECT_EQ(alone.want, 2u);
  EXPECT_EQ(alone.try_acquire, (std::vector<uint32_t>{2, 3}));
}

}  // namespace
}  // namespace lastmile::cluster
