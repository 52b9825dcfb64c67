// Routes: creation with its validations, listing, and starting (compare-and-set).
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;
using domain::RouteStatus;

class RoutesTest : public StoreTest {
 protected:
  StoreOptions options() override {
    StoreOptions o;
    o.on_commit = [this](const std::vector<domain::Event>& events) {
      committed_.insert(committed_.end(), events.begin(), events.end());
    };
    return o;
  }

  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = add_tenant();
    driver_ = add_driver(tenant_);
  }

  // The out_for_delivery events a route start would append, each expecting `expected`.
  std::vector<std::pair<domain::Event, Milestone>> start_events(const std::vector<domain::Shipment>& shipments,
                                                                Milestone expected = Milestone::kCreated) {
    std::vector<std::pair<domain::Event, Milestone>> out;
    for (const auto& s : shipments) {
      auto e = make_event(s, Milestone::kOutForDelivery, at(100));
      e.source = "route_start";
      out.emplace_back(e, expected);
    }
    return out;
  }

  core::TenantId tenant_;
  domain::Driver driver_;
  std::vector<domain::Event> committed_;
};

TEST_F(RoutesTest, CreateThenGetReturnsStopsInOrderAndAssignsShipments) {
  auto vehicle = make_vehicle(tenant_);
  ASSERT_OK(store_->create_vehicle(vehicle, nullptr));
  auto s1 = add_shipment(tenant_);
  auto s2 = add_shipment(tenant_);
  auto s3 = add_shipment(tenant_);
  auto r = make_route(tenant_, driver_.id, {{s2.id}, {s3.id, s1.id}});
  r.vehicle_id = vehicle.id;
  r.stops[0].location = latlon(43.74, 7.42);
  r.stops[1].service_s = 300;
  r.stops[1].eta = at(900);
  ASSERT_OK(store_->create_route(r, nullptr));

  auto got = store_->get_route(tenant_, r.id);
  ASSERT_OK(got);
  EXPECT_GT(got->seq, 0);
  EXPECT_EQ(got->id, r.id);
  EXPECT_EQ(got->tenant_id, tenant_);
  EXPECT_EQ(got->driver_id, driver_.id);
  EXPECT_EQ(got->vehicle_id, vehicle.id);
  EXPECT_EQ(got->date, "2026-11-23");
  EXPECT_EQ(got->depot, latlon(43.7350, 7.4210));
  EXPECT_EQ(got->status, RouteStatus::kPlanned);
  EXPECT_FALSE(got->started_at.has_value());
  EXPECT_EQ(got->created_at, kT0);
  ASSERT_EQ(got->stops.size(), 2u);
  EXPECT_EQ(got->stops[0].id, r.stops[0].id);
  EXPECT_EQ(got->stops[0].sequence, 0);
  EXPECT_EQ(got->stops[0].shipment_ids, (std::vector{s2.id}));
  EXPECT_EQ(got->stops[0].location, latlon(43.74, 7.42));
  EXPECT_EQ(got->stops[0].service_s, 120);
  EXPECT_EQ(got->stops[0].status, domain::StopStatus::kPending);
  EXPECT_FALSE(got->stops[0].eta.has_value());
  EXPECT_EQ(got->stops[1].id, r.stops[1].id);
  EXPECT_EQ(got->stops[1].sequence, 1);
  EXPECT_EQ(got->stops[1].shipment_ids, (std::vector{s3.id, s1.id}));
  EXPECT_FALSE(got->stops[1].location.has_value());
  EXPECT_EQ(got->stops[1].service_s, 300);
  EXPECT_EQ(got->stops[1].eta, at(900));

  auto sh = store_->get_shipment(tenant_, s1.id);
  ASSERT_OK(sh);
  EXPECT_EQ(sh->route_id, r.id);
  EXPECT_EQ(sh->stop_id, r.stops[1].id);
}

