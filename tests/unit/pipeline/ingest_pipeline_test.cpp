// The live-location pipeline end to end on a real SQLite store: filter → durable write →
// geofence → route progress → live updates, and the periodic activity checks.
#include "pipeline/ingest_pipeline.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "storage/settings_store.hpp"
#include "unit/pipeline/pipeline_test_support.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using domain::Milestone;
using storage::testing::at;
using storage::testing::latlon;
using storage::testing::make_event;

using testing::fix;

class IngestPipelineTest : public storage::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    clock_.set(at(0));
    tenant_ = add_tenant();
    driver_ = add_driver(tenant_);
    device_ = {tenant_, driver_.id};
  }

  void make_pipeline(PipelineOptions o = {}) {
    o.shards = 2;
    pipeline_ = std::make_unique<IngestPipeline>(*store_, clock_, o, [this](const LiveUpdate& u) {
      std::lock_guard lock(mu_);
      live_.push_back(u);
    });
  }

  // A shipped shipment at a stop 43.7384 N 7.4246 E, on a started route from the depot 43.7350 N 7.4210 E.
  void start_route() {
    shipment_ = add_shipment(tenant_);
    for (auto [from, to] : {std::pair{Milestone::kCreated, Milestone::kProcessed},
                            std::pair{Milestone::kProcessed, Milestone::kShipped}})
      ASSERT_TRUE(store_->append_event(make_event(shipment_, to), from).ok());
    auto r = storage::testing::make_route(tenant_, driver_.id, {{shipment_.id}});
    r.stops[0].location = shipment_.address.location;
    ASSERT_TRUE(store_->create_route(r, nullptr).ok());
    ASSERT_TRUE(store_->start_route(tenant_, r.id, at(0), {}).ok());
    route_ = r;
    pipeline_->route_changed(device_);
  }

  // A pipeline checking activity every 20 ms with a one-minute offline threshold, a started route,
  // one fix at the depot, then five minutes of silence on the clock.
  void fall_silent() {
    PipelineOptions o;
    o.activity_check_ms = 20;
    o.activity.offline_after_ms = 60'000;
    make_pipeline(o);
    start_route();
    submit({fix(at(1), 43.7350, 7.4210)});
    // The ping reaches the route tracker after its commit, on the shard: let it get there before the
    // clock jumps, or a tick may see the device silent first and the 5-minute-old ping then end that
    // episode and start a second one (a sanitizer run saw two offline exceptions).
    pipeline_->drain();
    clock_.set(at(5 * 60));
  }

  IngestOutcome submit(std::vector<ingest::UnsafePing> pings) {
    auto r = pipeline_->submit(device_, pings, clock_.now());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : IngestOutcome{};
  }

  std::vector<std::string> event_types() {
    std::vector<std::string> types;
    auto events = store_->list_events(tenant_, shipment_.id);
    if (!events.ok()) return types;
    for (const auto& e : events.value()) types.push_back(e.type);
    return types;
  }

  Milestone status() { return store_->get_shipment(tenant_, shipment_.id)->status; }

  std::vector<LiveUpdate> live() {
    std::lock_guard lock(mu_);
    return live_;
  }

  core::ManualClock clock_{core::Timestamp{0}};
  core::TenantId tenant_;
  domain::Driver driver_;
  Device device_;
  domain::Shipment shipment_;
  domain::Route route_;
  std::mutex mu_;
  std::vector<LiveUpdate> live_;  // GUARDED_BY(mu_)
  std::unique_ptr<IngestPipeline> pipeline_;
};

TEST_F(IngestPipelineTest, StoresAcceptedAndLatePointsAndSaysWhatHappenedToEach) {
  make_pipeline();
  auto o = submit({fix(at(-60), 43.7350, 7.4210), fix(at(-30), 43.7352, 7.4212), fix(at(-45), 43.7351, 7.4211),
                   fix(at(-30), 43.7352, 7.4212), fix(at(-20), 91, 7.42)});
  EXPECT_EQ(o.received, 5u);
  EXPECT_EQ(o.accepted, 2);
  EXPECT_EQ(o.late, 1);
  EXPECT_EQ(o.duplicates, 1);
  ASSERT_EQ(o.rejected.size(), 1u);
  EXPECT_EQ(o.rejected[0].index, 4u);
  EXPECT_EQ(o.rejected[0].reason, tracking::RejectReason::kBadCoordinates);
  EXPECT_EQ(o.stored, 3);
  EXPECT_EQ(store_->list_track_points(tenant_, driver_.id, at(-3600), at(3600), 100)->size(), 3u);
  auto again = submit({fix(at(-60), 43.7350, 7.4210)});
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_EQ(again.stored, 0);
}

