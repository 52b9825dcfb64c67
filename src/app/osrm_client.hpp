#pragma once
// An ExternalRouter (routing_service.hpp) that asks a server speaking OSRM's HTTP API: an OSRM
// osrm-routed, or another lastmile started with `serve --map FILE --osrm-public`.
//
//   route:  GET /route/v1/driving/{lon},{lat};{lon},{lat}?overview=full&geometries=geojson
//   matrix: GET /table/v1/driving/{sources};{destinations}?sources=…&destinations=…
//                                                          &annotations=duration,distance
//
// OSRM's codes map to the map error codes: NoSegment → kOutsideMap, NoRoute → kNoRoute; a
// connection failure, a timeout, a non-JSON answer or any other code → kIoError (the message says
// which). A null cell of a table is Matrix::kUnreachable.
//
// An I/O adapter of the server binary (src/app), so the road-network library stays free of
// sockets; it plugs into map::RoutingService through the map::ExternalRouter interface.
//
// Thread safety: immutable; each call opens its own connection (HTTP/1.1, one request, closed after
// the answer), so any thread may call it concurrently. No connection pool yet.

#include <chrono>
#include <span>
#include <string>

#include "map/routing_service.hpp"

namespace lastmile::app {

using map::ExternalRouter;
using map::Matrix;
using map::OsrmEndpoint;
using map::Result;
using map::RouteAnswer;

struct OsrmClientOptions {
  OsrmEndpoint endpoint;
  // For the whole exchange: resolving, connecting, sending and reading the answer.
  std::chrono::milliseconds timeout{10'000};
};

class OsrmClient final : public ExternalRouter {
 public:
  explicit OsrmClient(OsrmClientOptions options) : options_(std::move(options)) {}

  Result<RouteAnswer> route(core::LatLon from, core::LatLon to) const override;
  Result<Matrix> matrix(std::span<const core::LatLon> sources,
                        std::span<const core::LatLon> destinations) const override;

 private:
  // The body of the answer to GET `target` (any HTTP status: OSRM answers errors with 400 and a JSON
  // body). Errors: kIoError (cannot connect, timeout, malformed HTTP).
  Result<std::string> get(const std::string& target) const;

  OsrmClientOptions options_;
};

}  // namespace lastmile::app
