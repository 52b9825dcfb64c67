// Per-tenant retention (docs/privacy.md): a tenant's photo days expire its old proof images and
// delete their files once no proof refers to them; other tenants keep theirs; chains still verify.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/crypto.hpp"
#include "pipeline/retention.hpp"
#include "storage/chat_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using storage::testing::is_ok;

constexpr int64_t kDay = 86'400'000;

class PhotoRetentionTest : public storage::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("lastmile-retention-" + core::random_alnum(8));
    blobs_ = std::make_unique<storage::BlobStore>(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  domain::Shipment delivered(const core::TenantId& t, const std::string& bytes, int days_ago) {
    auto s = add_shipment(t);
    auto sha = blobs_->put(bytes);
    EXPECT_TRUE(is_ok(sha));
    storage::ProofWrite w;
    w.event = storage::testing::make_event(s, domain::Milestone::kDelivered, core::Timestamp{now_.ms - days_ago * kDay});
    w.event.payload_json = R"({"proof":{"photos":[{"sha256":")" + *sha + R"("}]}})";
    w.expected_status = domain::Milestone::kCreated;
    w.kind = "delivery";
    w.blobs.push_back({"photo", storage::BlobRecord{*sha, "image/jpeg", 3, 1, 1, {}}});
    EXPECT_TRUE(is_ok(store_->record_proof(w, nullptr)));
    return s;
  }

  RetentionOptions retention_options() {
    RetentionOptions o;
    o.keep_days = 0;
    o.interval = std::chrono::hours(24);  // the background pass runs once at start; run_once is ours
    o.blob_idle = std::chrono::seconds(0);
    o.blobs = blobs_.get();
    return o;
  }

  const core::Timestamp now_{1'795'000'000'000};
  core::ManualClock clock_{now_};
  std::filesystem::path dir_;
  std::unique_ptr<storage::BlobStore> blobs_;
};

TEST_F(PhotoRetentionTest, ATenantsPhotoDaysExpireItsOldImagesOnly) {
  auto strict = add_tenant();
  auto lenient = add_tenant();
  ASSERT_TRUE(is_ok(store_->privacy()->put_retention(strict, storage::RetentionSettings{std::nullopt, 1, std::nullopt, {}}, now_)));
  auto old_strict = delivered(strict, "old photo", 2);
  auto new_strict = delivered(strict, "new photo", 0);
  auto old_lenient = delivered(lenient, "lenient photo", 400);
  const std::string old_sha = core::sha256_hex("old photo");

  Retention r(*store_, clock_, retention_options());
  auto report = r.run_once();  // after the background pass, which may already have done the work
  ASSERT_TRUE(is_ok(report));
  EXPECT_FALSE(std::filesystem::exists(*blobs_->path_of(old_sha)));
  EXPECT_TRUE(std::filesystem::exists(*blobs_->path_of(core::sha256_hex("new photo"))));
  EXPECT_TRUE(std::filesystem::exists(*blobs_->path_of(core::sha256_hex("lenient photo"))));
  auto expired = store_->privacy()->expired_blobs(strict, old_strict.id);
  ASSERT_TRUE(is_ok(expired));
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].reason, "retention");
  for (const auto& s : {old_strict, new_strict, old_lenient}) {
    auto v = store_->verify_shipment(s.tenant_id, s.id);
    ASSERT_TRUE(is_ok(v));
    EXPECT_TRUE(v->problems.empty());
  }
  auto again = r.run_once();
  ASSERT_TRUE(is_ok(again));
  EXPECT_EQ(again->photos_expired, 0);
  EXPECT_EQ(again->blobs_removed, 0);
}