TEST_F(RoutesTest, BreaksAreStoredInTheOrderTakenWithTheirWindows) {
  auto s1 = add_shipment(tenant_);
  auto s2 = add_shipment(tenant_);
  auto r = make_route(tenant_, driver_.id, {{s1.id}, {s2.id}});
  r.breaks.push_back({"coffee", 0, 600, std::nullopt});
  r.breaks.push_back({"lunch", 1, 1800, domain::TimeWindow{at(3600), at(7200)}});
  ASSERT_OK(store_->create_route(r, nullptr));

  auto got = store_->get_route(tenant_, r.id);
  ASSERT_OK(got);
  ASSERT_EQ(got->breaks.size(), 2u);
  EXPECT_EQ(got->breaks[0].id, "coffee");
  EXPECT_EQ(got->breaks[0].after_stops, 0);
  EXPECT_EQ(got->breaks[0].duration_s, 600);
  EXPECT_FALSE(got->breaks[0].window.has_value());
  EXPECT_EQ(got->breaks[1].id, "lunch");
  EXPECT_EQ(got->breaks[1].after_stops, 1);
  EXPECT_EQ(got->breaks[1].duration_s, 1800);
  ASSERT_TRUE(got->breaks[1].window.has_value());
  EXPECT_EQ(got->breaks[1].window->start, at(3600));
  EXPECT_EQ(got->breaks[1].window->end, at(7200));

  // Listed routes carry them too; a route without breaks has none.
  auto plain = add_route(tenant_, add_driver(tenant_).id, {{add_shipment(tenant_).id}});
  auto page = store_->list_routes(tenant_, {}, {});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, plain.id);
  EXPECT_TRUE(page->items[0].breaks.empty());
  EXPECT_EQ(page->items[1].breaks.size(), 2u);
}

TEST_F(RoutesTest, UnknownDriverIsNotFoundOnDriverId) {
  auto s = add_shipment(tenant_);
  auto r = make_route(tenant_, core::DriverId("drv_nope"), {{s.id}});
  EXPECT_TRUE(fails_with(store_->create_route(r, nullptr), ErrorCode::kNotFound, "driver_id"));
  EXPECT_TRUE(fails_with(store_->get_route(tenant_, r.id), ErrorCode::kNotFound));
}

TEST_F(RoutesTest, AnotherTenantsDriverIsNotFoundOnDriverId) {
  auto theirs = add_driver(add_tenant());
  auto s = add_shipment(tenant_);
  EXPECT_TRUE(fails_with(store_->create_route(make_route(tenant_, theirs.id, {{s.id}}), nullptr),
                         ErrorCode::kNotFound, "driver_id"));
}

TEST_F(RoutesTest, UnknownVehicleIsNotFoundOnVehicleId) {
  auto s = add_shipment(tenant_);
  auto r = make_route(tenant_, driver_.id, {{s.id}});
  r.vehicle_id = core::VehicleId("veh_nope");
  EXPECT_TRUE(fails_with(store_->create_route(r, nullptr), ErrorCode::kNotFound, "vehicle_id"));
}

TEST_F(RoutesTest, UnknownShipmentIsNotFoundAtItsPathAndWritesNothing) {
  auto s = add_shipment(tenant_);
  auto r = make_route(tenant_, driver_.id, {{s.id}, {core::ShipmentId("shp_nope")}});
  EXPECT_TRUE(fails_with(store_->create_route(r, nullptr), ErrorCode::kNotFound, "stops[1].shipment_ids[0]"));
  EXPECT_TRUE(fails_with(store_->get_route(tenant_, r.id), ErrorCode::kNotFound));
  auto sh = store_->get_shipment(tenant_, s.id);
  ASSERT_OK(sh);
  EXPECT_FALSE(sh->route_id.has_value());
}

TEST_F(RoutesTest, AnotherTenantsShipmentIsNotFoundAtItsPath) {
  auto mine = add_shipment(tenant_);
  auto theirs = add_shipment(add_tenant());
  auto r = make_route(tenant_, driver_.id, {{mine.id, theirs.id}});
  EXPECT_TRUE(fails_with(store_->create_route(r, nullptr), ErrorCode::kNotFound, "stops[0].shipment_ids[1]"));
}

