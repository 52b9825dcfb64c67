// Re-planned routes (storage/route_plan_store.hpp): a new visit order, stops moved between routes with
// their shipments, ETAs and events in one transaction; a re-sequence's new break places; a stale plan, a
// bad order or breaks not the route's write nothing.
#include "storage/route_plan_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

class RoutePlansTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    plans_ = dynamic_cast<RoutePlanStore*>(store_.get());
    ASSERT_NE(plans_, nullptr);
    tenant_ = add_tenant();
    auto driver = add_driver(tenant_);
    for (int i = 0; i < 4; ++i) shipments_.push_back(add_shipment(tenant_).id);
    a_ = add_route(tenant_, driver.id, {{shipments_[0]}, {shipments_[1]}, {shipments_[2]}});
    b_ = add_route(tenant_, add_driver(tenant_).id, {{shipments_[3]}});
  }

  static std::vector<core::StopId> ids(const domain::Route& r) {
    std::vector<core::StopId> out;
    for (const auto& s : r.stops) out.push_back(s.id);
    return out;
  }

  domain::Route read(const domain::Route& r) {
    auto got = store_->get_route(tenant_, r.id);
    EXPECT_OK(got);
    return got ? *got : domain::Route{};
  }

  RoutePlanStore* plans_ = nullptr;
  core::TenantId tenant_;
  std::vector<core::ShipmentId> shipments_;
  domain::Route a_, b_;
};

TEST_F(RoutePlansTest, ReordersStopsAndStoresEtasAndEvents) {
  const auto before = ids(a_);
  const std::vector order{before[2], before[0], before[1]};
  const std::vector<StopEta> etas{{before[2], at(60), at(0), at(120)}};
  auto sh = store_->get_shipment(tenant_, shipments_[2]);
  ASSERT_OK(sh);
  auto event = make_event(*sh, std::nullopt, at(10));
  event.type = "eta_changed";
  auto written =
      plans_->replan_routes(tenant_, {{a_.id, before, order}}, etas, {{event, domain::Milestone::kCreated}});
  ASSERT_OK(written);
  ASSERT_EQ(written->size(), 1u);
  EXPECT_EQ((*written)[0].type, "eta_changed");
  const auto got = read(a_);
  EXPECT_EQ(ids(got), order);
  EXPECT_EQ(got.stops[0].sequence, 0);
  EXPECT_EQ(got.stops[2].sequence, 2);
  EXPECT_EQ(got.stops[0].eta, at(60));
  EXPECT_EQ(got.stops[0].eta_latest, at(120));
  EXPECT_EQ(got.stops[0].shipment_ids, (std::vector{shipments_[2]}));
}

TEST_F(RoutePlansTest, MovesAStopWithItsShipmentToAnotherRoute) {
  const auto from = ids(a_), to = ids(b_);
  ASSERT_OK(plans_->replan_routes(tenant_, {{a_.id, from, {from[0], from[2]}}, {b_.id, to, {from[1], to[0]}}},
                                  {}, {}));
  EXPECT_EQ(ids(read(a_)), (std::vector{from[0], from[2]}));
  const auto got = read(b_);
  EXPECT_EQ(ids(got), (std::vector{from[1], to[0]}));
  EXPECT_EQ(got.stops[0].shipment_ids, (std::vector{shipments_[1]}));
  auto moved = store_->get_shipment(tenant_, shipments_[1]);
  ASSERT_OK(moved);
  EXPECT_EQ(moved->route_id, b_.id);
  EXPECT_EQ(moved->stop_id, from[1]);
}

TEST_F(RoutePlansTest, AStalePlanOrABadOrderWritesNothing) {
  const auto from = ids(a_);
  const std::vector reversed{from[2], from[1], from[0]};
  // Planned from an order that is no longer stored.
  auto stale = plans_->replan_routes(tenant_, {{a_.id, reversed, from}}, {}, {});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, core::ErrorCode::kConflict);
  // Not a permutation: a stop dropped, or one listed twice.
  auto dropped = plans_->replan_routes(tenant_, {{a_.id, from, {from[0], from[1]}}}, {}, {});
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().code, core::ErrorCode::kInvalidField);
  auto twice = plans_->replan_routes(tenant_, {{a_.id, from, {from[0], from[0], from[1]}}}, {}, {});
  ASSERT_FALSE(twice.ok());
  // Another tenant's route.
  auto other = plans_->replan_routes(add_tenant(), {{a_.id, from, reversed}}, {}, {});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(ids(read(a_)), from);  // untouched by every refused call
}

TEST_F(RoutePlansTest, AReSequenceMovesTheRoutesBreaksWithItsStops) {
  auto r = make_route(tenant_, add_driver(tenant_).id, {{add_shipment(tenant_).id}, {add_shipment(tenant_).id}});
  r.breaks.push_back({"coffee", 0, 600, std::nullopt});
  r.breaks.push_back({"lunch", 1, 1800, domain::TimeWindow{at(3600), at(7200)}});
  ASSERT_OK(store_->create_route(r, nullptr));
  const auto order = ids(r);
  const std::vector reversed{order[1], order[0]};

  RouteStopsChange change{r.id, order, reversed};
  change.breaks = std::vector<domain::RouteBreak>{{"coffee", 0, 600, std::nullopt},
                                                  {"lunch", 2, 1800, domain::TimeWindow{at(3600), at(7200)}}};
  ASSERT_OK(plans_->replan_routes(tenant_, {change}, {}, {}));
  auto got = read(r);
  EXPECT_EQ(ids(got), reversed);
  ASSERT_EQ(got.breaks.size(), 2u);
  EXPECT_EQ(got.breaks[1].id, "lunch");
  EXPECT_EQ(got.breaks[1].after_stops, 2);
  ASSERT_TRUE(got.breaks[1].window.has_value());
  EXPECT_EQ(got.breaks[1].window->end, at(7200));

  // Breaks that are not the route's (one unknown, one missing) are refused and nothing is written.
  RouteStopsChange bad{r.id, reversed, order};
  bad.breaks = std::vector<domain::RouteBreak>{{"coffee", 0, 600, std::nullopt}, {"nap", 1, 900, std::nullopt}};
  auto refused = plans_->replan_routes(tenant_, {bad}, {}, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidField);
  EXPECT_EQ(refused.error().field, "breaks");
  bad.breaks->pop_back();
  EXPECT_FALSE(plans_->replan_routes(tenant_, {bad}, {}, {}).ok());
  got = read(r);
  EXPECT_EQ(ids(got), reversed);
  ASSERT_EQ(got.breaks.size(), 2u);
  EXPECT_EQ(got.breaks[1].after_stops, 2);
}

}  // namespace
}  // namespace lastmile::storage::testing
