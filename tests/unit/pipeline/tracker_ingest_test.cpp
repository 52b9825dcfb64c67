// The common tail of the tracker adapters, with a real store and pipeline: a known device's ping is
// stored and counted; an unknown or unproven device's is counted and never stored.
#include "pipeline/tracker_ingest.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/crypto.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using core::ErrorCode;
using storage::testing::fails_with;
using storage::testing::kT0;

PipelineOptions one_shard() {
  PipelineOptions o;
  o.shards = 1;
  return o;
}

class TrackerIngestTest : public ::testing::Test {
 protected:
  TrackerIngestTest()
      : clock_(kT0),
        store_(storage::open_store("sqlite::memory:", {})),
        pipeline_(*store_, clock_, one_shard(), {}),
        directory_(*store_, clock_),
        ingest_(pipeline_, directory_, counter(), "osmand") {}

  CountFn counter() {
    return [this](std::string_view name, std::string_view help, uint64_t n) {
      EXPECT_FALSE(help.empty()) << name;
      std::lock_guard lock(mu_);
      counts_[std::string(name)] += n;
    };
  }

  uint64_t count(const std::string& name) {
    std::lock_guard lock(mu_);
    return counts_[name];
  }

  // A driver reporting as `device_id` in a tenant with or without the device-secret rule.
  domain::Driver add_driver(const std::string& device_id, bool require_secret, std::string* token = nullptr) {
    auto t = storage::testing::make_tenant("Tenant " + core::random_alnum(8));
    t.require_device_secret = require_secret;
    EXPECT_TRUE(
        store_->create_tenant(t, storage::testing::make_credential(t.id, domain::Role::kTenantAdmin)).ok());
    auto d = storage::testing::make_driver(t.id, device_id);
    auto cred = storage::testing::device_token_for(d);
    const std::string secret = "lmd_" + cred.prefix + "_" + core::random_token(32);
    cred.secret_hash = core::sha256_hex(secret);
    EXPECT_TRUE(store_->create_driver(d, cred, nullptr).ok());
    if (token) *token = secret;
    return d;
  }

  static ingest::UnsafePing ping(std::string device_id, double lat = 43.7347, double lon = 7.4215) {
    ingest::UnsafePing p;
    p.device_id = std::move(device_id);
    p.t = core::Timestamp{kT0.ms - 10'000};
    p.position = {lat, lon};
    p.accuracy_m = 5;
    return p;
  }

  size_t stored(const domain::Driver& d) {
    auto points =
        store_->list_track_points(d.tenant_id, d.id, core::Timestamp{0}, core::Timestamp{kT0.ms + 1}, 100);
    EXPECT_TRUE(points.ok());
    return points.ok() ? points->size() : 0;
  }

  std::mutex mu_;
  std::map<std::string, uint64_t> counts_;  // GUARDED_BY(mu_)
  core::ManualClock clock_;
  std::unique_ptr<storage::Store> store_;
  IngestPipeline pipeline_;
  DeviceDirectory directory_;
  TrackerIngest ingest_;
};

TEST_F(TrackerIngestTest, AKnownDevicesPingIsStoredAndCountedAsAccepted) {
  std::string token;
  auto d = add_driver("4711", true, &token);
  auto outcome = ingest_.submit(ping("4711"), token, clock_.now());
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->accepted, 1);
  EXPECT_EQ(stored(d), 1u);
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="osmand",result="accepted"})"), 1u);
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="osmand",result="rejected"})"), 0u);
}

TEST_F(TrackerIngestTest, ARepeatedPingIsADuplicateAndAnImplausibleOneIsRejected) {
  auto d = add_driver("4711", false);
  ASSERT_TRUE(ingest_.submit(ping("4711"), "", clock_.now()).ok());
  auto again = ingest_.submit(ping("4711"), "", clock_.now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->duplicates, 1);
  auto bad = ingest_.submit(ping("4711", 95.0, 7.0), "", clock_.now());
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->rejected.size(), 1u);
  EXPECT_EQ(stored(d), 1u);
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="osmand",result="duplicate"})"), 1u);
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="osmand",result="rejected"})"), 1u);
}

TEST_F(TrackerIngestTest, AnUnknownDeviceIsCountedAndNothingIsStored) {
  auto d = add_driver("4711", false);
  EXPECT_TRUE(fails_with(ingest_.submit(ping("4712"), "", clock_.now()), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(ingest_.submit_trusted(ping("4712"), clock_.now()), ErrorCode::kNotFound));
  EXPECT_EQ(count(R"(lastmile_ingest_unknown_devices_total{protocol="osmand"})"), 2u);
  EXPECT_EQ(stored(d), 0u);
}

TEST_F(TrackerIngestTest, AMissingOrWrongSecretIsCountedAndNothingIsStored) {
  std::string token;
  auto d = add_driver("4711", true, &token);
  EXPECT_TRUE(fails_with(ingest_.submit(ping("4711"), "", clock_.now()), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(
      fails_with(ingest_.submit(ping("4711"), token + "x", clock_.now()), ErrorCode::kUnauthenticated));
  EXPECT_EQ(count(R"(lastmile_ingest_unauthenticated_total{protocol="osmand"})"), 2u);
  EXPECT_EQ(stored(d), 0u);
}

TEST_F(TrackerIngestTest, ATrustedTransportNeedsNoSecret) {
  auto d = add_driver("alice/phone", true);
  TrackerIngest mqtt(pipeline_, directory_, counter(), "owntracks_mqtt");
  auto outcome = mqtt.submit_trusted(ping("alice/phone"), clock_.now());
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(stored(d), 1u);
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="owntracks_mqtt",result="accepted"})"), 1u);
}

TEST_F(TrackerIngestTest, UndecodableMessagesAreCounted) {
  ingest_.count_invalid();
  ingest_.count_invalid();
  EXPECT_EQ(count(R"(lastmile_ingest_invalid_total{protocol="osmand"})"), 2u);
}

TEST(CountOutcome, CountsEveryResultOfABatch) {
  std::map<std::string, uint64_t> counts;
  IngestOutcome o;
  o.accepted = 3;
  o.late = 2;
  o.duplicates = 1;
  o.rejected = {Rejection{}, Rejection{}};
  count_outcome([&](std::string_view name, std::string_view, uint64_t n) { counts[std::string(name)] += n; },
                "json_batch", o);
  EXPECT_EQ(counts[R"(lastmile_pings_total{protocol="json_batch",result="accepted"})"], 3u);
  EXPECT_EQ(counts[R"(lastmile_pings_total{protocol="json_batch",result="late"})"], 2u);
  EXPECT_EQ(counts[R"(lastmile_pings_total{protocol="json_batch",result="duplicate"})"], 1u);
  EXPECT_EQ(counts[R"(lastmile_pings_total{protocol="json_batch",result="rejected"})"], 2u);
  count_outcome({}, "json_batch", o);  // no counter: nothing happens
}

}  // namespace
}  // namespace lastmile::pipeline