TEST_F(IngestPipelineTest, AFailedWriteIsForgottenSoTheRetryIsStored) {
  make_pipeline();
  const Device wrong{add_tenant(), driver_.id};  // the driver is not that tenant's: the write fails
  auto failed = pipeline_->submit(wrong, {fix(at(-10), 43.7350, 7.4210)}, clock_.now());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::kNotFound);
  auto retry = submit({fix(at(-10), 43.7350, 7.4210)});
  EXPECT_EQ(retry.duplicates, 0) << "the failed batch must not count as seen";
  EXPECT_EQ(retry.stored, 1);
}

TEST_F(IngestPipelineTest, EveryAcceptedBatchPublishesTheNewestPositionToStaffOnly) {
  make_pipeline();
  submit({fix(at(-10), 43.7350, 7.4210), fix(at(-5), 43.7351, 7.4211)});
  pipeline_->drain();
  auto updates = live();
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].kind, LiveUpdate::Kind::kPosition);
  EXPECT_NE(updates[0].staff_json.find("43.7351"), std::string::npos);
  EXPECT_TRUE(updates[0].public_audience.empty()) << "no route: no customer may see it";
  EXPECT_TRUE(updates[0].public_json.empty());
}

TEST_F(IngestPipelineTest, LeavingTheDepotSendsTheShipmentOutAndArrivingAtTheStopRecordsTheVisit) {
  make_pipeline();
  start_route();
  submit({fix(at(1), 43.7350, 7.4210), fix(at(20), 43.7360, 7.4222)});  // depot, then ~140 m away
  pipeline_->drain();
  EXPECT_EQ(status(), Milestone::kArriving) << "out for delivery, and its stop is the next";
  auto positions = live();
  ASSERT_FALSE(positions.empty());
  const auto& last_position = positions.front();
  ASSERT_EQ(last_position.kind, LiveUpdate::Kind::kPosition);

  // At the stop for longer than the dwell time, then gone.
  std::vector<ingest::UnsafePing> stay;
  for (int s = 60; s <= 120; s += 10) stay.push_back(fix(at(s), 43.7384, 7.4246));
  submit(stay);
  pipeline_->drain();
  auto route = store_->get_route(tenant_, route_.id);
  EXPECT_EQ(route->stops[0].arrived_at, at(60)) << "the first fix of the stay";
  EXPECT_EQ(route->stops[0].status, domain::StopStatus::kArrived);
  submit({fix(at(180), 43.7410, 7.4280)});
  pipeline_->drain();
  route = store_->get_route(tenant_, route_.id);
  EXPECT_EQ(route->stops[0].departed_at, at(180));

  EXPECT_EQ(event_types(), (std::vector<std::string>{"created", "processed", "shipped", "out_for_delivery", "arriving",
                                             "driver_arrived", "driver_departed"}));
  int stop_updates = 0;
  for (const auto& u : live()) stop_updates += u.kind == LiveUpdate::Kind::kStop;
  EXPECT_EQ(stop_updates, 3) << "depot departure, stop arrival, stop departure";
}

TEST_F(IngestPipelineTest, TheCustomerOfTheNextStopMaySeeThePositionOthersNot) {
  make_pipeline();
  start_route();
  submit({fix(at(1), 43.7350, 7.4210)});
  pipeline_->drain();
  ASSERT_FALSE(live().empty());
  EXPECT_TRUE(live().back().public_audience.empty()) << "still shipped: before out_for_delivery";
  submit({fix(at(20), 43.7360, 7.4222)});
  pipeline_->drain();
  const auto updates = live();
  const LiveUpdate* position = nullptr;
  for (const auto& u : updates)
    if (u.kind == LiveUpdate::Kind::kPosition) position = &u;
  ASSERT_NE(position, nullptr);
  std::vector<core::ShipmentId> audience = position->public_audience;
  ASSERT_EQ(audience.size(), 1u);
  EXPECT_EQ(audience[0], shipment_.id);
  EXPECT_EQ(position->public_json.find(driver_.id.str()), std::string::npos) << "no driver id for customers";
}

