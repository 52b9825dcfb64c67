// Live-location storage: tracker device lookup, the driver's active route, geofence progress
// (stop visit + compare-and-set events that skip instead of failing), retention.
#include "storage/store.hpp"

#include <gtest/gtest.h>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;

class LiveStoreTest : public StoreTest {
 protected:
  // A tenant, its driver, a shipped shipment on a started route.
  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = add_tenant();
    driver_ = add_driver(tenant_);
    shipment_ = add_shipment(tenant_);
    for (auto m : {Milestone::kProcessed, Milestone::kShipped}) {
      auto e = store_->append_event(make_event(shipment_, m), status_);
      ASSERT_TRUE(e.ok());
      status_ = m;
    }
    route_ = add_route(tenant_, driver_.id, {{shipment_.id}});
    ASSERT_TRUE(store_->start_route(tenant_, route_.id, at(10), {}).ok());
  }

  std::pair<domain::Event, Milestone> change(Milestone from, Milestone to) {
    return {make_event(shipment_, to, at(20)), from};
  }

  core::TenantId tenant_;
  domain::Driver driver_;
  domain::Shipment shipment_;
  domain::Route route_;
  Milestone status_ = Milestone::kCreated;
};

TEST_F(LiveStoreTest, FindsADriverByItsTrackerDeviceIdAcrossTenants) {
  auto found = store_->find_driver_by_device(driver_.device_id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, driver_.id);
  EXPECT_EQ(found->tenant_id, tenant_);
  EXPECT_EQ(store_->find_driver_by_device("no-such-device").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->find_driver_by_device("").error().code, ErrorCode::kNotFound);
}

TEST_F(LiveStoreTest, TheActiveRouteIsTheStartedOneWithItsStops) {
  auto active = store_->active_route(tenant_, driver_.id);
  ASSERT_TRUE(active.ok());
  ASSERT_TRUE(active->has_value());
  EXPECT_EQ((*active)->id, route_.id);
  ASSERT_EQ((*active)->stops.size(), 1u);
  EXPECT_EQ((*active)->stops[0].shipment_ids[0], shipment_.id);

  auto other_driver = add_driver(tenant_);
  add_route(tenant_, other_driver.id, {{add_shipment(tenant_).id}});  // planned, not started
  auto none = store_->active_route(tenant_, other_driver.id);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto other_tenant = store_->active_route(add_tenant(), driver_.id);
  ASSERT_TRUE(other_tenant.ok());
  EXPECT_FALSE(other_tenant->has_value()) << "tenant isolation";
}

TEST_F(LiveStoreTest, ProgressRecordsTheVisitAndTheEventsInOneTransaction) {
  StopVisit visit{route_.id, route_.stops[0].id, at(30), std::nullopt, domain::StopStatus::kArrived};
  auto stored = store_->record_route_progress(tenant_, visit, {change(Milestone::kShipped, Milestone::kOutForDelivery)});
  ASSERT_TRUE(stored.ok()) << describe(stored.error());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_GT((*stored)[0].global_seq, 0);
  auto route = store_->get_route(tenant_, route_.id);
  ASSERT_TRUE(route.ok());
  EXPECT_EQ(route->stops[0].arrived_at, at(30));
  EXPECT_FALSE(route->stops[0].departed_at.has_value());
  EXPECT_EQ(route->stops[0].status, domain::StopStatus::kArrived);
  EXPECT_EQ(store_->get_shipment(tenant_, shipment_.id)->status, Milestone::kOutForDelivery);

  // A later departure keeps the arrival time.
  StopVisit leave{route_.id, route_.stops[0].id, std::nullopt, at(90), std::nullopt};
  ASSERT_TRUE(store_->record_route_progress(tenant_, leave, {}).ok());
  route = store_->get_route(tenant_, route_.id);
  EXPECT_EQ(route->stops[0].arrived_at, at(30));
  EXPECT_EQ(route->stops[0].departed_at, at(90));
}

TEST_F(LiveStoreTest, AnEventWhoseShipmentMovedOnIsSkippedNotAnError) {
  // The geofence decided from a snapshot in which the shipment was still shipped.
  ASSERT_TRUE(store_->append_event(make_event(shipment_, Milestone::kOutForDelivery), Milestone::kShipped).ok());
  auto stored = store_->record_route_progress(tenant_, std::nullopt, {change(Milestone::kShipped, Milestone::kOutForDelivery)});
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());
  EXPECT_EQ(store_->list_events(tenant_, shipment_.id)->size(), 4u) << "created, processed, shipped, ofd — no repeat";
}

