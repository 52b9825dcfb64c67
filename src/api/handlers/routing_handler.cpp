// GET /v1/route and POST /v1/matrix: travel time and distance on the road network, or great-circle
// estimates when the server runs without a map; every answer names its source.
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "api/routing_json.hpp"
#include "map/routing_service.hpp"

namespace lastmile::api::handlers {

namespace {

Result<const map::RoutingService*> routing_of(const Services& s) {
  if (s.routing == nullptr)
    return core::Error{core::ErrorCode::kUnavailable, "routing is not enabled on this server", ""};
  return s.routing;
}

Result<core::LatLon> point_param(const RequestContext& ctx, const char* key) {
  auto v = ctx.query(key);
  if (!v) return core::Error::missing_field(key);
  return parse_lat_lon(*v, key);
}

}  // namespace

Result<Reply> get_road_route(const Services& s, RequestContext& ctx) {
  auto routing = routing_of(s);
  if (!routing) return routing.error();
  auto from = point_param(ctx, "from");
  if (!from) return from.error();
  auto to = point_param(ctx, "to");
  if (!to) return to.error();
  auto geometry = parse_geometry_format(ctx.query("geometry"));
  if (!geometry) return geometry.error();
  auto route = (*routing)->route(*from, *to);
  if (!route) return routing_error(route.error());
  return json_reply(200, to_json(route_json(*route, *geometry)));
}

Result<Reply> post_road_matrix(const Services& s, RequestContext& ctx) {
  auto routing = routing_of(s);
  if (!routing) return routing.error();
  auto body = body_object(ctx);
  if (!body) return body.error();
  auto request = parse_matrix_request(*body);
  if (!request) return request.error();
  auto matrix = (*routing)->matrix(request->sources, request->destinations);
  if (!matrix) return routing_error(matrix.error());
  return json_reply(200, to_json(matrix_json(*matrix)));
}

}  // namespace lastmile::api::handlers
