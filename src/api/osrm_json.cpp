#include "api/osrm_json.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>

#include "api/json_io.hpp"
#include "api/routing_json.hpp"

namespace lastmile::api {

namespace json = boost::json;

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::optional<double> number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

double rounded(double v) { return std::round(v * 10) / 10; }

json::value number_or_null(double v) {
  if (v == map::Matrix::kUnreachable) return nullptr;
  return rounded(v);
}

json::value geometry_json(std::span<const core::LatLon> points, OsrmGeometry g) {
  switch (g) {
    case OsrmGeometry::kPolyline:
      return json::value(encode_polyline(points, 5));
    case OsrmGeometry::kPolyline6:
      return json::value(encode_polyline(points, 6));
    case OsrmGeometry::kGeoJson:
      return geojson_line(points);
    case OsrmGeometry::kNone:
      break;
  }
  return nullptr;
}

}  // namespace

Reply osrm_error_reply(const OsrmError& e) {
  return json_reply(400, to_json(json::object{{"code", e.code}, {"message", e.message}}));
}

OsrmError osrm_error(const map::Error& e) {
  switch (e.code) {
    case map::ErrorCode::kOutsideMap:
      return {"NoSegment", "One of the supplied input coordinates could not snap to street segment."};
    case map::ErrorCode::kNoRoute:
      return {"NoRoute", "Impossible route between points"};
    default:
      return {"InternalError", "internal error"};
  }
}

std::variant<std::vector<core::LatLon>, OsrmError> parse_osrm_coordinates(std::string_view text) {
  if (text.ends_with(".json")) text.remove_suffix(5);
  std::vector<core::LatLon> out;
  if (text.empty()) return OsrmError{"InvalidQuery", "Query string malformed: no coordinates"};
  for (std::string_view pair : split(text, ';')) {
    const auto parts = split(pair, ',');
    if (parts.size() != 2) return OsrmError{"InvalidQuery", "Query string malformed: expected lon,lat pairs"};
    const auto lon = number(parts[0]), lat = number(parts[1]);
    if (!lon || !lat) return OsrmError{"InvalidQuery", "Query string malformed: expected lon,lat pairs"};
    auto p = core::LatLon::from_unsafe({*lat, *lon});
    if (!p) return OsrmError{"InvalidValue", "Invalid coordinate value (lon -180..180, lat -90..90)"};
    out.push_back(*p);
  }
  return out;
}

std::variant<std::vector<size_t>, OsrmError> parse_osrm_indices(const std::optional<std::string>& text,
                                                                size_t count, std::string_view name) {
  std::vector<size_t> out;
  if (!text || *text == "all") {
    for (size_t i = 0; i < count; ++i) out.push_back(i);
    return out;
  }
  for (std::string_view s : split(*text, ';')) {
    size_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v >= count) {
      return OsrmError{"InvalidOptions",
                       std::string(name) + " must be 'all' or ';'-separated coordinate indices"};
    }
    out.push_back(v);
  }
  return out;
}

json::object osrm_waypoint_json(const OsrmWaypoint& w) {
  return json::object{{"hint", ""},
                      {"distance", rounded(w.distance_m)},
                      {"name", w.name},
                      {"location", json::array{w.location.lon(), w.location.lat()}}};
}

std::variant<OsrmGeometry, OsrmError> parse_osrm_geometry(const std::optional<std::string>& overview,
                                                          const std::optional<std::string>& geometries) {
  if (overview && *overview != "false" && *overview != "full" && *overview != "simplified") {
    return OsrmError{"InvalidOptions", "overview must be false, simplified or full"};
  }
  OsrmGeometry g = OsrmGeometry::kPolyline;
  if (geometries && *geometries == "polyline6") {
    g = OsrmGeometry::kPolyline6;
  } else if (geometries && *geometries == "geojson") {
    g = OsrmGeometry::kGeoJson;
  } else if (geometries && *geometries != "polyline") {
    return OsrmError{"InvalidOptions", "geometries must be polyline, polyline6 or geojson"};
  }
  if (overview && *overview == "false") return OsrmGeometry::kNone;
  return g;
}

json::object osrm_route_json(std::span<const map::RouteAnswer> legs, std::span<const OsrmWaypoint> waypoints,
                             OsrmGeometry geometry) {
  json::array legs_json;
  std::vector<core::LatLon> points;
  double duration = 0, distance = 0;
  std::string_view source = map::source_name(map::RouteSource::kGreatCircle);
  for (const map::RouteAnswer& leg : legs) {
    legs_json.push_back(json::object{{"steps", json::array{}},
                                     {"summary", ""},
                                     {"weight", rounded(leg.duration_s)},
                                     {"duration", rounded(leg.duration_s)},
                                     {"distance", rounded(leg.distance_m)}});
    duration += leg.duration_s;
    distance += leg.distance_m;
    // Consecutive legs share their joining point: keep it once.
    const size_t skip = points.empty() || leg.geometry.empty() ? 0 : 1;
    points.insert(points.end(), leg.geometry.begin() + static_cast<std::ptrdiff_t>(skip), leg.geometry.end());
    source = map::source_name(leg.source);
  }
  json::object route{{"legs", std::move(legs_json)},
                     {"weight_name", "duration"},
                     {"weight", rounded(duration)},
                     {"duration", rounded(duration)},
                     {"distance", rounded(distance)}};
  if (geometry != OsrmGeometry::kNone) route["geometry"] = geometry_json(points, geometry);
  json::array waypoints_json;
  for (const OsrmWaypoint& w : waypoints) waypoints_json.push_back(osrm_waypoint_json(w));
  return json::object{{"code", "Ok"},
                      {"routes", json::array{std::move(route)}},
                      {"waypoints", std::move(waypoints_json)},
                      {"source", source}};
}

std::variant<OsrmAnnotations, OsrmError> parse_osrm_annotations(const std::optional<std::string>& text) {
  if (!text) return OsrmAnnotations{};
  OsrmAnnotations a{false, false};
  for (std::string_view s : split(*text, ',')) {
    if (s == "duration") {
      a.duration = true;
    } else if (s == "distance") {
      a.distance = true;
    } else {
      return OsrmError{"InvalidOptions", "annotations must be duration, distance or duration,distance"};
    }
  }
  return a;
}

json::object osrm_table_json(const map::MatrixAnswer& answer, std::span<const OsrmWaypoint> sources,
                             std::span<const OsrmWaypoint> destinations, OsrmAnnotations annotations) {
  const map::Matrix& m = answer.matrix;
  json::object o{{"code", "Ok"}};
  auto table = [&](const std::vector<double>& values) {
    json::array rows;
    for (size_t i = 0; i < m.sources; ++i) {
      json::array row;
      for (size_t j = 0; j < m.destinations; ++j) row.push_back(number_or_null(values[m.index(i, j)]));
      rows.push_back(std::move(row));
    }
    return rows;
  };
  if (annotations.duration) o["durations"] = table(m.duration_s);
  if (annotations.distance) o["distances"] = table(m.distance_m);
  json::array s, d;
  for (const OsrmWaypoint& w : sources) s.push_back(osrm_waypoint_json(w));
  for (const OsrmWaypoint& w : destinations) d.push_back(osrm_waypoint_json(w));
  o["sources"] = std::move(s);
  o["destinations"] = std::move(d);
  o["source"] = map::source_name(answer.source);
  return o;
}

}  // namespace lastmile::api
