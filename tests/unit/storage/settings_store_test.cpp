// The tenant settings document in the store (storage/settings_store.hpp, docs/settings.md): one
// version over the tenant row, the notification settings and the retention, compare-and-set on it,
// an audit entry per change, tenant isolation; and the candidates of the tracking_stale pass.
#include <gtest/gtest.h>

#include "storage/privacy_store.hpp"
#include "storage/settings_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage {
namespace {

using domain::Milestone;
using core::ErrorCode;
using testing::at;

class SettingsStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    settings_ = store_->settings();
    ASSERT_NE(settings_, nullptr);
    tenant_ = add_tenant();
  }

  SettingsAuditEntry audit(core::Timestamp when, std::string changes = R"([{"path":"x","old":1,"new":2}])") {
    return SettingsAuditEntry{0, 0, when, "key_admin", "ops lead", "tenant/settings", std::move(changes)};
  }

  SettingsStore* settings_ = nullptr;
  core::TenantId tenant_;
};

TEST_F(SettingsStoreTest, ATenantStartsAtVersionZeroWithTheDefaults) {
  auto r = settings_->get_tenant_settings(tenant_);
  ASSERT_OK(r);
  EXPECT_EQ(r->version, 0);
  EXPECT_FALSE(r->updated_at);
  EXPECT_EQ(r->tenant.geofence_radius_m, 75);
  EXPECT_FALSE(r->tenant.geofence_dwell_s);
  EXPECT_FALSE(r->tenant.tracking_stale_hours);
  EXPECT_FALSE(r->rerouting_auto_apply);
  EXPECT_EQ(r->notifications.version, 0);
  EXPECT_FALSE(r->retention.track_days);
  EXPECT_TRUE(testing::fails_with(settings_->get_tenant_settings(core::TenantId("ten_nope")), ErrorCode::kNotFound));
}

TEST_F(SettingsStoreTest, AChangeWritesEverySourceUnderOneVersionWithItsAuditEntry) {
  auto next = *settings_->get_tenant_settings(tenant_);
  next.tenant.geofence_radius_m = 120;
  next.tenant.geofence_dwell_s = 5;
  next.tenant.device_offline_minutes = 3;
  next.tenant.tracking_stale_hours = 6;
  next.tenant.show_driver_within_stops = 0;
  next.rerouting_auto_apply = true;
  next.notifications.rules["delivered"] = {"sms"};
  next.retention.track_days = 30;
  auto saved = settings_->put_tenant_settings(tenant_, next, 0, audit(at(10)));
  ASSERT_OK(saved);
  EXPECT_EQ(saved->version, 1);
  EXPECT_EQ(saved->updated_by, "key_admin");
  EXPECT_EQ(saved->updated_by_name, "ops lead");
  EXPECT_EQ(saved->updated_at, at(10));
  EXPECT_TRUE(saved->rerouting_auto_apply);
  EXPECT_EQ(saved->notifications.version, 1);  // the notification settings' own version moved on
  EXPECT_EQ(saved->notifications.rules["delivered"], std::vector<std::string>{"sms"});

  // The tenant row is what the pipeline, the tracking page and the devices read.
  auto t = store_->get_tenant(tenant_);
  ASSERT_OK(t);
  EXPECT_EQ(t->geofence_radius_m, 120);
  EXPECT_EQ(t->geofence_dwell_s, 5);
  EXPECT_EQ(t->device_offline_minutes, 3);
  EXPECT_EQ(t->tracking_stale_hours, 6);
  EXPECT_FALSE(t->stationary_minutes);
  EXPECT_EQ(t->show_driver_within_stops, 0);
  EXPECT_EQ(store_->privacy()->get_retention(tenant_)->track_days, 30);

  auto history = settings_->list_settings_history(tenant_, 0, 10);
  ASSERT_OK(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_EQ((*history)[0].base_version, 0);
  EXPECT_EQ((*history)[0].via, "tenant/settings");
  EXPECT_EQ((*history)[0].changes_json, R"([{"path":"x","old":1,"new":2}])");
}

TEST_F(SettingsStoreTest, AStaleVersionIsAConflictAndWritesNothing) {
  auto next = *settings_->get_tenant_settings(tenant_);
  next.tenant.geofence_radius_m = 120;
  ASSERT_OK(settings_->put_tenant_settings(tenant_, next, 0, audit(at(10))));
  next.tenant.geofence_radius_m = 300;
  EXPECT_TRUE(testing::fails_with(settings_->put_tenant_settings(tenant_, next, 0, audit(at(20))), ErrorCode::kConflict,
                                  "version"));
  EXPECT_EQ(store_->get_tenant(tenant_)->geofence_radius_m, 120);
  EXPECT_EQ(settings_->list_settings_history(tenant_, 0, 10)->size(), 1u);
  // Unchanged notifications keep their version.
  next.tenant.geofence_radius_m = 90;
  auto saved = settings_->put_tenant_settings(tenant_, next, 1, audit(at(30)));
  ASSERT_OK(saved);
  EXPECT_EQ(saved->version, 2);
  EXPECT_EQ(saved->notifications.version, 0);
  auto page = settings_->list_settings_history(tenant_, 2, 10);  // before version 2
  ASSERT_OK(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].version, 1);
}

