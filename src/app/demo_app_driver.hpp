#pragma once
// The demo's driver for a person: one driver no phone simulates, with a planned route of a few stops
// near the depot (today, not started) and a one-time sign-in link to the driver app (/driver), so
// whoever runs `lastmile demo` can start the route, scan the parcels and capture proofs themselves.

#include <string>

#include "app/http_client.hpp"
#include "app/simulate_command.hpp"

namespace lastmile::app {

struct AppDriver {
  std::string id;
  std::string name;
  std::string route_id;
  std::string sign_in_url;  // absolute: <base>/driver#code=…
};

// Creates the driver, its shipments (barcodes APP-<n>), its route and the link through the public API
// with the tenant admin key. `stops` of the first simulated driver's stop locations are reused.
// Errors: the first refused request's status and body (kUnavailable, kInternal).
core::Result<AppDriver> create_app_driver(HttpClient& http, const std::string& admin_key, const std::string& base,
                                          const PreparedFleet& fleet, size_t stops);

}  // namespace lastmile::app
