#pragma once
// The car routing graph: dense node indices, directed edges in CSR order (all edges leaving node n
// are [first_out[n], first_out[n+1])), via-node turn restrictions and a street-name table.
//
// A Graph is a read-only view. Graph::open maps a file written by write_graph (graph_file.hpp);
// Graph::from_data wraps an in-memory GraphData (tests, and the importer's own checks). Copies are
// cheap and share the storage, which lives until the last copy goes. Any thread may read a Graph.
//
// Every edge is one straight segment between two OSM nodes of one way, so a route's geometry is
// the coordinates of the nodes it passes. OSM node ids are kept per node for diagnostics and tests
// only; nothing in routing depends on them.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.hpp"
#include "map/map_error.hpp"
#include "map/road_class.hpp"

namespace lastmile::map {

inline constexpr uint32_t kNoEdge = 0xFFFF'FFFF;

// A coordinate in units of 1e-7 degree (OSM's own precision).
struct NodeCoord {
  int32_t lat_e7 = 0;
  int32_t lon_e7 = 0;
};

struct Edge {
  uint32_t source = 0;
  uint32_t target = 0;
  uint32_t duration_ms = 0;  // expected travel time over the whole edge
  uint32_t weight_ms = 0;    // what routing minimises: duration_ms, raised on destination-only roads
  float length_m = 0;
  uint32_t name = 0;         // index into the name table; 0 is the empty name
  uint32_t twin = kNoEdge;   // the same segment in the other direction, when it is drivable
  uint32_t flags = 0;        // bit 0 kEdgeInSmallComponent; bits 8-15 the RoadClass; other bits zero
};
// The edge leaves or is outside a big strongly connected component (one of at least
// min(1000, largest) nodes): typically a one-way stub cut by the extract's border or an isolated
// car park. The router snaps there only when nothing else works.
inline constexpr uint32_t kEdgeInSmallComponent = 1;
// Bits 8-15 of Edge::flags: the RoadClass of the way the edge comes from (below kRoadClassCount).
inline constexpr uint32_t kEdgeRoadClassShift = 8;
inline constexpr uint32_t kEdgeRoadClassMask = 0xFFu << kEdgeRoadClassShift;
static_assert(sizeof(Edge) == 32);

inline RoadClass edge_road_class(const Edge& e) {
  return static_cast<RoadClass>((e.flags & kEdgeRoadClassMask) >> kEdgeRoadClassShift);
}
inline uint32_t road_class_flags(RoadClass c) { return static_cast<uint32_t>(c) << kEdgeRoadClassShift; }

enum class RestrictionKind : uint32_t { kNo = 0, kOnly = 1 };

// At the node where from_edge ends: kNo forbids continuing on to_edge; kOnly forbids every edge
// but the to_edges of the kOnly entries with this from_edge.
struct TurnRestriction {
  uint32_t from_edge = 0;
  uint32_t to_edge = 0;
  RestrictionKind kind = RestrictionKind::kNo;
};
static_assert(sizeof(TurnRestriction) == 12);

// An arc of the contraction hierarchy (contraction_hierarchy.hpp) between two vertices of the
// edge-based graph (vertices are edge indices).
struct ChArc {
  uint32_t other = 0;      // the higher vertex at the arc's other end
  uint32_t weight_ms = 0;
  uint32_t middle = kNoEdge;  // kNoEdge for a turn of the graph, else the vertex the shortcut bypasses
};
static_assert(sizeof(ChArc) == 12);

// The graph as the builder produces it and write_graph stores it.
// Invariants (checked by Graph::open for files): first_out has nodes.size()+1 non-decreasing
// entries ending at edges.size(); edges are sorted by source and edges[e].source matches first_out;
// restrictions are sorted by from_edge; name_offsets has one more entry than there are names,
// starting at 0, non-decreasing, ending at name_chars.size().
struct GraphData {
  std::vector<NodeCoord> nodes;
  std::vector<int64_t> osm_node_ids;
  std::vector<uint32_t> first_out;
  std::vector<Edge> edges;
  std::vector<TurnRestriction> restrictions;
  std::vector<uint32_t> name_offsets{0};
  std::string name_chars;
  // The contraction hierarchy, one entry per edge (ch_up_first/ch_down_first: edges + 1); all
  // empty when none was built. Invariants in contraction_hierarchy.hpp.
  std::vector<uint32_t> ch_rank;
  std::vector<uint32_t> ch_up_first;
  std::vector<ChArc> ch_up;
  std::vector<uint32_t> ch_down_first;
  std::vector<ChArc> ch_down;
  std::vector<uint32_t> ch_self_loop;         // kNoEdge when none
  std::vector<uint32_t> ch_self_loop_middle;  // kNoEdge when none
};

class Graph {
 public:
  // Maps and validates a graph file. Errors: kFileNotFound, kIoError, kNotAGraph,
  // kUnsupportedVersion, kTruncated, kCorrupt (checksum, section table or invariants).
  static Result<Graph> open(const std::string& path);
  // REQUIRES: data satisfies GraphData's invariants (as GraphBuilder's output does).
  static Graph from_data(GraphData data);
  // A view of `data` that does not own it. REQUIRES: as from_data, and `data` outlives the view
  // and its copies.
  static Graph borrow(const GraphData& data);

