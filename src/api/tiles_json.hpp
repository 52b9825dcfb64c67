#pragma once
// The JSON documents of the offline basemap (docs/routing.md "Tiles"): a tile's roads as GeoJSON,
// the TileJSON 3.0.0 description of the vector tiles, and a minimal MapLibre GL style (v8).

#include <optional>
#include <span>
#include <string>

#include "map/tile_geometry.hpp"
#include "map/tile_id.hpp"
#include "map/tile_index.hpp"

namespace lastmile::api {

inline constexpr std::string_view kOsmAttribution = "© OpenStreetMap contributors";

// A FeatureCollection of `features` (tile units of tile `id`, as TileIndex gives them) in WGS84
// [lon, lat] to 1e-7°: LineString, or MultiLineString for a road cut into several pieces; properties
// `id`, `name` (absent when none), `class`, `oneway`.
std::string tile_geojson(std::span<const map::TileFeature> features, map::TileId id);

struct BasemapOptions {
  std::string public_url;        // "http://host:port", no trailing slash
  std::string raster_tiles_url;  // an XYZ raster template ("https://…/{z}/{x}/{y}.png"); empty: none
  std::optional<map::MapBounds> bounds;  // the road network's; absent: the server has no map
};

// TileJSON 3.0.0 of GET /v1/tiles/{z}/{x}/{y}.mvt: tiles, minzoom/maxzoom, bounds, center,
// attribution, vector_layers, and `raster_tiles` (an extension) when a raster template is set.
// REQUIRES: options.bounds.
std::string tilejson(const BasemapOptions& options);

// A MapLibre GL style: a background, the optional raster source (hidden when the vector roads are
// there, shown otherwise), and road lines coloured and sized by class. No labels: they need glyphs,
// which the server does not serve. REQUIRES: options.bounds or a raster template.
std::string map_style(const BasemapOptions& options);

}  // namespace lastmile::api
