#pragma once
// Route progress: what a geofence arrival or departure means for a route's stops and shipments,
// and which customers may see the driver's position. Pure: a RouteView in, decisions out; the
// caller stores them (pipeline/route_tracker.hpp) and applies them to the view.
//
// Rules (issue 3, DESIGN R5/R8/R9):
//  - Depot departure: with the depot_departure trigger, every shipment of the route that may go
//    out for delivery becomes out_for_delivery. Then the next stop's shipments become arriving.
//  - Stop arrival: the stop records arrived_at and becomes arrived; each of its shipments gets a
//    "driver_arrived" event, and one still out_for_delivery becomes arriving (stops visited out of
//    order).
//  - Stop departure: the stop records departed_at; it becomes completed when every shipment on it
//    has reached a final or failed-attempt status, else it stays arrived (the driver may still
//    report the delivery). Each shipment gets a "driver_departed" event; then the next stop's
//    out_for_delivery shipments become arriving.
//  - Without `arriving` (the tenant turned the milestone off) no shipment becomes arriving here.
//  - The next stop is the first stop in sequence order not yet departed whose shipments are not all
//    finished.
//  - Location privacy: a customer may see the driver's position only while their shipment is
//    out_for_delivery or arriving (never before, never after delivery) and their stop is among the
//    next N open stops (N = tenant.show_driver_within_stops; 0 = never).
//
// Threading: none; a RouteView belongs to its driver's shard.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"

namespace lastmile::tracking {

struct RouteView {
  domain::Route route;  // with its stops (arrived_at / departed_at / status kept current)
  std::unordered_map<core::ShipmentId, domain::Milestone> status;  // every shipment on the route
  domain::OutForDeliveryTrigger trigger = domain::OutForDeliveryTrigger::kDepotDeparture;
  int show_driver_within_stops = 1;
  bool arriving = true;  // the tenant uses the automatic arriving milestone (tenant.arriving_milestone)
  bool depot_departed = false;
};

// One shipment event to store. With `to` set, a milestone change expected from `from`.
struct ShipmentChange {
  core::ShipmentId shipment_id;
  std::string type;                    // milestone name, "driver_arrived" or "driver_departed"
  std::optional<domain::Milestone> to;
  domain::Milestone from = domain::Milestone::kCreated;
  std::optional<core::StopId> stop_id;
};

struct StopChange {
  size_t stop_index = 0;  // into route.stops
  std::optional<core::Timestamp> arrived_at;
  std::optional<core::Timestamp> departed_at;
  std::optional<domain::StopStatus> status;
};

struct Progress {
  std::optional<StopChange> stop;
  std::vector<ShipmentChange> changes;
};

// Each function decides and applies its decisions to `view` (statuses, stop fields), so the next
// call sees them. A repeated or meaningless signal (second depot departure, a departure from a
// stop never arrived at) yields an empty Progress.
Progress on_depot_departure(RouteView& view);
Progress on_stop_arrival(RouteView& view, size_t stop_index, core::Timestamp at);
Progress on_stop_departure(RouteView& view, size_t stop_index, core::Timestamp at);
// Records `shipment`'s new status; when it finishes the last open shipment of a stop the driver has
// already left (the delivery reached the route after the departure fix, e.g. an app that was offline),
// that stop completes now.
Progress on_shipment_status(RouteView& view, const core::ShipmentId& shipment, domain::Milestone status);

// Index of the next stop (see rules), nullopt when every stop is done.
std::optional<size_t> next_stop(const RouteView& view);
// Indices of every open stop (not departed, some shipment not finished), in sequence order: what
// is still to visit. The first is next_stop().
std::vector<size_t> open_stops(const RouteView& view);
// The shipments that may see the driver's position now (location privacy rule above).
std::vector<core::ShipmentId> position_audience(const RouteView& view);
// Whether `shipment` may see the driver's position now.
bool may_see_position(const RouteView& view, const core::ShipmentId& shipment);
// Open stops (see next_stop) visited before the stop of `shipment`; nullopt when it is on no stop
// of the route or its own stop is no longer open.
std::optional<int> stops_before(const RouteView& view, const core::ShipmentId& shipment);

}  // namespace lastmile::tracking
