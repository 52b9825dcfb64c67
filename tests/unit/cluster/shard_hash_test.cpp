#include "cluster/shard_hash.hpp"

#include <gtest/gtest.h>

#include <set>

namespace lastmile::cluster {
namespace {

TEST(ShardHashTest, IsTheFnv1a64OfTheBytes) {
  // Reference values of FNV-1a 64: every node and every build must agree on them.
  EXPECT_EQ(fnv1a64(""), 14695981039346656037ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(ShardHashTest, ShardIsStableAndInRange) {
  EXPECT_EQ(shard_of("drv_abc", 16), fnv1a64("drv_abc") % 16);
  std::set<uint32_t> seen;
  for (int i = 0; i < 400; ++i) {
    const uint32_t s = shard_of("drv_" + std::to_string(i), 16);
    EXPECT_LT(s, 16u);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 16u);  // 400 drivers reach every shard
  EXPECT_EQ(shard_of("drv_x", 1), 0u);
}

TEST(ShardHashTest, SubjectNamesTheShard) { EXPECT_EQ(ping_subject(7), "lastmile.pings.7"); }

}  // namespace
}  // namespace lastmile::cluster