TEST_F(RoutesTest, ShipmentListedTwiceIsConflictAtTheSecondPlace) {
  auto a = add_shipment(tenant_);
  auto b = add_shipment(tenant_);
  auto r = make_route(tenant_, driver_.id, {{a.id}, {b.id, a.id}});
  EXPECT_TRUE(fails_with(store_->create_route(r, nullptr), ErrorCode::kConflict, "stops[1].shipment_ids[1]"));
  EXPECT_TRUE(fails_with(store_->get_route(tenant_, r.id), ErrorCode::kNotFound));
}

TEST_F(RoutesTest, ShipmentOnAPlannedRouteIsConflict) {
  auto a = add_shipment(tenant_);
  auto b = add_shipment(tenant_);
  add_route(tenant_, driver_.id, {{a.id}});
  auto second = make_route(tenant_, add_driver(tenant_).id, {{b.id}, {a.id}});
  EXPECT_TRUE(fails_with(store_->create_route(second, nullptr), ErrorCode::kConflict, "stops[1].shipment_ids[0]"));
  auto sh = store_->get_shipment(tenant_, b.id);
  ASSERT_OK(sh);
  EXPECT_FALSE(sh->route_id.has_value());  // rolled back
}

TEST_F(RoutesTest, ShipmentOnARouteInProgressIsConflict) {
  auto a = add_shipment(tenant_);
  auto first = add_route(tenant_, driver_.id, {{a.id}});
  ASSERT_OK(store_->start_route(tenant_, first.id, at(10), {}));
  auto second = make_route(tenant_, driver_.id, {{a.id}});
  EXPECT_TRUE(fails_with(store_->create_route(second, nullptr), ErrorCode::kConflict, "stops[0].shipment_ids[0]"));
}

TEST_F(RoutesTest, IdempotencyKeyIsStoredAndReuseIsIdempotencyConflict) {
  auto a = add_shipment(tenant_);
  auto b = add_shipment(tenant_);
  auto rec = make_idempotency("r1", "POST /v1/routes");
  ASSERT_OK(store_->create_route(make_route(tenant_, driver_.id, {{a.id}}), &rec));
  auto again = make_route(tenant_, driver_.id, {{b.id}});
  EXPECT_TRUE(fails_with(store_->create_route(again, &rec), ErrorCode::kIdempotencyConflict, "Idempotency-Key"));
  EXPECT_TRUE(fails_with(store_->get_route(tenant_, again.id), ErrorCode::kNotFound));
}

TEST_F(RoutesTest, AnotherTenantsRouteIsNotFound) {
  auto r = add_route(tenant_, driver_.id, {{add_shipment(tenant_).id}});
  EXPECT_TRUE(fails_with(store_->get_route(add_tenant(), r.id), ErrorCode::kNotFound));
}

TEST_F(RoutesTest, ListFiltersByDriverAndDateAndStaysInTheTenant) {
  auto other_driver = add_driver(tenant_);
  auto r1 = make_route(tenant_, driver_.id, {{add_shipment(tenant_).id}}, "2026-11-23");
  auto r2 = make_route(tenant_, other_driver.id, {{add_shipment(tenant_).id}}, "2026-11-23");
  auto r3 = make_route(tenant_, driver_.id, {{add_shipment(tenant_).id}}, "2026-11-24");
  for (auto* r : {&r1, &r2, &r3}) ASSERT_OK(store_->create_route(*r, nullptr));
  auto theirs = add_tenant();
  add_route(theirs, add_driver(theirs).id, {{add_shipment(theirs).id}});

  auto ids = [&](const RouteFilter& f) {
    std::vector<core::RouteId> out;
    auto page = store_->list_routes(tenant_, f, {50, std::nullopt});
    EXPECT_TRUE(is_ok(page));
    if (page)
      for (const auto& r : page->items) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector{r3.id, r2.id, r1.id}));
  EXPECT_EQ(ids({driver_.id, ""}), (std::vector{r3.id, r1.id}));
  EXPECT_EQ(ids({std::nullopt, "2026-11-23"}), (std::vector{r2.id, r1.id}));
  EXPECT_EQ(ids({driver_.id, "2026-11-24"}), (std::vector{r3.id}));
  EXPECT_TRUE(ids({std::nullopt, "2026-01-01"}).empty());

  auto page = store_->list_routes(tenant_, {}, {50, std::nullopt});
  ASSERT_OK(page);
  ASSERT_EQ(page->items[0].stops.size(), 1u);  // lists carry their stops
  EXPECT_EQ(page->items[0].stops[0].shipment_ids, r3.stops[0].shipment_ids);
}

