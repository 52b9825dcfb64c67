// OwnTracks over MQTT into a real pipeline and SQLite store: the topic names the device, a
// position is stored before it is acknowledged, and everything that is not worth resending —
// other message types, junk, unknown devices — is acknowledged and dropped.
#include "mqtt/owntracks_mqtt_ingest.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::mqtt {
namespace {

using storage::testing::kT0;

pipeline::PipelineOptions one_shard() {
  pipeline::PipelineOptions o;
  o.shards = 1;
  return o;
}

class OwnTracksMqttIngestTest : public ::testing::Test {
 protected:
  OwnTracksMqttIngestTest()
      : clock_(kT0),
        store_(storage::open_store("sqlite::memory:", {})),
        pipeline_(*store_, clock_, one_shard(), {}),
        directory_(*store_, clock_),
        ingest_(pipeline::TrackerIngest(pipeline_, directory_, counter(), OwnTracksMqttIngest::kProtocol),
                clock_) {
    // The tenant requires device secrets: MQTT devices are trusted anyway (the broker checked them).
    auto t = storage::testing::make_tenant("Tenant");
    EXPECT_TRUE(
        store_->create_tenant(t, storage::testing::make_credential(t.id, domain::Role::kTenantAdmin)).ok());
    driver_ = storage::testing::make_driver(t.id, "alice/phone");
    EXPECT_TRUE(store_->create_driver(driver_, storage::testing::device_token_for(driver_), nullptr).ok());
  }

  pipeline::CountFn counter() {
    return [this](std::string_view name, std::string_view, uint64_t n) {
      std::lock_guard lock(mu_);
      counts_[std::string(name)] += n;
    };
  }
  uint64_t count(const std::string& name) {
    std::lock_guard lock(mu_);
    return counts_[name];
  }

  size_t stored() {
    auto points = store_->list_track_points(driver_.tenant_id, driver_.id, core::Timestamp{0},
                                            core::Timestamp{kT0.ms + 1}, 100);
    EXPECT_TRUE(points.ok());
    return points.ok() ? points->size() : 0;
  }

  static std::string location(int seconds_before_t0, double lat = 43.7347) {
    return R"({"_type":"location","tid":"AP","tst":)" + std::to_string(kT0.ms / 1000 - seconds_before_t0) +
           R"(,"lat":)" + std::to_string(lat) + R"(,"lon":7.4215,"acc":12,"vel":36,"cog":90,"batt":77})";
  }

  std::mutex mu_;
  std::map<std::string, uint64_t> counts_;  // GUARDED_BY(mu_)
  core::ManualClock clock_;
  std::unique_ptr<storage::Store> store_;
  pipeline::IngestPipeline pipeline_;
  pipeline::DeviceDirectory directory_;
  OwnTracksMqttIngest ingest_;
  domain::Driver driver_;
};

TEST_F(OwnTracksMqttIngestTest, APositionIsStoredBeforeItIsAcknowledged) {
  EXPECT_EQ(ingest_.handle("owntracks/alice/phone", location(30)), Disposition::kAcknowledge);
  EXPECT_EQ(stored(), 1u);  // handle() returned: the point is durable
  auto latest = store_->latest_track_point(driver_.tenant_id, driver_.id);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->t.ms, kT0.ms - 30'000);
  ASSERT_TRUE((*latest)->speed_mps.has_value());
  EXPECT_NEAR(*(*latest)->speed_mps, 10.0, 1e-9);  // 36 km/h
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="owntracks_mqtt",result="accepted"})"), 1u);
}

TEST_F(OwnTracksMqttIngestTest, ARedeliveredPositionIsADuplicateNotASecondPoint) {
  EXPECT_EQ(ingest_.handle("owntracks/alice/phone", location(30)), Disposition::kAcknowledge);
  EXPECT_EQ(ingest_.handle("owntracks/alice/phone", location(30)), Disposition::kAcknowledge);
  EXPECT_EQ(stored(), 1u);
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="owntracks_mqtt",result="duplicate"})"), 1u);
}

TEST_F(OwnTracksMqttIngestTest, OtherMessageTypesAreAcknowledgedAndIgnored) {
  for (const char* payload : {R"({"_type":"lwt","tst":1})", R"({"_type":"transition","event":"enter"})",
                              R"({"_type":"encrypted","data":"abc"})"})
    EXPECT_EQ(ingest_.handle("owntracks/alice/phone", payload), Disposition::kAcknowledge) << payload;
  EXPECT_EQ(stored(), 0u);
  EXPECT_EQ(count(R"(lastmile_ingest_invalid_total{protocol="owntracks_mqtt"})"), 0u);
}

TEST_F(OwnTracksMqttIngestTest, JunkIsAcknowledgedCountedAndNotStored) {
  for (const char* payload : {"", "{", "not json", R"({"_type":"location","lat":"x","lon":7,"tst":1})",
                              R"({"_type":"location","lat":1e999,"lon":7,"tst":1})",
                              R"({"_type":"location","lon":7.4,"tst":1795000000})"})
    EXPECT_EQ(ingest_.handle("owntracks/alice/phone", payload), Disposition::kAcknowledge) << payload;
  for (const char* topic :
       {"owntracks/alice", "owntracks//phone", "owntracks/alice/", "elsewhere/alice/phone"})
    EXPECT_EQ(ingest_.handle(topic, location(30)), Disposition::kAcknowledge) << topic;
  EXPECT_EQ(stored(), 0u);
  EXPECT_EQ(count(R"(lastmile_ingest_invalid_total{protocol="owntracks_mqtt"})"), 10u);
}

TEST_F(OwnTracksMqttIngestTest, AnUnknownDeviceIsAcknowledgedCountedAndNotStored) {
  EXPECT_EQ(ingest_.handle("owntracks/mallory/phone", location(30)), Disposition::kAcknowledge);
  EXPECT_EQ(count(R"(lastmile_ingest_unknown_devices_total{protocol="owntracks_mqtt"})"), 1u);
  EXPECT_EQ(stored(), 0u);
}

TEST_F(OwnTracksMqttIngestTest, AFilteredPositionIsAcknowledgedAndCountedAsRejected) {
  EXPECT_EQ(ingest_.handle("owntracks/alice/phone", location(30, 95.0)), Disposition::kAcknowledge);
  EXPECT_EQ(count(R"(lastmile_pings_total{protocol="owntracks_mqtt",result="rejected"})"), 1u);
  EXPECT_EQ(stored(), 0u);
}

}  // namespace
}  // namespace lastmile::mqtt
