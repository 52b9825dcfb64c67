#pragma once
// Re-planning started routes (docs/optimization.md), without HTTP or storage: a route's open stops
// re-sequenced from the driver's live position (the solver, one vehicle, windows kept where possible,
// lateness allowed rather than a stop dropped), and stops moved to other routes by cheapest insertion
// (no new lateness on the receiving route, the receiving route's order otherwise kept). Timings use the
// routing service's matrix (road network with --map, great circle otherwise) from `at`, the moment
// the plan starts.

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

struct LiveStop {
  core::StopId id;
  std::vector<core::ShipmentId> shipment_ids;
  core::LatLon location = *core::LatLon::from_unsafe({0, 0});
  int service_s = 0;
  std::optional<domain::TimeWindow> window;  // the promised windows of its shipments, intersected
  std::optional<core::Timestamp> stored_eta;
  std::size_t point = 0;  // set by ReplanMatrix::build
};

// A break of the route still to be taken (domain::RouteBreak), before open[before] in whatever order
// the open stops end up (open.size() or more: after the last one, delaying only the return).
struct BreakLeft {
  std::string id;  // domain::RouteBreak::id
  std::size_t before = 0;
  double duration_s = 0;
  std::optional<core::Timestamp> earliest, latest;  // the break's window
};

// The breaks of `route` not yet taken when `done` of its stops are no longer pending
// (domain::breaks_pending); one before the first stop is left while the route is only planned.
std::vector<BreakLeft> breaks_left(const domain::Route& route, std::size_t done);

// The route's breaks after a re-plan that placed `left` (the breaks left, `before` counted among the
// open stops) when `done` stops are no longer pending: the breaks already taken as stored, then
// `left` at after_stops = done + before, in the order taken.
std::vector<domain::RouteBreak> breaks_after(const domain::Route& route, std::size_t done,
                                             const std::vector<BreakLeft>& left);

// A route from the driver's position on: the open stops in their current order.
struct LiveRoute {
  domain::Route route;  // as stored
  core::LatLon from = *core::LatLon::from_unsafe({0, 0});
  core::Timestamp at;
  std::vector<LiveStop> open;
  std::vector<BreakLeft> breaks;  // taken where the driver is, starting no earlier than `earliest`
  std::size_t from_point = 0, end_point = 0;  // set by ReplanMatrix::build
};

struct TimedStop {
  core::StopId id;
  core::Timestamp arrival;
  core::Timestamp eta;  // service start
  double late_s = 0;    // after the window's end
};

struct Timing {
  std::vector<TimedStop> stops;
  core::Timestamp end_at;  // back at the depot
  double travel_s = 0;
  int late_stops = 0;
  double late_s = 0;
};

class ReplanMatrix {
 public:
  // Sets the point indices of `routes` and asks the routing service for their matrix. Errors as
  // RoutingService::matrix (kNotRoutable naming a point outside the map).
  static core::Result<ReplanMatrix> build(const map::RoutingService& routing, std::vector<LiveRoute*> routes);
  double duration(std::size_t from, std::size_t to) const;
  map::RouteSource source() const { return source_; }

 private:
  std::size_t size_ = 0;
  std::vector<double> durations_;
  map::RouteSource source_ = map::RouteSource::kGreatCircle;
};

// The timing of `route` visiting `stops` (from its open stops) in that order, its breaks included
// (`breaks`, else route.breaks).
Timing time_route(const LiveRoute& route, const std::vector<LiveStop>& stops, const ReplanMatrix& m);
Timing time_route(const LiveRoute& route, const std::vector<LiveStop>& stops, const std::vector<BreakLeft>& breaks,
                  const ReplanMatrix& m);

struct Resequenced {
  std::vector<LiveStop> order;    // the proposed order of the open stops
  std::vector<BreakLeft> breaks;  // the breaks left, placed among `order` (as route.breaks when kept)
  Timing before, after;
  bool improved = false;  // false: the current order and breaks are kept (after == before)
};

// The best order found within `time_limit_s`: fewer late stops, then an earlier return. The solver also
// places the breaks left, each inside its window where it can (one whose window has closed: as soon as
// possible); the proposal keeps the breaks where they were when that times better.
Resequenced resequence(const LiveRoute& route, const ReplanMatrix& m, double time_limit_s, uint64_t seed);

struct Moved {
  core::StopId stop;
  std::size_t to = 0;  // index into the candidates
};

struct Reassigned {
  std::vector<LiveStop> from_after;             // the source route's open stops left
  std::vector<std::vector<LiveStop>> to_after;  // per candidate, its open stops after
  Timing from_before, from_timing;
  std::vector<Timing> to_before, to_timing;
  std::vector<BreakLeft> from_breaks;             // the source route's breaks left, `before` among from_after
  std::vector<std::vector<BreakLeft>> to_breaks;  // per candidate, `before` among its to_after
  std::vector<Moved> moved;
  std::vector<core::StopId> not_moved;  // no candidate takes it without new lateness
};

// Moves `stops` (ids of from.open) one by one, in from's order, each to the cheapest position (least
// added travel) among the candidates' open stops that makes no stop of that route later than its
// window and the moved stop on time. Every break left stays between the same stops of its route; a
// stop inserted where a break is taken goes before or after the break, whichever times better.
Reassigned reassign(const LiveRoute& from, const std::vector<core::StopId>& stops,
                    const std::vector<LiveRoute>& candidates, const ReplanMatrix& m);

}  // namespace lastmile::api
