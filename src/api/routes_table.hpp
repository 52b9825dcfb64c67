#pragma once
// The route table: every HTTP route with the roles that may call it. Adding a service is a handler
// plus one line here (and its entry in openapi.json, which a test checks).

#include <vector>

#include "api/context.hpp"

namespace lastmile::api {

std::vector<RouteSpec> route_table();

}  // namespace lastmile::api
