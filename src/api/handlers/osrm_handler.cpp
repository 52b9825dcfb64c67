// The OSRM-compatible subset: GET /route/v1/driving/{coordinates} and
// GET /table/v1/driving/{coordinates}, answered from the same RoutingService as /v1/route, in
// OSRM's shapes (api/osrm_json.hpp), so OSRM clients can point at lastmile.
#include <boost/json.hpp>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "api/osrm_json.hpp"
#include "api/routing_json.hpp"
#include "map/routing_service.hpp"

namespace lastmile::api::handlers {

namespace {

constexpr size_t kMaxRouteWaypoints = 100;

// Where `query` lies on the road network (itself for great-circle answers), with its street name.
std::variant<OsrmWaypoint, OsrmError> waypoint_of(const map::RoutingService& routing, core::LatLon query) {
  const map::Router* router = routing.router();
  if (router == nullptr) return OsrmWaypoint{query, 0, ""};
  auto snap = router->snap(query);
  if (!snap) return osrm_error(snap.error());
  const map::Graph& g = router->graph();
  return OsrmWaypoint{snap->point, snap->distance_m, std::string(g.name(g.edge(snap->edge).name))};
}

Result<Reply> unavailable() {
  return osrm_error_reply({"InvalidService", "routing is not enabled on this server"});
}

}  // namespace

Result<Reply> osrm_route(const Services& s, RequestContext& ctx) {
  if (s.routing == nullptr) return unavailable();
  auto coordinates = parse_osrm_coordinates(ctx.param(0));
  if (auto* e = std::get_if<OsrmError>(&coordinates)) return osrm_error_reply(*e);
  const auto& points = std::get<std::vector<core::LatLon>>(coordinates);
  if (points.size() < 2) return osrm_error_reply({"InvalidQuery", "a route needs at least two coordinates"});
  if (points.size() > kMaxRouteWaypoints) {
    return osrm_error_reply({"TooBig", "at most " + std::to_string(kMaxRouteWaypoints) + " coordinates"});
  }
  auto geometry = parse_osrm_geometry(ctx.query("overview"), ctx.query("geometries"));
  if (auto* e = std::get_if<OsrmError>(&geometry)) return osrm_error_reply(*e);

  std::vector<map::RouteAnswer> legs;
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    auto leg = s.routing->route(points[i], points[i + 1]);
    if (!leg) return osrm_error_reply(osrm_error(leg.error()));
    legs.push_back(std::move(*leg));
  }
  std::vector<OsrmWaypoint> waypoints;
  for (size_t i = 0; i < points.size(); ++i) {
    // Each waypoint where its leg starts (the last where the last leg ends).
    const core::LatLon at = i < legs.size() ? legs[i].snapped_from : legs.back().snapped_to;
    auto w = waypoint_of(*s.routing, at);
    if (auto* e = std::get_if<OsrmError>(&w)) return osrm_error_reply(*e);
    OsrmWaypoint wp = std::get<OsrmWaypoint>(w);
    wp.location = at;
    wp.distance_m = core::haversine_m(points[i], at);
    waypoints.push_back(std::move(wp));
  }
  return json_reply(200, to_json(osrm_route_json(legs, waypoints, std::get<OsrmGeometry>(geometry))));
}

Result<Reply> osrm_table(const Services& s, RequestContext& ctx) {
  if (s.routing == nullptr) return unavailable();
  auto coordinates = parse_osrm_coordinates(ctx.param(0));
  if (auto* e = std::get_if<OsrmError>(&coordinates)) return osrm_error_reply(*e);
  const auto& points = std::get<std::vector<core::LatLon>>(coordinates);
  auto source_index = parse_osrm_indices(ctx.query("sources"), points.size(), "sources");
  if (auto* e = std::get_if<OsrmError>(&source_index)) return osrm_error_reply(*e);
  auto destination_index = parse_osrm_indices(ctx.query("destinations"), points.size(), "destinations");
  if (auto* e = std::get_if<OsrmError>(&destination_index)) return osrm_error_reply(*e);
  auto annotations = parse_osrm_annotations(ctx.query("annotations"));
  if (auto* e = std::get_if<OsrmError>(&annotations)) return osrm_error_reply(*e);
  const auto& si = std::get<std::vector<size_t>>(source_index);
  const auto& di = std::get<std::vector<size_t>>(destination_index);
  if (si.size() > kMaxMatrixSide || di.size() > kMaxMatrixSide) {
    return osrm_error_reply({"TooBig", "at most " + std::to_string(kMaxMatrixSide) + " sources and " +
                                           std::to_string(kMaxMatrixSide) + " destinations"});
  }

  std::vector<core::LatLon> sources, destinations;
  std::vector<OsrmWaypoint> source_waypoints, destination_waypoints;
  for (auto [index, list, waypoints] : {std::tuple{&si, &sources, &source_waypoints},
                                        std::tuple{&di, &destinations, &destination_waypoints}}) {
    for (size_t i : *index) {
      list->push_back(points[i]);
      auto w = waypoint_of(*s.routing, points[i]);
      if (auto* e = std::get_if<OsrmError>(&w)) return osrm_error_reply(*e);
      waypoints->push_back(std::get<OsrmWaypoint>(w));
    }
  }
  auto matrix = s.routing->matrix(sources, destinations);
  if (!matrix) return osrm_error_reply(osrm_error(matrix.error()));
  return json_reply(200, to_json(osrm_table_json(*matrix, source_waypoints, destination_waypoints,
                                                 std::get<OsrmAnnotations>(annotations))));
}

}  // namespace lastmile::api::handlers
