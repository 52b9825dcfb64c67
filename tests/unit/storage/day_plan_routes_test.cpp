// A day plan's routes (RoutePlanStore::create_routes, POST /v1/optimize with "apply"): every route
// or none, in one transaction; a shipment routed or closed since it was planned is a conflict naming
// it, and then no route of the plan exists.
#include "storage/route_plan_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;

class DayPlanRoutesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    plans_ = dynamic_cast<RoutePlanStore*>(store_.get());
    ASSERT_NE(plans_, nullptr);
    tenant_ = add_tenant();
    for (int i = 0; i < 5; ++i) shipments_.push_back(add_shipment(tenant_).id);
    d1_ = add_driver(tenant_).id;
    d2_ = add_driver(tenant_).id;
  }

  // Two routes: shipments 0, 1, 2 for d1; 3, 4 for d2.
  std::vector<domain::Route> plan() const {
    return {make_route(tenant_, d1_, {{shipments_[0]}, {shipments_[1]}, {shipments_[2]}}),
            make_route(tenant_, d2_, {{shipments_[3]}, {shipments_[4]}})};
  }

  bool route_exists(const domain::Route& r) { return store_->get_route(tenant_, r.id).ok(); }

  std::optional<core::RouteId> route_of(const core::ShipmentId& id) {
    auto sh = store_->get_shipment(tenant_, id);
    EXPECT_OK(sh);
    return sh ? sh->route_id : std::nullopt;
  }

  void expect_nothing_written(const std::vector<domain::Route>& routes) {
    for (const auto& r : routes) EXPECT_FALSE(route_exists(r)) << r.id.str();
  }

  RoutePlanStore* plans_ = nullptr;
  core::TenantId tenant_;
  core::DriverId d1_, d2_;
  std::vector<core::ShipmentId> shipments_;
};

TEST_F(DayPlanRoutesTest, CreatesEveryRouteWithItsStopsAndShipments) {
  const auto routes = plan();
  ASSERT_OK(plans_->create_routes(tenant_, routes, nullptr, kT0));
  for (const auto& r : routes) {
    auto got = store_->get_route(tenant_, r.id);
    ASSERT_OK(got);
    EXPECT_EQ(got->driver_id, r.driver_id);
    ASSERT_EQ(got->stops.size(), r.stops.size());
    for (size_t i = 0; i < r.stops.size(); ++i) {
      EXPECT_EQ(got->stops[i].id, r.stops[i].id);
      EXPECT_EQ(got->stops[i].shipment_ids, r.stops[i].shipment_ids);
    }
  }
  EXPECT_EQ(route_of(shipments_[1]), routes[0].id);
  EXPECT_EQ(route_of(shipments_[4]), routes[1].id);
  auto sh = store_->get_shipment(tenant_, shipments_[4]);
  ASSERT_OK(sh);
  EXPECT_EQ(sh->stop_id, routes[1].stops[1].id);
}

TEST_F(DayPlanRoutesTest, AShipmentRoutedMeanwhileFailsTheWholePlanAndNamesIt) {
  // Planned while every shipment was free; then someone routes shipment 4 (on the plan's second route).
  const auto routes = plan();
  const auto other = add_route(tenant_, add_driver(tenant_).id, {{shipments_[4]}});
  auto res = plans_->create_routes(tenant_, routes, nullptr, kT0);
  ASSERT_TRUE(fails_with(res, ErrorCode::kConflict, "routes[1].stops[1].shipment_ids[0]"));
  EXPECT_NE(res.error().message.find(shipments_[4].str()), std::string::npos) << res.error().message;
  // The first route, already inserted in the transaction when the conflict was found, is gone too.
  expect_nothing_written(routes);
  EXPECT_FALSE(route_of(shipments_[0]).has_value());
  EXPECT_FALSE(route_of(shipments_[3]).has_value());
  EXPECT_EQ(route_of(shipments_[4]), other.id);
}

TEST_F(DayPlanRoutesTest, AShipmentOnAClosedRouteOrClosedItselfIsAConflict) {
  // On a route that is no longer open (the planner skips any shipment with a route): still a conflict,
  // unlike POST /v1/routes, which only refuses shipments on open routes.
  const auto routes = plan();
  auto done = make_route(tenant_, add_driver(tenant_).id, {{shipments_[2]}});
  done.status = domain::RouteStatus::kCompleted;
  ASSERT_OK(store_->create_route(done, nullptr));
  EXPECT_TRUE(fails_with(plans_->create_routes(tenant_, routes, nullptr, kT0), ErrorCode::kConflict,
                         "routes[0].stops[2].shipment_ids[0]"));
  expect_nothing_written(routes);

  // Cancelled since it was planned.
  const auto again = std::vector<domain::Route>{make_route(tenant_, d1_, {{shipments_[0]}, {shipments_[1]}})};
  auto sh = store_->get_shipment(tenant_, shipments_[1]);
  ASSERT_OK(sh);
  ASSERT_OK(store_->append_event(make_event(*sh, Milestone::kCancelled), Milestone::kCreated));
  auto res = plans_->create_routes(tenant_, again, nullptr, kT0);
  ASSERT_TRUE(fails_with(res, ErrorCode::kConflict, "routes[0].stops[1].shipment_ids[0]"));
  EXPECT_NE(res.error().message.find("cancelled"), std::string::npos) << res.error().message;
  expect_nothing_written(again);
  EXPECT_FALSE(route_of(shipments_[0]).has_value());
}

