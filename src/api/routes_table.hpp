#pragma once
// The route table: every HTTP route with the roles that may call it. Adding a service is a handler
// plus one line here (and its entry in openapi.json, which a test checks).

#include <string>
#include <vector>

#include "api/context.hpp"

namespace lastmile::api {

struct RouteTableOptions {
  // The OSRM-compatible routes (/route/v1, /table/v1) without credentials, as OSRM itself serves
  // them (`serve --osrm-public`). Off by default: they then take the routing roles' keys.
  bool osrm_public = false;
};

std::vector<RouteSpec> route_table(const RouteTableOptions& options = {});
// The table as JSON, for tests that sweep every route (`lastmile routes`): an array of
// {"method", "path", "public", "roles": [role names]}, in table order.
std::string route_table_json(const RouteTableOptions& options = {});

}  // namespace lastmile::api
