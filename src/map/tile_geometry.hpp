#pragma once
// Geometry of one map tile: the road features it draws (in tile units, 0..kTileExtent with y down,
// plus the buffer), and the two steps that turn a road's polyline into them: clipping to the
// buffered tile and simplification for the zoom. Pure functions, no state.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "map/road_class.hpp"

namespace lastmile::map {

struct TileVec {
  double x = 0;
  double y = 0;
};

struct TilePoint {
  int32_t x = 0;
  int32_t y = 0;
  bool operator==(const TilePoint&) const = default;
};

// One road (a chain of segments of equal name, class and direction) as drawn in one tile.
struct TileFeature {
  uint64_t id = 0;         // > 0, stable for a graph: the same road has the same id in every tile
  std::string_view name;   // empty when the road has none; points into the graph's name table
  RoadClass road_class = RoadClass::kUnknown;
  bool oneway = false;     // one-way roads run in the direction of travel
  // Each part has at least two points and no two consecutive equal points.
  std::vector<std::vector<TilePoint>> parts;
};

// The pieces of `line` inside the square [lo, hi] × [lo, hi], in order. A segment that crosses the
// square's border is cut where it crosses (Liang–Barsky), so a line that leaves and re-enters gives
// two pieces. Pieces of fewer than two points are dropped.
std::vector<std::vector<TileVec>> clip_polyline(std::span<const TileVec> line, double lo, double hi);

// `line` simplified by Douglas–Peucker with `tolerance` (in tile units), rounded to whole units, with
// consecutive equal points merged; the first and last points are kept. Fewer than two points when
// the whole line falls within one unit (too small to draw at this zoom).
std::vector<TilePoint> simplify_line(std::span<const TileVec> line, double tolerance);

}  // namespace lastmile::map