TEST_F(PhotoRetentionTest, ASharedBlobStaysWhileAnotherTenantsProofUsesIt) {
  auto strict = add_tenant();
  auto lenient = add_tenant();
  ASSERT_TRUE(is_ok(store_->privacy()->put_retention(strict, storage::RetentionSettings{std::nullopt, 1, std::nullopt, {}}, now_)));
  delivered(strict, "same photo", 5);
  delivered(lenient, "same photo", 5);
  Retention r(*store_, clock_, retention_options());
  ASSERT_TRUE(is_ok(r.run_once()));
  EXPECT_TRUE(std::filesystem::exists(*blobs_->path_of(core::sha256_hex("same photo"))));
}

TEST_F(PhotoRetentionTest, ARecentlyWrittenFileWaitsForTheIdleTime) {
  auto strict = add_tenant();
  ASSERT_TRUE(is_ok(store_->privacy()->put_retention(strict, storage::RetentionSettings{std::nullopt, 1, std::nullopt, {}}, now_)));
  delivered(strict, "fresh bytes", 5);
  auto o = retention_options();
  o.blob_idle = std::chrono::hours(1);  // the file was written a moment ago (wall time)
  Retention r(*store_, clock_, o);
  auto report = r.run_once();
  ASSERT_TRUE(is_ok(report));
  EXPECT_EQ(report->blobs_removed, 0);
  EXPECT_TRUE(std::filesystem::exists(*blobs_->path_of(core::sha256_hex("fresh bytes"))));
  EXPECT_EQ(store_->privacy()->unreferenced_expired_blobs(10)->size(), 1u);  // still to do
}

// Track points and chat texts follow each tenant's own days too (the server default otherwise).
TEST_F(PhotoRetentionTest, TrackAndChatDaysArePerTenant) {
  auto strict = add_tenant();
  auto lenient = add_tenant();
  ASSERT_TRUE(is_ok(store_->privacy()->put_retention(strict, storage::RetentionSettings{7, std::nullopt, 1, {}}, now_)));
  auto add_points = [&](const core::TenantId& t) {
    auto d = add_driver(t);
    std::vector<ingest::Ping> pings;
    for (int days : {30, 10, 0}) {
      ingest::Ping p;
      p.driver_id = d.id;
      p.t = p.received_at = core::Timestamp{now_.ms - days * kDay - 1000};
      p.position = storage::testing::latlon(43.73 + 1e-3 * days, 7.42);
      pings.push_back(p);
    }
    EXPECT_TRUE(is_ok(store_->append_track_points(t, d.id, pings)));
    return d;
  };
  auto strict_driver = add_points(strict);
  auto lenient_driver = add_points(lenient);
  auto add_message = [&](const core::TenantId& t) {
    auto s = add_shipment(t);
    storage::ChatMessageDraft m;
    m.author_label = "Customer";
    m.body = "door code 1234";
    m.at = core::Timestamp{now_.ms - 3 * kDay};
    EXPECT_TRUE(is_ok(store_->chat()->add_chat_message(t, s.id, m)));
    return s;
  };
  auto strict_chat = add_message(strict);
  auto lenient_chat = add_message(lenient);

  auto o = retention_options();
  o.keep_days = 20;  // the default for the lenient tenant
  Retention r(*store_, clock_, o);
  ASSERT_TRUE(is_ok(r.run_once()));
  auto points = [&](const core::TenantId& t, const domain::Driver& d) {
    auto all = store_->list_track_points(t, d.id, core::Timestamp{0}, core::Timestamp{now_.ms + kDay}, 100);
    return all ? all->size() : 0u;
  };
  EXPECT_EQ(points(strict, strict_driver), 1u);    // 7 days: only today's point
  EXPECT_EQ(points(lenient, lenient_driver), 2u);  // default 20 days
  EXPECT_EQ(store_->chat()->list_chat_messages(strict, strict_chat.id, 0, 10)->at(0).body, "[expired]");
  EXPECT_EQ(store_->chat()->list_chat_messages(lenient, lenient_chat.id, 0, 10)->at(0).body, "door code 1234");
}

}  // namespace
}  // namespace lastmile::pipeline
