#include "api/routing_json.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <optional>

namespace lastmile::api {

namespace json = boost::json;
using core::Error;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

json::value number_or_null(double v) {
  if (v == map::Matrix::kUnreachable) return nullptr;
  return std::round(v * 10) / 10;  // 0.1 s and 0.1 m
}

core::Result<std::vector<core::LatLon>> point_list(const json::object& body, const std::string& field) {
  const json::value* v = body.if_contains(field);
  if (v == nullptr) return Error::missing_field(field);
  if (!v->is_array()) return Error::wrong_type(field, "an array of [lat, lon] pairs");
  const json::array& a = v->as_array();
  if (a.empty()) return Error::invalid_field(field, field + " must list at least one point");
  if (a.size() > kMaxMatrixSide) {
    return Error{
        core::ErrorCode::kTooLarge,
        field + " lists " + std::to_string(a.size()) + " points; at most " + std::to_string(kMaxMatrixSide),
        field};
  }
  std::vector<core::LatLon> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    auto p = lat_lon_from_json(a[i], field + "[" + std::to_string(i) + "]");
    if (!p) return p.error();
    out.push_back(*p);
  }
  return out;
}

}  // namespace

core::Result<core::LatLon> parse_lat_lon(std::string_view text, const std::string& field) {
  const Error bad = Error::invalid_field(field, field + " must be 'lat,lon' in decimal degrees");
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos) return bad;
  auto lat = parse_double(text.substr(0, comma));
  auto lon = parse_double(text.substr(comma + 1));
  if (!lat || !lon) return bad;
  auto p = core::LatLon::from_unsafe({*lat, *lon});
  if (!p) return Error::invalid_field(field, field + " is out of range (lat -90..90, lon -180..180)");
  return *p;
}

core::Result<core::LatLon> lat_lon_from_json(const json::value& v, const std::string& field) {
  if (!v.is_array() || v.as_array().size() != 2 || !v.as_array()[0].is_number() ||
      !v.as_array()[1].is_number()) {
    return Error::wrong_type(field, "a [lat, lon] pair of numbers");
  }
  const double lat = v.as_array()[0].to_number<double>();
  const double lon = v.as_array()[1].to_number<double>();
  auto p = core::LatLon::from_unsafe({lat, lon});
  if (!p) return Error::invalid_field(field, field + " is out of range (lat -90..90, lon -180..180)");
  return *p;
}

core::Result<MatrixRequest> parse_matrix_request(const json::object& body) {
  MatrixRequest r;
  auto sources = point_list(body, "sources");
  if (!sources) return sources.error();
  r.sources = std::move(*sources);
  if (body.contains("destinations")) {
    auto destinations = point_list(body, "destinations");
    if (!destinations) return destinations.error();
    r.destinations = std::move(*destinations);
  } else {
    r.destinations = r.sources;
  }
  return r;
}

std::string encode_polyline(std::span<const core::LatLon> points, int precision) {
  const double factor = std::pow(10.0, precision);
  std::string out;
  int64_t prev_lat = 0, prev_lon = 0;
  auto put = [&out](int64_t delta) {
    uint64_t v = delta < 0 ? ~(static_cast<uint64_t>(delta) << 1) : static_cast<uint64_t>(delta) << 1;
    while (v >= 0x20) {
      out.push_back(static_cast<char>((0x20 | (v & 0x1f)) + 63));
      v >>= 5;
    }
    out.push_back(static_cast<char>(v + 63));
  };
  for (const core::LatLon& p : points) {
    const auto lat = static_cast<int64_t>(std::llround(p.lat() * factor));
    const auto lon = static_cast<int64_t>(std::llround(p.lon() * factor));
    put(lat - prev_lat);
    put(lon - prev_lon);
    prev_lat = lat;
    prev_lon = lon;
  }
  return out;
}

json::object geojson_line(std::span<const core::LatLon> points) {
  json::array coords;
  coords.reserve(points.size());
  for (const core::LatLon& p : points) coords.push_back(json::array{p.lon(), p.lat()});
  return json::object{{"type", "LineString"}, {"coordinates", std::move(coords)}};
}

core::Result<GeometryFormat> parse_geometry_format(const std::optional<std::string>& text) {
  if (!text || *text == "geojson") return GeometryFormat::kGeoJson;
  if (*text == "polyline") return GeometryFormat::kPolyline;
  if (*text == "none") return GeometryFormat::kNone;
  return Error::invalid_field("geometry", "geometry must be geojson, polyline or none");
}

core::Error routing_error(const map::Error& e) {
  switch (e.code) {
    case map::ErrorCode::kOutsideMap:
      return Error{core::ErrorCode::kNotRoutable, e.message, ""};
    case map::ErrorCode::kNoRoute:
      return Error{core::ErrorCode::kNoRoute, e.message, ""};
    case map::ErrorCode::kIoError:  // the external router (--router osrm://) did not answer
      spdlog::warn("routing: external router failed: {}", e.message);
      return Error{core::ErrorCode::kUnavailable, "the router is unavailable", ""};
    default:
      return Error::internal();
  }
}

json::object route_json(const map::RouteAnswer& route, GeometryFormat geometry) {
  json::object o{{"duration_s", std::round(route.duration_s * 10) / 10},
                 {"distance_m", std::round(route.distance_m * 10) / 10},
                 {"source", map::source_name(route.source)}};
  if (geometry == GeometryFormat::kGeoJson) o["geometry"] = geojson_line(route.geometry);
  if (geometry == GeometryFormat::kPolyline) o["geometry"] = encode_polyline(route.geometry);
  return o;
}

json::object matrix_json(const map::MatrixAnswer& answer) {
  const map::Matrix& m = answer.matrix;
  json::array durations, distances;
  for (size_t i = 0; i < m.sources; ++i) {
    json::array d, l;
    for (size_t j = 0; j < m.destinations; ++j) {
      d.push_back(number_or_null(m.duration_s[m.index(i, j)]));
      l.push_back(number_or_null(m.distance_m[m.index(i, j)]));
    }
    durations.push_back(std::move(d));
    distances.push_back(std::move(l));
  }
  return json::object{{"durations", std::move(durations)},
                      {"distances", std::move(distances)},
                      {"source", map::source_name(answer.source)}};
}

}  // namespace lastmile::api