TEST_F(LiveStoreTest, AStopOfAnotherTenantOrRouteIsNotFoundAndNothingIsWritten) {
  StopVisit wrong_route{core::RouteId("rte_other"), route_.stops[0].id, at(30), std::nullopt, std::nullopt};
  auto r = store_->record_route_progress(tenant_, wrong_route, {change(Milestone::kShipped, Milestone::kOutForDelivery)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->get_shipment(tenant_, shipment_.id)->status, Milestone::kShipped) << "the events rolled back";
  StopVisit right{route_.id, route_.stops[0].id, at(30), std::nullopt, std::nullopt};
  EXPECT_EQ(store_->record_route_progress(add_tenant(), right, {}).error().code, ErrorCode::kNotFound);
}

TEST_F(LiveStoreTest, StopEtasAreStoredOnTheRouteAndOtherTenantsStopsAreUntouched) {
  const StopEta eta{route_.stops[0].id, at(600), at(540), at(720)};
  ASSERT_TRUE(store_->update_stop_etas(tenant_, route_.id, {eta}).ok());
  auto r = store_->get_route(tenant_, route_.id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stops[0].eta, at(600));
  EXPECT_EQ(r->stops[0].eta_earliest, at(540));
  EXPECT_EQ(r->stops[0].eta_latest, at(720));
  // Another tenant naming this route's stop changes nothing.
  ASSERT_TRUE(store_->update_stop_etas(add_tenant(), route_.id, {StopEta{route_.stops[0].id, at(9), at(9), at(9)}}).ok());
  EXPECT_EQ(store_->get_route(tenant_, route_.id)->stops[0].eta, at(600));
  // And the tracking snapshot carries it.
  auto snap = store_->load_tracking(shipment_.tracking_token);
  ASSERT_TRUE(snap.ok());
  ASSERT_TRUE(snap->route.has_value());
  EXPECT_EQ(snap->route->stops[0].eta_latest, at(720));
}

TEST_F(LiveStoreTest, VisitedStopsAreListedForLearningNewestRouteFirst) {
  EXPECT_TRUE(store_->list_stop_visits(tenant_, at(0), 100)->empty());  // not yet visited
  ASSERT_TRUE(store_->record_route_progress(tenant_, StopVisit{route_.id, route_.stops[0].id, at(100), std::nullopt,
                                                               domain::StopStatus::kArrived}, {}).ok());
  EXPECT_TRUE(store_->list_stop_visits(tenant_, at(0), 100)->empty());  // arrived, not departed
  ASSERT_TRUE(store_->record_route_progress(tenant_, StopVisit{route_.id, route_.stops[0].id, std::nullopt, at(300),
                                                               std::nullopt}, {}).ok());
  auto visits = store_->list_stop_visits(tenant_, at(0), 100);
  ASSERT_TRUE(visits.ok());
  ASSERT_EQ(visits->size(), 1u);
  const auto& v = visits->front();
  EXPECT_EQ(v.route_id, route_.id);
  EXPECT_EQ(v.driver_id, driver_.id);
  EXPECT_EQ(v.stop_id, route_.stops[0].id);
  EXPECT_EQ(v.arrived_at, at(100));
  EXPECT_EQ(v.departed_at, at(300));
  EXPECT_EQ(v.service_s, route_.stops[0].service_s);
  EXPECT_TRUE(store_->list_stop_visits(tenant_, at(101), 100)->empty());  // arrived before `since`
  EXPECT_TRUE(store_->list_stop_visits(add_tenant(), at(0), 100)->empty());  // another tenant's
  EXPECT_TRUE(store_->list_stop_visits(tenant_, at(0), 0)->empty());         // limit
}

TEST_F(LiveStoreTest, RetentionDeletesOldPointsInBoundedChunks) {
  std::vector<ingest::Ping> pings;
  for (int i = 0; i < 10; ++i) {
    ingest::Ping p;
    p.driver_id = driver_.id;
    p.t = at(i * 60);
    p.position = latlon(43.73 + i * 1e-4, 7.42);
    p.received_at = p.t;
    pings.push_back(p);
  }
  ASSERT_EQ(*store_->append_track_points(tenant_, driver_.id, pings), 10);
  auto first = store_->delete_track_points_before(at(5 * 60), 3);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 3);
  EXPECT_EQ(*store_->delete_track_points_before(at(5 * 60), 100), 2);
  EXPECT_EQ(*store_->delete_track_points_before(at(5 * 60), 100), 0);
  auto left = store_->list_track_points(tenant_, driver_.id, at(0), at(3600), 100);
  ASSERT_EQ(left->size(), 5u);
  EXPECT_EQ(left->front().t, at(5 * 60));
}

}  // namespace
}  // namespace lastmile::storage::testing