TEST_F(IngestPipelineTest, ADeviceSilentWhileTheRouteIsActiveRaisesOneOfflineException) {
  fall_silent();
  auto offline_updates = [&] {
    int n = 0;
    for (const auto& u : live()) n += u.kind == LiveUpdate::Kind::kException;
    return n;
  };
  for (int i = 0; i < 200 && offline_updates() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // more ticks: still one episode
  pipeline_->drain();
  EXPECT_EQ(offline_updates(), 1);
  EXPECT_EQ(event_types().back(), "device_offline");
}

TEST_F(IngestPipelineTest, TheDeviceComingBackEndsTheOfflineEpisodeWithAnEvent) {
  fall_silent();
  for (int i = 0; i < 200 && (event_types().empty() || event_types().back() != "device_offline"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(event_types().back(), "device_offline");
  submit({fix(at(5 * 60), 43.7351, 7.4211)});  // back in coverage
  pipeline_->drain();
  EXPECT_EQ(event_types().back(), "device_offline_cleared");
}

// A tenant's settings document (docs/settings.md) changed while its driver is followed: after
// tenant_changed() the route view uses the new values at once.
class TenantSettingsInThePipelineTest : public IngestPipelineTest {
 protected:
  void change(const std::function<void(domain::Tenant&)>& edit) {
    auto* settings = store_->settings();
    ASSERT_NE(settings, nullptr);
    auto next = settings->get_tenant_settings(tenant_);
    ASSERT_TRUE(next.ok());
    edit(next->tenant);
    storage::SettingsAuditEntry audit{0, 0, clock_.now(), "key", "admin", "tenant/settings", "[]"};
    ASSERT_TRUE(settings->put_tenant_settings(tenant_, *next, next->version, audit).ok());
    pipeline_->tenant_changed(tenant_);
  }
};

TEST_F(TenantSettingsInThePipelineTest, ALongerDwellDelaysTheArrival) {
  make_pipeline();
  start_route();
  submit({fix(at(1), 43.7350, 7.4210), fix(at(20), 43.7360, 7.4222)});
  change([](domain::Tenant& t) { t.geofence_dwell_s = 300; });
  std::vector<ingest::UnsafePing> stay;
  for (int s = 60; s <= 120; s += 10) stay.push_back(fix(at(s), 43.7384, 7.4246));
  submit(stay);  // a minute at the stop: an arrival with the default 20 s dwell, not with 300 s
  pipeline_->drain();
  EXPECT_FALSE(store_->get_route(tenant_, route_.id)->stops[0].arrived_at);
  clock_.set(at(400));  // the filter refuses fixes from the future
  submit({fix(at(300), 43.7384, 7.4246), fix(at(370), 43.7384, 7.4246)});
  pipeline_->drain();
  EXPECT_EQ(store_->get_route(tenant_, route_.id)->stops[0].arrived_at, at(60));
}

TEST_F(TenantSettingsInThePipelineTest, WithoutTheArrivingMilestoneTheShipmentStaysOutForDelivery) {
  make_pipeline();
  start_route();
  change([](domain::Tenant& t) { t.arriving_milestone = false; });
  submit({fix(at(1), 43.7350, 7.4210), fix(at(20), 43.7360, 7.4222)});  // depot, then ~140 m away
  pipeline_->drain();
  EXPECT_EQ(status(), Milestone::kOutForDelivery) << "not arriving: the tenant turned it off";
}

TEST_F(TenantSettingsInThePipelineTest, AShorterOfflineThresholdRaisesDeviceOfflineSooner) {
  PipelineOptions o;
  o.activity_check_ms = 20;  // the server's threshold stays at 10 minutes
  make_pipeline(o);
  start_route();
  submit({fix(at(1), 43.7350, 7.4210)});
  change([](domain::Tenant& t) { t.device_offline_minutes = 1; });
  clock_.set(at(5 * 60));  // five minutes of silence
  for (int i = 0; i < 200 && (event_types().empty() || event_types().back() != "device_offline"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(event_types().back(), "device_offline");
}

}  // namespace
}  // namespace lastmile::pipeline
