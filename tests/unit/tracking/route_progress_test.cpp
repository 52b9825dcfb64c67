// Route progress: what leaving the depot, arriving at and leaving a stop do to a route's shipments,
// and the location-privacy rule — one test per rule.
#include "tracking/route_progress.hpp"

#include <gtest/gtest.h>

namespace lastmile::tracking {
namespace {

using domain::Milestone;

core::ShipmentId shp(const std::string& s) { return core::ShipmentId("shp_" + s); }

// A route of three stops: A (one shipment), B (two), C (one), all shipped.
RouteView three_stops(int within = 1) {
  RouteView v;
  v.route.id = core::RouteId("rte_1");
  const std::vector<std::vector<std::string>> stops = {{"a"}, {"b1", "b2"}, {"c"}};
  for (size_t i = 0; i < stops.size(); ++i) {
    domain::Stop s;
    s.id = core::StopId("stp_" + std::to_string(i));
    s.sequence = static_cast<int>(i);
    for (const auto& name : stops[i]) {
      s.shipment_ids.push_back(shp(name));
      v.status[shp(name)] = Milestone::kShipped;
    }
    v.route.stops.push_back(s);
  }
  v.show_driver_within_stops = within;
  return v;
}

std::vector<std::string> types_for(const Progress& p, const core::ShipmentId& id) {
  std::vector<std::string> out;
  for (const auto& c : p.changes)
    if (c.shipment_id == id) out.push_back(c.type);
  return out;
}

const core::Timestamp kT{1'795'000'000'000};

TEST(RouteProgressTest, LeavingTheDepotPutsEveryShipmentOutForDeliveryAndTheFirstStopArriving) {
  auto v = three_stops();
  auto p = on_depot_departure(v);
  EXPECT_EQ(types_for(p, shp("a")), (std::vector<std::string>{"out_for_delivery", "arriving"}));
  EXPECT_EQ(types_for(p, shp("b1")), (std::vector<std::string>{"out_for_delivery"}));
  EXPECT_EQ(v.status[shp("a")], Milestone::kArriving);
  EXPECT_EQ(v.status[shp("c")], Milestone::kOutForDelivery);
  EXPECT_FALSE(p.stop.has_value());
  for (const auto& c : p.changes) {
    ASSERT_TRUE(c.to.has_value());
    EXPECT_TRUE(domain::transition_allowed(c.from, *c.to)) << c.type;
  }
}

TEST(RouteProgressTest, ASecondDepotDepartureChangesNothing) {
  auto v = three_stops();
  on_depot_departure(v);
  EXPECT_TRUE(on_depot_departure(v).changes.empty());
}

TEST(RouteProgressTest, WithTheRouteStartTriggerTheDepotOnlyAnnouncesTheNextStop) {
  auto v = three_stops();
  v.trigger = domain::OutForDeliveryTrigger::kRouteStart;
  for (auto& [id, m] : v.status) m = Milestone::kOutForDelivery;  // done when the route started
  auto p = on_depot_departure(v);
  EXPECT_EQ(types_for(p, shp("a")), (std::vector<std::string>{"arriving"}));
  EXPECT_TRUE(types_for(p, shp("b1")).empty());
}

TEST(RouteProgressTest, WithoutTheArrivingMilestoneNoShipmentBecomesArriving) {
  auto v = three_stops();
  v.arriving = false;  // the tenant's settings: milestones.arriving = false
  auto p = on_depot_departure(v);
  EXPECT_EQ(types_for(p, shp("a")), (std::vector<std::string>{"out_for_delivery"}));
  p = on_stop_arrival(v, 2, kT);  // out of order: would be arriving
  EXPECT_EQ(types_for(p, shp("c")), (std::vector<std::string>{"driver_arrived"}));
  EXPECT_EQ(v.status[shp("c")], Milestone::kOutForDelivery);
}

TEST(RouteProgressTest, ArrivalRecordsTheTimeAndNotesEachShipment) {
  auto v = three_stops();
  on_depot_departure(v);
  auto p = on_stop_arrival(v, 0, kT);
  ASSERT_TRUE(p.stop.has_value());
  EXPECT_EQ(p.stop->arrived_at, kT);
  EXPECT_EQ(p.stop->status, domain::StopStatus::kArrived);
  EXPECT_EQ(types_for(p, shp("a")), (std::vector<std::string>{"driver_arrived"}));
  EXPECT_EQ(v.route.stops[0].arrived_at, kT);
}

TEST(RouteProgressTest, ArrivingOutOfOrderMakesThatStopsShipmentsArriving) {
  auto v = three_stops();
  on_depot_departure(v);
  auto p = on_stop_arrival(v, 2, kT);  // C before A and B
  EXPECT_EQ(types_for(p, shp("c")), (std::vector<std::string>{"driver_arrived", "arriving"}));
}

TEST(RouteProgressTest, DepartureAfterDeliveryCompletesTheStopAndAnnouncesTheNext) {
  auto v = three_stops();
  on_depot_departure(v);
  on_stop_arrival(v, 0, kT);
  v.status[shp("a")] = Milestone::kDelivered;  // the driver reported the delivery
  auto p = on_stop_departure(v, 0, core::Timestamp{kT.ms + 60'000});
  ASSERT_TRUE(p.stop.has_value());
  EXPECT_EQ(p.stop->departed_at, core::Timestamp{kT.ms + 60'000});
  EXPECT_EQ(p.stop->status, domain::StopStatus::kCompleted);
  EXPECT_EQ(types_for(p, shp("b1")), (std::vector<std::string>{"arriving"}));
  EXPECT_EQ(types_for(p, shp("b2")), (std::vector<std::string>{"arriving"}));
  EXPECT_TRUE(types_for(p, shp("a")).empty()) << "a delivered shipment gets no departure note";
}

TEST(RouteProgressTest, DepartureWithoutDeliveryKeepsTheStopArrived) {
  auto v = three_stops();
  on_depot_departure(v);
  on_stop_arrival(v, 0, kT);
  auto p = on_stop_departure(v, 0, core::Timestamp{kT.ms + 1000});
  ASSERT_TRUE(p.stop.has_value());
  EXPECT_FALSE(p.stop->status.has_value());
  EXPECT_EQ(types_for(p, shp("a")), (std::vector<std::string>{"driver_departed"}));
}

TEST(RouteProgressTest, ADeliveryReportedAfterTheDepartureCompletesTheStopThen) {
  auto v = three_stops();
  on_depot_departure(v);
  on_stop_arrival(v, 1, kT);
  on_stop_departure(v, 1, core::Timestamp{kT.ms + 1000});  // b1 and b2 still open: the stop stays arrived
  auto first = on_shipment_status(v, shp("b1"), Milestone::kDelivered);
  EXPECT_FALSE(first.stop.has_value()) << "b2 is still open";
  auto last = on_shipment_status(v, shp("b2"), Milestone::kAttemptFailed);
  ASSERT_TRUE(last.stop.has_value());
  EXPECT_EQ(last.stop->stop_index, 1u);
  EXPECT_EQ(last.stop->status, domain::StopStatus::kCompleted);
  EXPECT_FALSE(last.stop->departed_at.has_value()) << "the departure time was recorded already";
  EXPECT_EQ(v.route.stops[1].status, domain::StopStatus::kCompleted);
  EXPECT_FALSE(on_shipment_status(v, shp("b2"), Milestone::kAttemptFailed).stop.has_value()) << "once";
}

TEST(RouteProgressTest, AStatusOfAStopNotYetLeftOrOfAnotherRouteCompletesNothing) {
  auto v = three_stops();
  on_depot_departure(v);
  on_stop_arrival(v, 0, kT);
  EXPECT_FALSE(on_shipment_status(v, shp("a"), Milestone::kDelivered).stop.has_value()) << "still at the stop";
  EXPECT_EQ(v.status[shp("a")], Milestone::kDelivered);
  EXPECT_FALSE(on_shipment_status(v, shp("elsewhere"), Milestone::kDelivered).stop.has_value());
  EXPECT_EQ(v.status.count(shp("elsewhere")), 0u);
}

TEST(RouteProgressTest, DepartureFromAStopNeverArrivedAtIsIgnored) {
  auto v = three_stops();
  on_depot_departure(v);
  auto p = on_stop_departure(v, 1, kT);
  EXPECT_FALSE(p.stop.has_value());
  EXPECT_TRUE(p.changes.empty());
  EXPECT_TRUE(on_stop_arrival(v, 7, kT).changes.empty()) << "an index outside the route";
}

TEST(RouteProgressTest, NextStopSkipsDepartedAndFinishedStops) {
  auto v = three_stops();
  EXPECT_EQ(next_stop(v), 0u);
  v.status[shp("a")] = Milestone::kDelivered;
  EXPECT_EQ(next_stop(v), 1u);
  v.route.stops[1].departed_at = kT;
  EXPECT_EQ(next_stop(v), 2u);
  v.status[shp("c")] = Milestone::kAttemptFailed;
  EXPECT_FALSE(next_stop(v).has_value());
}

// Location privacy, rule by rule.
TEST(RouteProgressTest, PrivacyNoPositionBeforeOutForDelivery) {
  auto v = three_stops();
  EXPECT_FALSE(may_see_position(v, shp("a"))) << "shipped, the route not yet left the depot";
}

TEST(RouteProgressTest, PrivacyOnlyTheNextNStopsSeeThePosition) {
  auto v = three_stops(/*within=*/1);
  on_depot_departure(v);
  EXPECT_TRUE(may_see_position(v, shp("a")));
  EXPECT_FALSE(may_see_position(v, shp("b1")));
  EXPECT_FALSE(may_see_position(v, shp("c")));
  auto wider = three_stops(/*within=*/2);
  on_depot_departure(wider);
  EXPECT_TRUE(may_see_position(wider, shp("b2")));
  EXPECT_FALSE(may_see_position(wider, shp("c")));
  auto never = three_stops(/*within=*/0);
  on_depot_departure(never);
  EXPECT_TRUE(position_audience(never).empty());
}

TEST(RouteProgressTest, PrivacyNeverAfterDelivery) {
  auto v = three_stops();
  on_depot_departure(v);
  on_stop_arrival(v, 0, kT);
  EXPECT_TRUE(may_see_position(v, shp("a")));
  v.status[shp("a")] = Milestone::kDelivered;
  EXPECT_FALSE(may_see_position(v, shp("a")));
  EXPECT_TRUE(may_see_position(v, shp("b1"))) << "the next customer's turn";
}

TEST(RouteProgressTest, StopsBeforeCountsOpenStopsOnly) {
  auto v = three_stops();
  EXPECT_EQ(stops_before(v, shp("c")), 2);
  v.status[shp("a")] = Milestone::kDelivered;
  EXPECT_EQ(stops_before(v, shp("c")), 1);
  EXPECT_EQ(stops_before(v, shp("a")), std::nullopt) << "its own stop is done";
  EXPECT_EQ(stops_before(v, shp("zzz")), std::nullopt);
}

}  // namespace
}  // namespace lastmile::tracking
