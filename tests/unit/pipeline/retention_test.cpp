// Retention: raw track points older than the configured days are deleted, newer ones kept.
#include "pipeline/retention.hpp"

#include <gtest/gtest.h>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using storage::testing::latlon;

class RetentionTest : public storage::testing::StoreTest {
 protected:
  void add_points_days_ago(std::initializer_list<int> days) {
    std::vector<ingest::Ping> pings;
    int i = 0;
    for (int d : days) {
      ingest::Ping p;
      p.driver_id = driver_.id;
      p.t = core::Timestamp{now_.ms - int64_t{d} * 86'400'000 + i};
      p.position = latlon(43.73 + 1e-4 * i++, 7.42);
      p.received_at = p.t;
      pings.push_back(p);
    }
    ASSERT_TRUE(store_->append_track_points(tenant_, driver_.id, pings).ok());
  }
  size_t points() {
    auto all = store_->list_track_points(tenant_, driver_.id, core::Timestamp{0}, core::Timestamp{now_.ms + 86'400'000}, 1000);
    return all.ok() ? all->size() : 0;
  }
  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = add_tenant();
    driver_ = add_driver(tenant_);
  }
  const core::Timestamp now_{1'795'000'000'000};
  core::ManualClock clock_{now_};
  core::TenantId tenant_;
  domain::Driver driver_;
};

TEST_F(RetentionTest, DeletesOnlyPointsOlderThanTheKeptDaysInChunks) {
  add_points_days_ago({100, 95, 91, 89, 10, 0});
  RetentionOptions o;
  o.keep_days = 90;
  o.chunk = 2;  // three points to go: two chunks
  o.interval = std::chrono::hours(24);
  Retention r(*store_, clock_, o);  // the background pass may run first; both passes together delete 3
  auto n = r.purge_once();
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(points(), 3u);
  EXPECT_EQ(*r.purge_once(), 0);
}

TEST_F(RetentionTest, ZeroDaysKeepsEverything) {
  add_points_days_ago({4000, 1});
  RetentionOptions o;
  o.keep_days = 0;
  Retention r(*store_, clock_, o);
  EXPECT_EQ(points(), 2u);
}

}  // namespace
}  // namespace lastmile::pipeline
