#include "api/track_cache.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

constexpr core::Timestamp kNow{1'795'000'000'000};

TEST(TrackViewCache, ReturnsWhatWasPutUntilTheTtlRunsOut) {
  TrackViewCache cache(10, 2000);
  cache.put("tok", "{\"status\":\"created\"}", kNow, cache.begin_read());
  EXPECT_EQ(cache.get("tok", kNow).value_or(""), "{\"status\":\"created\"}");
  EXPECT_TRUE(cache.get("tok", core::Timestamp{kNow.ms + 1999}));
  EXPECT_FALSE(cache.get("tok", core::Timestamp{kNow.ms + 2000}));
  EXPECT_FALSE(cache.get("other", kNow));
}

TEST(TrackViewCache, ACommitDropsEveryView) {
  TrackViewCache cache;
  cache.put("a", "1", kNow, cache.begin_read());
  cache.put("b", "2", kNow, cache.begin_read());
  cache.invalidate_all();
  EXPECT_FALSE(cache.get("a", kNow));
  EXPECT_FALSE(cache.get("b", kNow));
}

TEST(TrackViewCache, AReadThatRacedACommitIsNotStored) {
  TrackViewCache cache;
  const uint64_t generation = cache.begin_read();  // the reader starts reading the database
  cache.invalidate_all();                          // a writer commits meanwhile
  cache.put("tok", "stale", kNow, generation);     // the reader's view may predate the commit
  EXPECT_FALSE(cache.get("tok", kNow));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(TrackViewCache, StaysWithinItsSizeBound) {
  TrackViewCache cache(3, 2000);
  for (int i = 0; i < 10; ++i) cache.put(std::to_string(i), "x", kNow, cache.begin_read());
  EXPECT_LE(cache.size(), 3u);
  EXPECT_TRUE(cache.get("9", kNow));
}

}  // namespace
}  // namespace lastmile::api
