#pragma once
// Web Mercator tile addresses (the "XYZ" scheme of OSM, Leaflet and MapLibre: x grows east, y grows
// south, zoom z has 2^z × 2^z tiles) and the parser of the tile path of `GET /v1/tiles/{z}/{x}/{y}.mvt`.
//
// World coordinates: longitude and latitude projected to [0, 1) × [0, 1) (spherical Mercator, y down),
// so tile (z, x, y) covers [x, x + 1) / 2^z × [y, y + 1) / 2^z. Latitudes beyond ±85.0511° are clamped.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/geo.hpp"

namespace lastmile::map {

inline constexpr uint32_t kMaxTileZoom = 22;      // the highest zoom the API accepts
inline constexpr uint32_t kMinContentZoom = 12;   // lower zooms answer empty tiles
inline constexpr uint32_t kMaxContentZoom = 18;   // higher zooms answer empty tiles (clients overzoom)
inline constexpr uint32_t kTileExtent = 4096;     // MVT coordinate units per tile side
inline constexpr uint32_t kTileBuffer = 64;       // units drawn beyond each edge of the tile

struct TileId {
  uint32_t z = 0;
  uint32_t x = 0;
  uint32_t y = 0;
  bool operator==(const TileId&) const = default;
};

enum class TileFormat { kMvt, kGeoJson };
// "mvt" / "geojson": the path suffix.
std::string_view tile_format_suffix(TileFormat format);

struct TileRequest {
  TileId id;
  TileFormat format = TileFormat::kMvt;
};

// The three path segments of /v1/tiles/{z}/{x}/{y}.{mvt|geojson}, percent-decoded. Each number is
// plain decimal digits without a sign or a leading zero (so one tile has one URL, and one cache
// entry). Errors: kInvalidTile with `field` "z", "x" or "y": not a canonical number, z > kMaxTileZoom,
// x or y outside 0..2^z-1, or a suffix other than .mvt / .geojson (field "y").
core::Result<TileRequest> parse_tile_path(std::string_view z, std::string_view x, std::string_view y_with_suffix);

// "14/8529/5975.mvt": the path of a tile below /v1/tiles/.
std::string tile_path(const TileRequest& request);

struct WorldPoint {
  double x = 0;  // 0 at 180° W, 1 at 180° E
  double y = 0;  // 0 at 85.0511° N, 1 at 85.0511° S
};

WorldPoint project(double lat, double lon);
// The inverse of project. REQUIRES: 0 <= p.x, p.y <= 1.
core::LatLon unproject(WorldPoint p);

// The tile of zoom z that holds `p` (clamped into the world).
TileId tile_at(WorldPoint p, uint32_t z);

}  // namespace lastmile::map
