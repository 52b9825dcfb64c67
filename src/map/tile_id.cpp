#include "map/tile_id.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace lastmile::map {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMaxMercatorLat = 85.05112877980659;

// A canonical decimal number: digits only, no leading zero (except "0"), at most 10 digits.
std::optional<uint64_t> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

core::Error invalid(std::string field, std::string message) {
  return {core::ErrorCode::kInvalidTile, std::move(message), std::move(field)};
}

}  // namespace

std::string_view tile_format_suffix(TileFormat format) {
  return format == TileFormat::kGeoJson ? "geojson" : "mvt";
}

core::Result<TileRequest> parse_tile_path(std::string_view z, std::string_view x, std::string_view y_with_suffix) {
  TileRequest out;
  const auto zv = parse_number(z);
  if (!zv || *zv > kMaxTileZoom)
    return invalid("z", "z must be a whole number from 0 to " + std::to_string(kMaxTileZoom));
  const uint64_t side = uint64_t{1} << *zv;
  const auto xv = parse_number(x);
  if (!xv || *xv >= side) return invalid("x", "x must be a whole number from 0 to " + std::to_string(side - 1));
  const size_t dot = y_with_suffix.find('.');
  if (dot == std::string_view::npos) return invalid("y", "the tile path must end in .mvt or .geojson");
  const std::string_view suffix = y_with_suffix.substr(dot + 1);
  if (suffix == "mvt") {
    out.format = TileFormat::kMvt;
  } else if (suffix == "geojson") {
    out.format = TileFormat::kGeoJson;
  } else {
    return invalid("y", "the tile format must be .mvt or .geojson");
  }
  const auto yv = parse_number(y_with_suffix.substr(0, dot));
  if (!yv || *yv >= side) return invalid("y", "y must be a whole number from 0 to " + std::to_string(side - 1));
  out.id = TileId{static_cast<uint32_t>(*zv), static_cast<uint32_t>(*xv), static_cast<uint32_t>(*yv)};
  return out;
}

std::string tile_path(const TileRequest& request) {
  return std::to_string(request.id.z) + "/" + std::to_string(request.id.x) + "/" + std::to_string(request.id.y) +
         "." + std::string(tile_format_suffix(request.format));
}

WorldPoint project(double lat, double lon) {
  const double clamped = std::clamp(lat, -kMaxMercatorLat, kMaxMercatorLat) * kPi / 180;
  WorldPoint p;
  p.x = (lon + 180) / 360;
  p.y = (1 - std::log(std::tan(clamped) + 1 / std::cos(clamped)) / kPi) / 2;
  return p;
}

core::LatLon unproject(WorldPoint p) {
  const double lon = std::clamp(p.x * 360 - 180, -180.0, 180.0);
  const double lat = std::atan(std::sinh(kPi * (1 - 2 * p.y))) * 180 / kPi;
  return *core::LatLon::from_unsafe({std::clamp(lat, -90.0, 90.0), lon});
}

TileId tile_at(WorldPoint p, uint32_t z) {
  const double side = std::ldexp(1.0, static_cast<int>(z));
  const auto max_index = static_cast<double>((uint64_t{1} << z) - 1);
  return TileId{z, static_cast<uint32_t>(std::clamp(std::floor(p.x * side), 0.0, max_index)),
                static_cast<uint32_t>(std::clamp(std::floor(p.y * side), 0.0, max_index))};
}

}  // namespace lastmile::map
