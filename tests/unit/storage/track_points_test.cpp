// Track points: durable GPS history, idempotent on (driver, time, position), scoped to the tenant.
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

class TrackPointsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = add_tenant();
    driver_ = add_driver(tenant_);
  }

  ingest::Ping ping(int64_t seconds, double lat, double lon) {
    ingest::Ping p;
    p.driver_id = driver_.id;
    p.t = at(seconds);
    p.position = latlon(lat, lon);
    p.speed_mps = 7.5;
    p.received_at = at(seconds + 1);
    return p;
  }

  core::TenantId tenant_;
  domain::Driver driver_;
};

TEST_F(TrackPointsTest, StoresPointsAndReadsThemBackInTimeOrder) {
  auto n = store_->append_track_points(tenant_, driver_.id, {ping(20, 43.7390, 7.4251), ping(10, 43.7384, 7.4246)});
  ASSERT_OK(n);
  EXPECT_EQ(*n, 2);
  auto points = store_->list_track_points(tenant_, driver_.id, at(0), at(100), 1000);
  ASSERT_OK(points);
  ASSERT_EQ(points->size(), 2u);
  EXPECT_EQ((*points)[0].t, at(10));
  EXPECT_NEAR((*points)[1].position.lat(), 43.7390, 1e-7);
  EXPECT_EQ((*points)[1].speed_mps, 7.5);
  EXPECT_EQ((*points)[1].received_at, at(21));
}

TEST_F(TrackPointsTest, AResentPointIsNotStoredTwice) {
  ASSERT_OK(store_->append_track_points(tenant_, driver_.id, {ping(10, 43.7384, 7.4246)}));
  auto again = store_->append_track_points(tenant_, driver_.id, {ping(10, 43.7384, 7.4246), ping(11, 43.7385, 7.4247)});
  ASSERT_OK(again);
  EXPECT_EQ(*again, 1);
  EXPECT_EQ(store_->list_track_points(tenant_, driver_.id, at(0), at(100), 1000)->size(), 2u);
}

TEST_F(TrackPointsTest, LatestIsTheNewestFixNotTheLastWritten) {
  EXPECT_FALSE(*store_->latest_track_point(tenant_, driver_.id));
  ASSERT_OK(store_->append_track_points(tenant_, driver_.id, {ping(30, 43.7396, 7.4257)}));
  ASSERT_OK(store_->append_track_points(tenant_, driver_.id, {ping(20, 43.7390, 7.4251)}));  // late
  auto latest = store_->latest_track_point(tenant_, driver_.id);
  ASSERT_OK(latest);
  ASSERT_TRUE(*latest);
  EXPECT_EQ((*latest)->t, at(30));
}

TEST_F(TrackPointsTest, TheRangeIsHalfOpenAndLimited) {
  ASSERT_OK(store_->append_track_points(tenant_, driver_.id,
                                        {ping(10, 43.70, 7.40), ping(20, 43.71, 7.41), ping(30, 43.72, 7.42)}));
  EXPECT_EQ(store_->list_track_points(tenant_, driver_.id, at(10), at(30), 1000)->size(), 2u);
  EXPECT_EQ(store_->list_track_points(tenant_, driver_.id, at(0), at(100), 1)->size(), 1u);
}

TEST_F(TrackPointsTest, ABatchOverlappingStoredChunksStoresOnlyTheNewFixes) {
  // Two batches written, then a re-sent mix of both with late and new fixes in between.
  ASSERT_EQ(*store_->append_track_points(tenant_, driver_.id, {ping(10, 43.70, 7.40), ping(20, 43.71, 7.41)}), 2);
  ASSERT_EQ(*store_->append_track_points(tenant_, driver_.id, {ping(30, 43.72, 7.42), ping(40, 43.73, 7.43)}), 2);
  auto n = store_->append_track_points(
      tenant_, driver_.id,
      {ping(40, 43.73, 7.43), ping(15, 43.705, 7.405), ping(20, 43.71, 7.41), ping(20, 43.7101, 7.41), ping(50, 43.74, 7.44)});
  ASSERT_OK(n);
  EXPECT_EQ(*n, 3) << "15 s, 50 s and the other place at 20 s";
  auto points = store_->list_track_points(tenant_, driver_.id, at(0), at(100), 1000);
  ASSERT_OK(points);
  std::vector<int64_t> times;
  for (const auto& p : *points) times.push_back((p.t.ms - at(0).ms) / 1000);
  EXPECT_EQ(times, (std::vector<int64_t>{10, 15, 20, 20, 30, 40, 50}));
  EXPECT_EQ((*store_->latest_track_point(tenant_, driver_.id))->t, at(50));
}

TEST_F(TrackPointsTest, ABatchSpanningHoursIsStoredAndReadBackByRange) {
  // A phone that was offline all morning sends its queue: one fix every 10 minutes for 5 hours.
  std::vector<ingest::Ping> queue;
  for (int i = 0; i < 30; ++i) queue.push_back(ping(i * 600, 43.70 + i * 1e-4, 7.40));
  ASSERT_EQ(*store_->append_track_points(tenant_, driver_.id, queue), 30);
  auto hour3 = store_->list_track_points(tenant_, driver_.id, at(3 * 3600), at(4 * 3600), 1000);
  ASSERT_OK(hour3);
  ASSERT_EQ(hour3->size(), 6u);
  EXPECT_EQ(hour3->front().t, at(3 * 3600));
  EXPECT_EQ(hour3->back().t, at(3 * 3600 + 3000));
  EXPECT_EQ(*store_->append_track_points(tenant_, driver_.id, queue), 0) << "re-sent after a lost reply";
}

TEST_F(TrackPointsTest, RetentionCutsThroughABatchAndKeepsItsNewerFixes) {
  std::vector<ingest::Ping> batch;
  for (int i = 0; i < 6; ++i) batch.push_back(ping(i * 60, 43.70 + i * 1e-4, 7.40));
  ASSERT_EQ(*store_->append_track_points(tenant_, driver_.id, batch), 6);
  EXPECT_EQ(*store_->delete_track_points_before(at(150), 100), 3);
  auto left = store_->list_track_points(tenant_, driver_.id, at(0), at(3600), 100);
  ASSERT_OK(left);
  ASSERT_EQ(left->size(), 3u);
  EXPECT_EQ(left->front().t, at(180));
  EXPECT_EQ(left->front().speed_mps, 7.5);
  EXPECT_EQ(*store_->append_track_points(tenant_, driver_.id, batch), 3) << "the purged fixes are gone for good";
}

TEST_F(TrackPointsTest, AnotherTenantsDriverIsNotFoundAndNothingIsWritten) {
  auto other = add_tenant();
  EXPECT_TRUE(fails_with(store_->append_track_points(other, driver_.id, {ping(10, 43.7, 7.4)}), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->list_track_points(other, driver_.id, at(0), at(100), 10), ErrorCode::kNotFound));
  EXPECT_FALSE(*store_->latest_track_point(tenant_, driver_.id));
  auto none = store_->latest_track_point(other, driver_.id);
  ASSERT_OK(none);
  EXPECT_FALSE(*none);
}

}  // namespace
}  // namespace lastmile::storage::testing
