#include "api/osmand_routes.hpp"

#include "api/handlers/handlers.hpp"

namespace lastmile::api {

std::vector<RouteSpec> osmand_route_table() {
  std::vector<RouteSpec> routes;
  // Every verb Beast knows, and verb::unknown for any other method token.
  for (int v = static_cast<int>(http::verb::unknown); v <= static_cast<int>(http::verb::unlink); ++v)
    routes.push_back({static_cast<http::verb>(v), "/*", true, domain::RoleSet{}, nullptr, true, handlers::osmand});
  return routes;
}

}  // namespace lastmile::api
