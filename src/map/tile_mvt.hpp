#pragma once
// Mapbox Vector Tile 2.1 encoding (https://github.com/mapbox/vector-tile-spec/tree/master/2.1),
// written by hand: protobuf varints and length-delimited fields, no protobuf library.
//
// One layer, "roads" (version 2, extent kTileExtent), one LINESTRING feature per road with the
// properties `name` (string, absent when the road has none), `class` (road_class_name) and
// `oneway` (bool). A road cut into several pieces by the tile's border is one feature with several
// MoveTo/LineTo runs (a multi-line). No features: an empty tile (zero bytes: a Tile with no layers,
// which the spec allows and every client reads as "nothing here").

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "map/tile_geometry.hpp"

namespace lastmile::map {

inline constexpr std::string_view kRoadsLayer = "roads";

// MVT geometry command integers: (id & 0x7) | (count << 3).
enum class MvtCommand : uint32_t { kMoveTo = 1, kLineTo = 2, kClosePath = 7 };
inline constexpr uint32_t mvt_command(MvtCommand id, uint32_t count) {
  return (static_cast<uint32_t>(id) & 0x7) | (count << 3);
}
// Protobuf zigzag of a parameter integer: 0, -1, 1, -2, … → 0, 1, 2, 3, …
inline constexpr uint32_t zigzag32(int32_t n) {
  return (static_cast<uint32_t>(n) << 1) ^ static_cast<uint32_t>(n >> 31);
}

// The tile holding `features`, in the order given. REQUIRES: every part has at least two points.
std::string encode_roads_mvt(std::span<const TileFeature> features);

}  // namespace lastmile::map
