#pragma once
// Parsing and serialising for the routing endpoints (GET /v1/route, POST /v1/matrix): coordinates
// from the query string and the body, route and matrix answers, geometry as GeoJSON or an encoded
// polyline, and the mapping of road-network errors to API error codes. Pure functions.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "map/map_error.hpp"
#include "map/routing_service.hpp"

namespace lastmile::api {

// Limits of POST /v1/matrix (and the OSRM table): at most this many sources and destinations.
inline constexpr size_t kMaxMatrixSide = 100;

// "lat,lon" (decimal degrees, optional spaces) → a checked coordinate. Errors: kInvalidField on
// `field` (malformed, not finite, out of range).
core::Result<core::LatLon> parse_lat_lon(std::string_view text, const std::string& field);

// A JSON [lat, lon] array → a checked coordinate. Errors: kWrongType / kInvalidField on `field`.
core::Result<core::LatLon> lat_lon_from_json(const boost::json::value& v, const std::string& field);

struct MatrixRequest {
  std::vector<core::LatLon> sources;
  std::vector<core::LatLon> destinations;
};
// {"sources": [[lat, lon], …], "destinations": [[lat, lon], …]}; destinations default to the
// sources. Errors: kMissingField, kWrongType, kInvalidField (an empty list, a bad point, with the
// field path "sources[3]"), kTooLarge (more than kMaxMatrixSide points on a side).
core::Result<MatrixRequest> parse_matrix_request(const boost::json::object& body);

// Google's encoded polyline (precision 5 as OSRM's "polyline", 6 for "polyline6").
std::string encode_polyline(std::span<const core::LatLon> points, int precision = 5);
// {"type": "LineString", "coordinates": [[lon, lat], …]}
boost::json::object geojson_line(std::span<const core::LatLon> points);

enum class GeometryFormat { kNone, kGeoJson, kPolyline };
// "geojson" | "polyline" (absent: GeoJSON). Errors: kInvalidField on "geometry".
core::Result<GeometryFormat> parse_geometry_format(const std::optional<std::string>& text);

// The road network's errors as API errors: kOutsideMap → not_routable, kNoRoute → no_route, any
// other (a broken graph) → internal.
core::Error routing_error(const map::Error& e);

// {"duration_s", "distance_m", "source", "geometry"?}
boost::json::object route_json(const map::RouteAnswer& route, GeometryFormat geometry);
// {"durations": [[…]], "distances": [[…]], "source"}; a pair without a route is null.
boost::json::object matrix_json(const map::MatrixAnswer& matrix);

}  // namespace lastmile::api
