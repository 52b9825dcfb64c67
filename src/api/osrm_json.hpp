#pragma once
// The OSRM-compatible subset (GET /route/v1/driving/…, GET /table/v1/driving/…): parsing OSRM's
// URL conventions (lon,lat pairs joined by ';', index lists) and writing OSRM's JSON shapes, so
// existing OSRM clients work against lastmile. Pure functions. Errors are OSRM's: a 400 body
// {"code": "InvalidQuery" | "InvalidOptions" | "InvalidValue" | "TooBig" | "NoSegment" |
// "NoRoute", "message": …}.

#include <boost/json/object.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/context.hpp"
#include "core/geo.hpp"
#include "map/routing_service.hpp"

namespace lastmile::api {

struct OsrmError {
  std::string code;  // OSRM's code, e.g. "InvalidQuery"
  std::string message;
};
Reply osrm_error_reply(const OsrmError& e);
// kOutsideMap → NoSegment, kNoRoute → NoRoute, other → InternalError.
OsrmError osrm_error(const map::Error& e);

// "lon,lat;lon,lat…" (OSRM's order) → coordinates; a trailing ".json" is ignored. Errors:
// InvalidQuery (malformed), InvalidValue (out of range).
std::variant<std::vector<core::LatLon>, OsrmError> parse_osrm_coordinates(std::string_view text);
// "0;2;3" or "all" (absent: all) → indices below `count`. Errors: InvalidOptions.
std::variant<std::vector<size_t>, OsrmError> parse_osrm_indices(const std::optional<std::string>& text,
                                                                size_t count, std::string_view name);

struct OsrmWaypoint {
  core::LatLon location;  // snapped
  double distance_m = 0;  // from the query point
  std::string name;       // the street's name ("" unknown)
};
boost::json::object osrm_waypoint_json(const OsrmWaypoint& w);

enum class OsrmGeometry { kNone, kPolyline, kPolyline6, kGeoJson };
// overview (false | simplified | full; default simplified = full here) and geometries (polyline |
// polyline6 | geojson; default polyline). Errors: InvalidOptions.
std::variant<OsrmGeometry, OsrmError> parse_osrm_geometry(const std::optional<std::string>& overview,
                                                          const std::optional<std::string>& geometries);

// {"code": "Ok", "routes": [{geometry?, legs, duration, distance, weight, weight_name}],
// "waypoints": […], "source": …}: one leg per consecutive pair of waypoints.
boost::json::object osrm_route_json(std::span<const map::RouteAnswer> legs,
                                    std::span<const OsrmWaypoint> waypoints, OsrmGeometry geometry);

// annotations: "duration" (default), "distance", "duration,distance". Errors: InvalidOptions.
struct OsrmAnnotations {
  bool duration = true;
  bool distance = false;
};
std::variant<OsrmAnnotations, OsrmError> parse_osrm_annotations(const std::optional<std::string>& text);

// {"code": "Ok", "durations"?: [[…]], "distances"?: [[…]], "sources": […], "destinations": […],
// "source": …}; unreachable pairs are null.
boost::json::object osrm_table_json(const map::MatrixAnswer& matrix, std::span<const OsrmWaypoint> sources,
                                    std::span<const OsrmWaypoint> destinations, OsrmAnnotations annotations);

}  // namespace lastmile::api