TEST_F(SettingsStoreTest, AnotherTenantSeesNothingOfIt) {
  auto next = *settings_->get_tenant_settings(tenant_);
  next.tenant.geofence_radius_m = 120;
  ASSERT_OK(settings_->put_tenant_settings(tenant_, next, 0, audit(at(10))));
  const auto other = add_tenant();
  EXPECT_EQ(settings_->get_tenant_settings(other)->tenant.geofence_radius_m, 75);
  EXPECT_EQ(settings_->get_tenant_settings(other)->version, 0);
  EXPECT_TRUE(settings_->list_settings_history(other, 0, 10)->empty());
}

TEST_F(SettingsStoreTest, TheStalePassSeesCarrierShipmentsInTransitAndOpenCases) {
  const auto carrier = add_carrier(tenant_);
  auto with_carrier = [&] {
    auto s = testing::make_shipment(tenant_);
    s.carrier_id = carrier.id;
    return add_shipment(s);
  };
  const auto shipped = with_carrier();
  const auto created = with_carrier();
  const auto own = add_shipment(tenant_);  // no carrier
  const auto parked = with_carrier();
  for (const auto* s : {&shipped, &own, &parked})
    ASSERT_OK(store_->append_event(testing::make_event(*s, Milestone::kShipped, at(100)), Milestone::kCreated));
  // `parked` went stale, then waits at a pickup point: its case stays open, so the pass still sees it.
  auto stale = testing::make_event(parked, std::nullopt, at(200));
  stale.type = "tracking_stale";
  ASSERT_OK(store_->append_event(stale, Milestone::kShipped));
  ASSERT_OK(store_->append_event(testing::make_event(parked, Milestone::kAvailableForPickup, at(300)),
                                 Milestone::kShipped));

  const std::vector<Milestone> transit = {Milestone::kShipped, Milestone::kOutForDelivery};
  auto page = settings_->list_carrier_tracked(transit, 0, 10);
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->next_after, 0);
  EXPECT_EQ(page->items[0].shipment, shipped.id);
  EXPECT_EQ(page->items[0].last_heard, at(100));  // its latest status change: no carrier event yet
  EXPECT_FALSE(page->items[0].stale_open);
  EXPECT_EQ(page->items[1].shipment, parked.id);
  EXPECT_TRUE(page->items[1].stale_open);
  EXPECT_EQ(page->items[1].stale_raised_at, at(200));
  EXPECT_EQ(page->items[1].status, Milestone::kAvailableForPickup);
  (void)created;

  auto first = settings_->list_carrier_tracked(transit, 0, 1);  // paged
  ASSERT_OK(first);
  ASSERT_EQ(first->items.size(), 1u);
  auto second = settings_->list_carrier_tracked(transit, first->next_after, 1);
  ASSERT_OK(second);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].shipment, parked.id);
}

}  // namespace
}  // namespace lastmile::storage
