#pragma once
// POST /v1/optimize's model: a tenant's shipments and drivers for a day turned into an
// optimize::Problem (the road-network matrix of the routing service, promised windows as hard time
// windows, or soft ones with a lateness penalty, parcels and kilograms as two capacity dimensions,
// drivers' breaks), solved, and the solution turned back into timed routes. No HTTP or storage here:
// the handler reads the rows and writes the routes.
//
// Times in the problem are seconds since the earliest shift start. A cell the road network cannot
// route (a one-way trap, another island) costs kUnreachableS, so no plan uses it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"
#include "map/routing_service.hpp"

namespace lastmile::api {

inline constexpr double kUnreachableS = 1e7;

struct PlanWindow {
  core::Timestamp start;
  core::Timestamp end;
};

// A driver's break: taken once on every route the driver gets, starting inside one of `windows`
// (sorted, disjoint), lasting `duration_s`; it has no place of its own (taken where the driver is).
struct PlanBreak {
  std::string id;  // the client's name for it, unique per driver
  int duration_s = 0;
  std::vector<PlanWindow> windows;
};

struct PlanDriver {
  core::DriverId driver_id;
  std::optional<core::VehicleId> vehicle_id;
  int64_t capacity = 0;    // parcels
  double capacity_kg = 0;  // 0: no weight limit
  core::Timestamp shift_start;
  core::Timestamp shift_end;
  core::LatLon start = *core::LatLon::from_unsafe({0, 0});
  core::LatLon end = *core::LatLon::from_unsafe({0, 0});
  std::vector<PlanBreak> breaks;
};

struct PlanInput {
  std::vector<domain::Shipment> shipments;  // each with an address location
  std::vector<PlanDriver> drivers;
  int service_s = 120;  // per stop
  double time_limit_s = 2;
  uint64_t seed = 1;
  // Set: promised windows are soft (a stop may start after its window closes, each second late costs
  // this much against a second of driving). Unset: hard windows.
  std::optional<double> lateness_penalty;
};

struct PlannedStop {
  std::size_t shipment = 0;  // index into PlanInput::shipments
  core::Timestamp arrival;
  core::Timestamp eta;  // service start (after waiting for the window)
  double waiting_s = 0;
  double lateness_s = 0;  // eta − the promised window's end, when positive (soft windows only)
};

struct PlannedBreak {
  std::size_t brk = 0;          // index into PlanDriver::breaks
  std::size_t after_stops = 0;  // stops of the route served before it
  core::Timestamp start_at;
  core::Timestamp end_at;
  double waiting_s = 0;         // for its window to open
};

struct PlannedRoute {
  std::size_t driver = 0;  // index into PlanInput::drivers
  std::vector<PlannedStop> stops;
  core::Timestamp start_at;
  core::Timestamp end_at;  // back at the end depot
  double distance_m = 0;
  double duration_s = 0;  // travel only
  double lateness_s = 0;  // sum over the stops
  std::vector<PlannedBreak> breaks;  // in the order taken
};

struct Unplanned {
  std::size_t shipment = 0;
  std::string reason;  // capacity | time_window | unreachable | fleet_full
};

struct DayPlan {
  map::RouteSource source = map::RouteSource::kGreatCircle;
  std::vector<PlannedRoute> routes;  // drivers with at least one stop, in driver order
  std::vector<Unplanned> unassigned;
  bool feasible = false;  // the independent checker's verdict (always true unless a bug)
};

// Errors: kNotRoutable naming a point outside the map, kUnavailable when an external router fails.
core::Result<DayPlan> plan_day(const map::RoutingService& routing, const PlanInput& input);

}  // namespace lastmile::api
