// Route and stop statuses appear in API bodies ("status":"planned", "status":"pending").
#include "domain/entities.hpp"

#include <gtest/gtest.h>

namespace lastmile::domain {
namespace {

TEST(RouteStatus, StableNames) {
  EXPECT_EQ(route_status_name(RouteStatus::kPlanned), "planned");
  EXPECT_EQ(route_status_name(RouteStatus::kInProgress), "in_progress");
  EXPECT_EQ(route_status_name(RouteStatus::kCompleted), "completed");
  EXPECT_EQ(route_status_name(RouteStatus::kCancelled), "cancelled");
}

TEST(StopStatus, StableNames) {
  EXPECT_EQ(stop_status_name(StopStatus::kPending), "pending");
  EXPECT_EQ(stop_status_name(StopStatus::kArrived), "arrived");
  EXPECT_EQ(stop_status_name(StopStatus::kCompleted), "completed");
  EXPECT_EQ(stop_status_name(StopStatus::kFailed), "failed");
  EXPECT_EQ(stop_status_name(StopStatus::kSkipped), "skipped");
}

TEST(Entities, NewShipmentAndRouteDefaults) {
  Shipment s;
  EXPECT_EQ(s.status, Milestone::kCreated);
  EXPECT_FALSE(s.promised);
  EXPECT_FALSE(s.route_id);
  Route r;
  EXPECT_EQ(r.status, RouteStatus::kPlanned);
  EXPECT_FALSE(r.started_at);
  Stop stop;
  EXPECT_EQ(stop.status, StopStatus::kPending);
  EXPECT_FALSE(stop.eta);
  Tenant t;
  EXPECT_EQ(t.show_driver_within_stops, 1);  // the privacy rule's default
}

}  // namespace
}  // namespace lastmile::domain
