#pragma once
// The road network cut into map tiles: which roads a tile (z, x, y) draws, clipped and simplified
// for its zoom (GET /v1/tiles/…, docs/routing.md "Tiles").
//
// Built once from a Graph (a few milliseconds for a city):
// - Roads: the graph's segments chained into polylines through nodes where exactly two segments of
//   equal name, class and direction meet (the graph has one edge per OSM segment; a chain is what a
//   map draws as one line). A two-way segment is drawn once (its twin edge is skipped), a segment
//   of zero length (two OSM nodes at one place) never; one-way chains run in the direction of travel. Chains stop after kMaxChainSegments segments so a long
//   road costs a tile only its nearby part.
// - A grid of base-zoom tiles (z kBaseZoom, about 2.4 km at the equator), each listing the chains
//   whose segments' bounding boxes touch it. A tile of zoom z >= kBaseZoom looks in the one to four
//   cells under it and its buffer; a tile of a lower zoom in the 4^(kBaseZoom - z) cells it covers.
//
// Tiles of zoom kMinContentZoom..kMaxContentZoom draw roads; others are empty (below: the roads of
// a whole city would not be readable; above: clients overzoom kMaxContentZoom).
//
// Thread safety: immutable after construction; any thread may call it concurrently. The names in the
// returned features point into the graph, which the index keeps alive.

#include <compare>
#include <cstdint>
#include <vector>

#include "map/graph.hpp"
#include "map/tile_geometry.hpp"
#include "map/tile_id.hpp"

namespace lastmile::map {

// The area the graph's nodes cover (all zero for an empty graph).
struct MapBounds {
  double west = 0;
  double south = 0;
  double east = 0;
  double north = 0;
};

class TileIndex {
 public:
  static constexpr uint32_t kBaseZoom = 14;
  static constexpr uint32_t kMaxChainSegments = 64;
  // Douglas–Peucker tolerance, in tile units.
  static constexpr double kSimplifyTolerance = 1.0;

  explicit TileIndex(Graph graph);

  // The roads of tile `id` clipped to it plus kTileBuffer units, simplified, ordered by id. Empty
  // outside the map and at zooms without content.
  std::vector<TileFeature> features(TileId id) const;

  const Graph& graph() const { return graph_; }
  const MapBounds& bounds() const { return bounds_; }
  size_t chain_count() const { return chain_info_.size(); }

 private:
  struct ChainInfo {
    uint32_t name = 0;
    RoadClass road_class = RoadClass::kUnknown;
    bool oneway = false;
  };
  struct Cell {
    uint32_t key;    // (x << kBaseZoom) | y of the base-zoom tile
    uint32_t chain;
    auto operator<=>(const Cell&) const = default;
  };

  void build_chains();
  void build_cells();

  Graph graph_;
  MapBounds bounds_;
  // Each node projected to world coordinates scaled to 2^32 (about 9 mm at the equator).
  std::vector<uint32_t> node_x_;
  std::vector<uint32_t> node_y_;
  // Chain c is the nodes chain_nodes_[chain_first_[c] .. chain_first_[c + 1]).
  std::vector<uint32_t> chain_first_;
  std::vector<uint32_t> chain_nodes_;
  std::vector<ChainInfo> chain_info_;
  std::vector<Cell> cells_;  // sorted, no duplicates
};

}  // namespace lastmile::map