TEST_F(RoutesTest, StartMovesPlannedToInProgressAndAppendsTheEvents) {
  auto a = add_shipment(tenant_);
  auto b = add_shipment(tenant_);
  auto r = add_route(tenant_, driver_.id, {{a.id}, {b.id}});
  committed_.clear();
  auto events = start_events({a, b});
  auto started = store_->start_route(tenant_, r.id, at(100), events);
  ASSERT_OK(started);
  ASSERT_EQ(started->size(), 2u);
  EXPECT_EQ((*started)[0].id, events[0].first.id);
  EXPECT_GT((*started)[0].global_seq, 0);
  EXPECT_LT((*started)[0].global_seq, (*started)[1].global_seq);
  ASSERT_EQ(committed_.size(), 2u);
  EXPECT_EQ(committed_[1].global_seq, (*started)[1].global_seq);

  auto got = store_->get_route(tenant_, r.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->status, RouteStatus::kInProgress);
  EXPECT_EQ(got->started_at, at(100));
  auto sh = store_->get_shipment(tenant_, b.id);
  ASSERT_OK(sh);
  EXPECT_EQ(sh->status, Milestone::kOutForDelivery);
  EXPECT_EQ(sh->updated_at, at(100));
}

TEST_F(RoutesTest, SecondStartIsIllegalTransition) {
  auto a = add_shipment(tenant_);
  auto r = add_route(tenant_, driver_.id, {{a.id}});
  ASSERT_OK(store_->start_route(tenant_, r.id, at(100), start_events({a})));
  EXPECT_TRUE(fails_with(store_->start_route(tenant_, r.id, at(200), {}), ErrorCode::kIllegalTransition));
  auto got = store_->get_route(tenant_, r.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->started_at, at(100));
}

TEST_F(RoutesTest, StartWithAStaleShipmentStatusIsConflictAndChangesNothing) {
  auto a = add_shipment(tenant_);
  auto b = add_shipment(tenant_);
  auto r = add_route(tenant_, driver_.id, {{a.id}, {b.id}});
  auto events = start_events({a, b});
  // b changed after the caller read it.
  ASSERT_OK(store_->append_event(make_event(b, Milestone::kException), Milestone::kCreated));
  committed_.clear();
  EXPECT_TRUE(fails_with(store_->start_route(tenant_, r.id, at(100), events), ErrorCode::kConflict));
  EXPECT_TRUE(committed_.empty());
  auto got = store_->get_route(tenant_, r.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->status, RouteStatus::kPlanned);
  EXPECT_FALSE(got->started_at.has_value());
  auto sh = store_->get_shipment(tenant_, a.id);
  ASSERT_OK(sh);
  EXPECT_EQ(sh->status, Milestone::kCreated);  // the first event was rolled back too
}

TEST_F(RoutesTest, StartOfAnotherTenantsRouteIsNotFound) {
  auto r = add_route(tenant_, driver_.id, {{add_shipment(tenant_).id}});
  EXPECT_TRUE(fails_with(store_->start_route(add_tenant(), r.id, at(1), {}), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->start_route(tenant_, core::RouteId("rte_nope"), at(1), {}), ErrorCode::kNotFound));
}

}  // namespace
}  // namespace lastmile::storage::testing
