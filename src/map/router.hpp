#pragma once
// Queries on a Graph: snapping a coordinate to the nearest drivable road, and the fastest car route
// between two coordinates that obeys one-way streets and via-node turn restrictions.
//
// Spatial index: a uniform grid of cells (about 280 m, coarser on very large maps) built in the
// constructor, each cell listing the segments whose bounding box touches it; snap searches rings of
// cells around the query outward until no closer segment can exist.
//
// Search: a contraction hierarchy stored in the graph file (contraction_hierarchy.hpp), or
// edge-based A* (or plain Dijkstra, for checking) over directed edges, so that the state
// "arrived at node v through edge e" can honour a restriction on the turn e → f. U-turns onto the
// same segment are allowed only at dead ends (no other edge leaves the node). The A* heuristic is
// the straight-line distance to the destination at the graph's highest speed (equirectangular,
// with the smallest cos(latitude) of the map and 1% slack, so it stays below the great-circle
// distance at city and region scale), which never overestimates the remaining time.
//
// Scratch space: route() searches in the calling thread's SearchWorkspace (search_workspace.hpp):
// labels stamped per query, so a query touches only the vertices it reaches, and nothing is
// allocated per successful query but the Route itself. Each thread that routes keeps 48 bytes per
// edge of the largest graph it has searched (1.3 MB for Monaco) until it exits.
//
// Thread safety: a Router is immutable after construction; any thread may query it concurrently.

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "core/geo.hpp"
#include "map/graph.hpp"
#include "map/map_error.hpp"
#include "map/road_class.hpp"

namespace lastmile::map {

class ContractionHierarchy;
class ChArcCosts;

struct RouterOptions {
  double snap_radius_m = 500;  // farther from every drivable road: kOutsideMap
};

// A coordinate projected onto a road segment.
struct Snap {
  uint32_t edge;       // a directed edge of the segment (its twin, if any, is the other way)
  double fraction;     // position along `edge` from its source, 0..1
  core::LatLon point;  // the projected point
  double distance_m;   // from the query coordinate to `point`
};

struct Route {
  double duration_s = 0;
  double distance_m = 0;
  double weight_s = 0;                   // what was minimised (duration, with destination-only penalties)
  // Seconds driven on each road class (edge_road_class), partial end edges pro rata; the entries
  // sum to duration_s up to float rounding.
  ClassDurations class_duration_s{};
  std::vector<core::LatLon> geometry;    // snapped start, the nodes passed, snapped end
  std::vector<uint32_t> nodes;           // graph nodes passed, in order (empty on one segment)
};

// Durations, distances and weights from every source to every destination, row-major
// (index source * destinations + destination); +infinity where no route joins the two.
struct Matrix {
  static constexpr double kUnreachable = std::numeric_limits<double>::infinity();
  size_t sources = 0;
  size_t destinations = 0;
  std::vector<double> duration_s;
  std::vector<double> distance_m;
  std::vector<double> weight_s;

  size_t index(size_t source, size_t destination) const { return source * destinations + destination; }
  bool reachable(size_t source, size_t destination) const {
    return duration_s[index(source, destination)] != kUnreachable;
  }
};

class Router {
 public:
  // kAuto: the contraction hierarchy when the graph has one, else A*. kContractionHierarchy on a
  // graph without one runs A*.
  enum class Search { kAuto, kContractionHierarchy, kAStar, kDijkstra };

  explicit Router(Graph graph, RouterOptions options = {});

  const Graph& graph() const { return graph_; }

  // The nearest point on a drivable road (any road when `big_components_only` is false; else only
  // roads of big strongly connected components, see kEdgeInSmallComponent). Errors: kOutsideMap
  // (no such road within snap_radius_m, or an empty graph).
  Result<Snap> snap(core::LatLon where, bool big_components_only = false) const;

  // The route of least weight from `from` to `to`. Each end snaps to the nearest road; when that
  // finds no route and an end lies in a small component (a one-way stub at the map's border, say),
  // that end snaps again to the nearest road of a big component and the search runs once more.
  // Errors: kOutsideMap (either end does not snap), kNoRoute (no path respects one-ways and
  // restrictions). kAStar and kDijkstra return routes of equal weight; kDijkstra exists to check.
  Result<Route> route(core::LatLon from, core::LatLon to, Search search = Search::kAuto) const;

  // Every source to every destination, each cell what route() would answer (same weight; same
  // duration and distance up to rounding). With a hierarchy this is the bucket-based many-to-many
  // search: one backward upward search per destination fills per-vertex buckets, one forward
  // upward search per source scans them (matrix.cpp); a pair whose end lies in a small component
  // and finds no route falls back to route(). Without a hierarchy it calls route() per pair.
  // A pair with no route is Matrix::kUnreachable, not an error. Errors: kOutsideMap when a point
  // does not snap (the message names it: "source 3" / "destination 0").
  Result<Matrix> matrix(std::span<const core::LatLon> sources, std::span<const core::LatLon> destinations) const;

 private:
  Result<Route> search(const Snap& from, const Snap& to, Search search) const;
  Result<Route> search_ch(const Snap& from, const Snap& to) const;
  Result<Matrix> matrix_pairwise(std::span<const core::LatLon> sources,
                                 std::span<const core::LatLon> destinations) const;
  struct Cell {
    int64_t x;
    int64_t y;
  };
  Cell cell_of(double lat, double lon) const;
  void build_grid();

  Graph graph_;
  RouterOptions options_;
  // Grid over [min_lat_, min_lon_] with cells of cell_lat_ × cell_lon_ degrees, nx_ × ny_ cells.
  double min_lat_ = 0;
  double min_lon_ = 0;
  double cell_lat_ = 1;
  double cell_lon_ = 1;
  int64_t nx_ = 0;
  int64_t ny_ = 0;
  std::vector<uint32_t> cell_first_;  // CSR into cell_edges_, nx_*ny_ + 1 entries
  std::vector<uint32_t> cell_edges_;
  double max_speed_m_per_s_ = 1;      // highest length / weight over all edges (for A*)
  double min_cos_lat_ = 1;            // cos of the latitude farthest from the equator (for A*)
  std::shared_ptr<const ContractionHierarchy> ch_;  // null when the graph has none
  std::shared_ptr<const ChArcCosts> arc_costs_;     // null when the graph has no hierarchy
};

}  // namespace lastmile::map
