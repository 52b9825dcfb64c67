// Learning a tenant's ETA model from its stored visits: the legs and service times history gives,
// in the order the driver really went, and the model installed for that tenant only.
#include "pipeline/eta_learner.hpp"

#include <gtest/gtest.h>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using storage::testing::at;
using storage::testing::latlon;

// Straight legs at 10 m/s, on unknown roads.
class StraightLegs final : public eta::LegSource {
 public:
  eta::Leg leg(core::LatLon from, core::LatLon to) const override {
    eta::Leg l;
    l.distance_m = core::haversine_m(from, to);
    l.free_flow_s = l.distance_m / 10.0;
    l.class_s[static_cast<size_t>(map::RoadClass::kUnknown)] = l.free_flow_s;
    l.path = {from, to};
    return l;
  }
};

storage::StopVisitRecord visit(const char* route, int sequence, double lat, int64_t arrived_s, int64_t departed_s) {
  storage::StopVisitRecord v;
  v.route_id = core::RouteId(route);
  v.driver_id = core::DriverId("drv_a");
  v.stop_id = core::StopId(std::string("stp_") + route + std::to_string(sequence));
  v.sequence = sequence;
  v.location = latlon(lat, 7.42);
  v.service_s = 120;
  v.arrived_at = at(arrived_s);
  v.departed_at = at(departed_s);
  return v;
}

TEST(EtaHistory, LegsFollowTheOrderDrivenAndStopAtRouteBoundaries) {
  // Route r1 planned 0, 1, 2 but driven 0, 2, 1 (by arrival time); route r2 one stop.
  const std::vector<storage::StopVisitRecord> visits{
      visit("r1", 0, 43.730, 0, 100), visit("r1", 1, 43.740, 700, 800), visit("r1", 2, 43.735, 300, 400),
      visit("r2", 0, 43.750, 5000, 5100)};
  const auto h = history_from_visits(visits, StraightLegs(), 0);
  ASSERT_EQ(h.legs.size(), 2u);  // 0 → 2 and 2 → 1; nothing across routes
  EXPECT_DOUBLE_EQ(h.legs[0].actual_s, 200);  // departed 0 at 100, arrived 2 at 300
  EXPECT_DOUBLE_EQ(h.legs[1].actual_s, 300);  // departed 2 at 400, arrived 1 at 700
  EXPECT_NEAR(h.legs[0].predicted[static_cast<size_t>(map::RoadClass::kUnknown)], 556 / 10.0, 1);
  ASSERT_EQ(h.services.size(), 4u);
  EXPECT_DOUBLE_EQ(h.services[0].actual_s, 100);
  EXPECT_DOUBLE_EQ(h.services[0].planned_s, 120);
  EXPECT_EQ(h.services[0].place, eta::place_key(latlon(43.730, 7.42)));
}

TEST(EtaHistory, VisitsWithoutCoordinatesGiveNoLeg) {
  auto a = visit("r1", 0, 43.730, 0, 100);
  auto b = visit("r1", 1, 43.740, 700, 800);
  b.location.reset();
  const auto h = history_from_visits({a, b}, StraightLegs(), 0);
  EXPECT_TRUE(h.legs.empty());
  EXPECT_EQ(h.services.size(), 1u);
}

class EtaLearnerTest : public storage::testing::StoreTest {};

TEST_F(EtaLearnerTest, ATenantsStoredVisitsTeachItsModelOnly) {
  const auto tenant = add_tenant();
  const auto other = add_tenant();
  const auto driver = add_driver(tenant);
  // 30 routes of 3 stops 1 km apart, visited in order: each kilometre takes 150 s where the legs
  // say 100 s; each stop 120 s as planned.
  core::ManualClock clock{at(100'000)};
  int64_t t = 0;
  for (int r = 0; r < 30; ++r) {
    auto route = storage::testing::make_route(tenant, driver.id, {{add_shipment(tenant).id}, {add_shipment(tenant).id},
                                                                  {add_shipment(tenant).id}});
    for (int i = 0; i < 3; ++i) route.stops[i].location = latlon(43.70 + i * 0.008993, 7.42);
    ASSERT_TRUE(store_->create_route(route, nullptr).ok());
    ASSERT_TRUE(store_->start_route(tenant, route.id, at(t), {}).ok());
    for (int i = 0; i < 3; ++i) {
      const int64_t arrive = t + i * (150 + 120), leave = arrive + 120;
      ASSERT_TRUE(store_->record_route_progress(tenant, storage::StopVisit{route.id, route.stops[i].id, at(arrive),
                                                                           at(leave), domain::StopStatus::kCompleted},
                                                {}).ok());
    }
    t += 3600;
  }
  StraightLegs legs;
  eta::ModelRegistry models;
  EtaLearnerOptions o;
  o.background = false;
  o.history_days = 28;
  EtaLearner learner(*store_, clock, legs, models, o);
  auto model = learner.learn_tenant(tenant);
  ASSERT_TRUE(model.ok()) << model.error().message;
  EXPECT_EQ((*model)->legs(), 60u);
  EXPECT_EQ((*model)->services(), 90u);
  map::ClassDurations predicted{};
  predicted[static_cast<size_t>(map::RoadClass::kUnknown)] = 100;
  const double learned = models.get(tenant)->travel_s(predicted, driver.id, 10);
  EXPECT_GT(learned, 130);
  EXPECT_LT(learned, 160);
  // The other tenant keeps the identity model.
  EXPECT_DOUBLE_EQ(models.get(other)->travel_s(predicted, driver.id, 10), 100);
  learner.learn_all();
  EXPECT_FALSE(models.get(other)->learned());
  EXPECT_TRUE(models.get(tenant)->learned());
}

}  // namespace
}  // namespace lastmile::pipeline