  uint32_t node_count() const { return static_cast<uint32_t>(nodes_.size()); }
  uint32_t edge_count() const { return static_cast<uint32_t>(edges_.size()); }
  size_t restriction_count() const { return restrictions_.size(); }
  size_t name_count() const { return name_offsets_.empty() ? 0 : name_offsets_.size() - 1; }

  NodeCoord node(uint32_t n) const { return nodes_[n]; }
  core::LatLon coord(uint32_t n) const;
  int64_t osm_node_id(uint32_t n) const { return osm_node_ids_[n]; }
  const Edge& edge(uint32_t e) const { return edges_[e]; }
  uint32_t first_out(uint32_t n) const { return first_out_[n]; }
  uint32_t end_out(uint32_t n) const { return first_out_[n + 1]; }
  // Restrictions whose from_edge is e (sorted by to_edge is not guaranteed).
  std::span<const TurnRestriction> restrictions_from(uint32_t e) const;
  std::string_view name(uint32_t index) const;
  // Whether a car that drove edge `from` may continue on edge `to`, which leaves from's target:
  // no turn restriction forbids it, and it is not a U-turn onto the same segment (`from`'s twin)
  // unless no other edge leaves the node (a dead end).
  bool turn_allowed(uint32_t from, uint32_t to) const;

  bool has_contraction_hierarchy() const { return !ch_rank_.empty(); }
  // The hierarchy's arrays (see GraphData); empty without one.
  std::span<const uint32_t> ch_rank() const { return ch_rank_; }
  std::span<const uint32_t> ch_up_first() const { return ch_up_first_; }
  std::span<const ChArc> ch_up() const { return ch_up_; }
  std::span<const uint32_t> ch_down_first() const { return ch_down_first_; }
  std::span<const ChArc> ch_down() const { return ch_down_; }
  std::span<const uint32_t> ch_self_loop() const { return ch_self_loop_; }
  std::span<const uint32_t> ch_self_loop_middle() const { return ch_self_loop_middle_; }

 private:
  Graph() = default;

  std::shared_ptr<const void> storage_;  // the mapping or the GraphData the spans point into
  std::span<const NodeCoord> nodes_;
  std::span<const int64_t> osm_node_ids_;
  std::span<const uint32_t> first_out_;
  std::span<const Edge> edges_;
  std::span<const TurnRestriction> restrictions_;
  std::span<const uint32_t> name_offsets_;
  std::string_view name_chars_;
  std::span<const uint32_t> ch_rank_;
  std::span<const uint32_t> ch_up_first_;
  std::span<const ChArc> ch_up_;
  std::span<const uint32_t> ch_down_first_;
  std::span<const ChArc> ch_down_;
  std::span<const uint32_t> ch_self_loop_;
  std::span<const uint32_t> ch_self_loop_middle_;
};

}  // namespace lastmile::map
