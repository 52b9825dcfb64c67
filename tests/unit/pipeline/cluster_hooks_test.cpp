// The pipeline's hooks for cluster mode (docs/cluster.md): the forwarder that takes submitted
// batches instead of the local path, process_async (the local path itself), and reset_driver (a
// takeover's state rebuilt from the newest stored point, or dropped).
#include <gtest/gtest.h>

#include <future>

#include "pipeline/ingest_pipeline.hpp"
#include "unit/pipeline/pipeline_test_support.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using storage::testing::at;

using testing::fix;

class ClusterHooksTest : public storage::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    clock_.set(at(0));
    tenant_ = add_tenant();
    driver_ = add_driver(tenant_);
    device_ = {tenant_, driver_.id};
    PipelineOptions o;
    o.shards = 2;
    pipeline_ = std::make_unique<IngestPipeline>(*store_, clock_, o, nullptr);
  }

  IngestOutcome process(std::vector<ingest::UnsafePing> pings) {
    std::promise<core::Result<IngestOutcome>> done;
    auto result = done.get_future();
    pipeline_->process_async(device_, std::move(pings), clock_.now(),
                             [&done](core::Result<IngestOutcome> r) { done.set_value(std::move(r)); });
    auto r = result.get();
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : IngestOutcome{};
  }

  size_t stored() { return store_->list_track_points(tenant_, driver_.id, at(-3600), at(3600), 100)->size(); }

  core::ManualClock clock_{core::Timestamp{0}};
  core::TenantId tenant_;
  domain::Driver driver_;
  Device device_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

TEST_F(ClusterHooksTest, AForwarderTakesEverySubmittedBatchInsteadOfTheLocalPath) {
  std::vector<ingest::UnsafePing> forwarded;
  pipeline_->set_forwarder([&forwarded](const Device&, std::vector<ingest::UnsafePing> pings, core::Timestamp,
                                        IngestPipeline::SubmitDone done) {
    forwarded = pings;
    IngestOutcome o;
    o.received = pings.size();
    o.accepted = static_cast<int>(pings.size());
    done(o);
  });
  auto r = pipeline_->submit(device_, {fix(at(-10), 43.7350, 7.4210)}, clock_.now());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted, 1);
  EXPECT_EQ(forwarded.size(), 1u);
  EXPECT_EQ(stored(), 0u);  // the local path did not run
  EXPECT_EQ(process(forwarded).stored, 1);  // the shard owner's call
  EXPECT_EQ(stored(), 1u);
}

TEST_F(ClusterHooksTest, ResetWithTheNewestStoredPointContinuesFromIt) {
  process({fix(at(-60), 43.7350, 7.4210)});
  auto newest = store_->latest_track_point(tenant_, driver_.id);
  ASSERT_TRUE(newest.ok() && newest->has_value());
  // A fresh owner (its state dropped) seeded with the newest stored point.
  pipeline_->reset_driver(driver_.id, std::nullopt);
  pipeline_->reset_driver(driver_.id, **newest);
  auto again = process({fix(at(-60), 43.7350, 7.4210)});  // a redelivered batch
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_EQ(again.stored, 0);
  auto older = process({fix(at(-90), 43.7349, 7.4209)});
  EXPECT_EQ(older.late, 1);  // the live position does not go back
  auto newer = process({fix(at(-30), 43.7352, 7.4212)});
  EXPECT_EQ(newer.accepted, 1);
}

TEST_F(ClusterHooksTest, ResetWithoutAPointForgetsTheDriver) {
  process({fix(at(-60), 43.7350, 7.4210)});
  pipeline_->reset_driver(driver_.id, std::nullopt);
  auto older = process({fix(at(-90), 43.7349, 7.4209)});
  EXPECT_EQ(older.accepted, 1);  // no live position any more: the older fix is the first one
  EXPECT_EQ(stored(), 2u);
}

}  // namespace
}  // namespace lastmile::pipeline
