#pragma once
// What the server's routing endpoints ask: a route or a matrix between coordinates, from the road
// network when the server was started with a graph (`serve --map`), from an external router when
// it was started with one (`serve --router osrm://HOST:PORT`, osrm_client.hpp), else estimated from
// the great-circle distance. Every answer says which it is (RouteSource), so a client never
// mistakes an estimate for a road route.
//
// Great-circle estimate: distance = haversine × detour_factor, duration = distance / speed; the
// geometry is the straight line between the two points. It never fails for valid coordinates.
//
// Thread safety: immutable after construction; any thread may call it concurrently.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.hpp"
#include "map/map_error.hpp"
#include "map/router.hpp"

namespace lastmile::map {

struct GreatCircleOptions {
  double detour_factor = 1.3;  // road distance / straight-line distance; >= 1
  double speed_kmh = 30;       // > 0
};

enum class RouteSource { kRoadNetwork, kGreatCircle, kExternalOsrm };
// "road_network" / "great_circle" / "external_osrm": part of the HTTP API.
std::string_view source_name(RouteSource source);

struct RouteAnswer {
  RouteSource source = RouteSource::kGreatCircle;
  double duration_s = 0;
  double distance_m = 0;
  std::vector<core::LatLon> geometry;  // from the (snapped) start to the (snapped) end
  core::LatLon snapped_from;           // the start on the road (the query point for great circle)
  core::LatLon snapped_to;
};

struct MatrixAnswer {
  RouteSource source = RouteSource::kGreatCircle;
  Matrix matrix;  // unreachable cells are Matrix::kUnreachable (road network only)
};

// A router in another process (OSRM), behind the same two questions. Implementations must be
// safe to call from any thread concurrently. Errors: kOutsideMap (a point does not snap), kNoRoute,
// kIoError (the router cannot be reached, times out or answers something else).
class ExternalRouter {
 public:
  virtual ~ExternalRouter() = default;
  // The answer's source is the implementation's own (RouteSource::kExternalOsrm for OSRM).
  virtual Result<RouteAnswer> route(core::LatLon from, core::LatLon to) const = 0;
  // Unreachable cells are Matrix::kUnreachable; weight_s is the duration.
  virtual Result<Matrix> matrix(std::span<const core::LatLon> sources,
                                std::span<const core::LatLon> destinations) const = 0;
};

// "osrm://HOST:PORT" (HOST a name or an IPv4 address, PORT 1-65535): the parts, or nullopt.
struct OsrmEndpoint {
  std::string host;
  uint16_t port = 0;
};
std::optional<OsrmEndpoint> parse_osrm_url(std::string_view url);

class RoutingService {
 public:
  // `router` may be null: every answer is then a great-circle estimate.
  // REQUIRES: options.detour_factor >= 1 and options.speed_kmh > 0 (the CLI checks them).
  RoutingService(std::shared_ptr<const Router> router, GreatCircleOptions options);
  // Every route() and matrix() asks `external` (not null); great_circle() still answers estimates.
  static RoutingService with_external(std::shared_ptr<const ExternalRouter> external,
                                      GreatCircleOptions options);

  bool has_road_network() const { return router_ != nullptr; }
  bool has_external_router() const { return external_ != nullptr; }
  const Router* router() const { return router_.get(); }

  // Errors (road network only): kOutsideMap (an end has no road within the snapping radius),
  // kNoRoute (no drivable path); with an external router also kIoError (ExternalRouter).
  Result<RouteAnswer> route(core::LatLon from, core::LatLon to) const;
  // Errors (road network only): kOutsideMap naming the point ("source 2"). Pairs without a route
  // are unreachable cells, not errors. With an external router as ExternalRouter::matrix.
  Result<MatrixAnswer> matrix(std::span<const core::LatLon> sources,
                              std::span<const core::LatLon> destinations) const;

  // The great-circle estimate between two points, whatever the service has.
  RouteAnswer great_circle(core::LatLon from, core::LatLon to) const;

 private:
  std::shared_ptr<const Router> router_;
  std::shared_ptr<const ExternalRouter> external_;  // null unless with_external
  GreatCircleOptions options_;
};

}  // namespace lastmile::map