TEST_F(DayPlanRoutesTest, UnknownRowsAndRepeatsWriteNothing) {
  auto routes = plan();
  routes[1].driver_id = core::DriverId("drv_unknown");
  EXPECT_TRUE(fails_with(plans_->create_routes(tenant_, routes, nullptr, kT0), ErrorCode::kNotFound,
                         "routes[1].driver_id"));
  expect_nothing_written(routes);

  routes = plan();
  routes[1].vehicle_id = core::VehicleId("veh_unknown");
  EXPECT_TRUE(fails_with(plans_->create_routes(tenant_, routes, nullptr, kT0), ErrorCode::kNotFound,
                         "routes[1].vehicle_id"));
  expect_nothing_written(routes);

  routes = plan();
  routes[1].stops[0].shipment_ids = {core::ShipmentId("shp_unknown")};
  EXPECT_TRUE(fails_with(plans_->create_routes(tenant_, routes, nullptr, kT0), ErrorCode::kNotFound,
                         "routes[1].stops[0].shipment_ids[0]"));
  expect_nothing_written(routes);

  // The same shipment on two routes of the plan: the second sees it routed by the first.
  routes = plan();
  routes[1].stops[0].shipment_ids = {shipments_[0]};
  EXPECT_TRUE(fails_with(plans_->create_routes(tenant_, routes, nullptr, kT0), ErrorCode::kConflict,
                         "routes[1].stops[0].shipment_ids[0]"));
  expect_nothing_written(routes);

  // Another tenant's shipments are not found; a route of another tenant is refused.
  const auto other = add_tenant();
  routes = plan();
  EXPECT_TRUE(fails_with(plans_->create_routes(other, routes, nullptr, kT0), ErrorCode::kInvalidField,
                         "routes[0].tenant_id"));
  auto foreign = std::vector<domain::Route>{make_route(other, add_driver(other).id, {{shipments_[0]}})};
  EXPECT_TRUE(fails_with(plans_->create_routes(other, foreign, nullptr, kT0), ErrorCode::kNotFound,
                         "routes[0].stops[0].shipment_ids[0]"));
  expect_nothing_written(routes);
  expect_nothing_written(foreign);
  for (const auto& id : shipments_) EXPECT_FALSE(route_of(id).has_value());
}

TEST_F(DayPlanRoutesTest, TheIdempotencyRecordIsStoredWithTheRoutesOrNotAtAll) {
  auto rec = make_idempotency("plan-1", "POST /v1/optimize", R"({"applied":true})");
  // A conflict stores no record (a retry with the key plans again).
  auto routes = plan();
  add_route(tenant_, add_driver(tenant_).id, {{shipments_[3]}});
  ASSERT_FALSE(plans_->create_routes(tenant_, routes, &rec, kT0).ok());
  auto none = store_->find_idempotency(tenant_, "POST /v1/optimize", "plan-1");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());

  routes = {make_route(tenant_, d1_, {{shipments_[0]}, {shipments_[1]}})};
  ASSERT_OK(plans_->create_routes(tenant_, routes, &rec, at(5)));
  auto found = store_->find_idempotency(tenant_, "POST /v1/optimize", "plan-1");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->body, R"({"applied":true})");
  EXPECT_EQ((*found)->status, 201);

  // The key again (a concurrent twin that lost the race): refused, its routes not written.
  const auto twin = std::vector<domain::Route>{make_route(tenant_, d2_, {{shipments_[2]}})};
  EXPECT_TRUE(fails_with(plans_->create_routes(tenant_, twin, &rec, at(6)), ErrorCode::kIdempotencyConflict,
                         "Idempotency-Key"));
  expect_nothing_written(twin);

  // An empty plan still stores its record.
  auto empty_rec = make_idempotency("plan-2", "POST /v1/optimize");
  ASSERT_OK(plans_->create_routes(tenant_, {}, &empty_rec, at(7)));
  auto empty = store_->find_idempotency(tenant_, "POST /v1/optimize", "plan-2");
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->has_value());
}

}  // namespace
}  // namespace lastmile::storage::testing
