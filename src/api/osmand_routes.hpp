#pragma once
// The route table of the OsmAnd / Traccar Client listener (its own port, default 5055): every HTTP
// method on every path goes to handlers::osmand, public (the device authenticates inside), with any
// body type (query string, form or JSON).

#include <vector>

#include "api/context.hpp"

namespace lastmile::api {

std::vector<RouteSpec> osmand_route_table();

}  // namespace lastmile::api
