// load_tracking: everything the public tracking view needs, from one read transaction.
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;

class TrackingTest : public StoreTest {};

TEST_F(TrackingTest, UnknownTokenIsNotFound) {
  EXPECT_TRUE(fails_with(store_->load_tracking("AAAAAAAAAAAAAAAAAAAAAA"), ErrorCode::kNotFound, ""));
}

TEST_F(TrackingTest, AShipmentAloneComesWithItsTenantAndEvents) {
  auto tenant = add_tenant("Riviera Shop");
  auto s = add_shipment(tenant);
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kProcessed, at(60)), Milestone::kCreated));

  auto snap = store_->load_tracking(s.tracking_token);
  ASSERT_OK(snap);
  EXPECT_EQ(snap->shipment.id, s.id);
  EXPECT_EQ(snap->shipment.status, Milestone::kProcessed);
  EXPECT_EQ(snap->tenant.name, "Riviera Shop");
  ASSERT_EQ(snap->events.size(), 2u);
  EXPECT_EQ(snap->events[0].type, "created");
  EXPECT_EQ(snap->events[1].type, "processed");
  EXPECT_FALSE(snap->carrier);
  EXPECT_FALSE(snap->route);
  EXPECT_FALSE(snap->driver);
}

TEST_F(TrackingTest, AShipmentOnARouteComesWithCarrierRouteStopsAndDriver) {
  auto tenant = add_tenant();
  auto carrier = add_carrier(tenant, "riviera");
  auto driver = add_driver(tenant, carrier.id);
  auto first = add_shipment(tenant);
  auto s = make_shipment(tenant);
  s.carrier_id = carrier.id;
  s = add_shipment(s);
  auto route = add_route(tenant, driver.id, {{first.id}, {s.id}});

  auto snap = store_->load_tracking(s.tracking_token);
  ASSERT_OK(snap);
  ASSERT_TRUE(snap->carrier);
  EXPECT_EQ(snap->carrier->code, "riviera");
  ASSERT_TRUE(snap->route);
  EXPECT_EQ(snap->route->id, route.id);
  ASSERT_EQ(snap->route->stops.size(), 2u);
  EXPECT_EQ(snap->route->stops[1].shipment_ids.at(0), s.id);
  EXPECT_EQ(snap->shipment.stop_id, snap->route->stops[1].id);
  ASSERT_TRUE(snap->driver);
  EXPECT_EQ(snap->driver->id, driver.id);
}

}  // namespace
}  // namespace lastmile::storage::testing
