#pragma once
// Contraction hierarchy over the graph's turns, for fast exact queries.
//
// The hierarchy is built on the edge-based graph: one vertex per directed edge e ("arrived at
// e's target through e"), one arc e → f per allowed turn (Graph::turn_allowed), weighing
// f.weight_ms. Turn restrictions are therefore part of the graph, and a CH route weighs exactly
// what the edge-based Dijkstra finds. Vertices are contracted in order of edge difference (lazy
// updates); a shortcut is added unless a witness search (bounded to 200 settled vertices) finds a
// path at most as heavy. A cycle that returns to a vertex through lower vertices is kept as the
// vertex's self loop, for a start and an end on one edge with the end behind the start.
//
// import-map builds it and stores it in the graph file (GraphData's ch_* arrays).
// Invariants (checked by Graph::open): rank is any u32 per vertex (import gives the contraction order);
// every arc in up(v) / down(v) has rank(other) > rank(v); a shortcut's middle has a lower rank
// than both ends; a self loop's middle has a lower rank than its vertex. Unpacking therefore
// always terminates.

#include <cstdint>
#include <span>
#include <vector>

#include "map/graph.hpp"

namespace lastmile::map {

// Computes the hierarchy of `graph` into data's ch_* arrays (replacing any). `graph` may be a
// Graph::borrow view of `data`; the arrays it reads (nodes, edges, restrictions) are not touched.
// Returns the number of shortcuts.
uint64_t build_contraction_hierarchy(const Graph& graph, GraphData* data);

// A read-only view of a graph's hierarchy. REQUIRES: graph.has_contraction_hierarchy().
class ContractionHierarchy {
 public:
  explicit ContractionHierarchy(const Graph& graph) : g_(graph) {}

  // Arcs v → other with rank(other) > rank(v).
  std::span<const ChArc> up(uint32_t v) const {
    return g_.ch_up().subspan(g_.ch_up_first()[v], g_.ch_up_first()[v + 1] - g_.ch_up_first()[v]);
  }
  // Arcs other → v with rank(other) > rank(v), for the backward search.
  std::span<const ChArc> down(uint32_t v) const {
    return g_.ch_down().subspan(g_.ch_down_first()[v], g_.ch_down_first()[v + 1] - g_.ch_down_first()[v]);
  }
  // The weight of v's cheapest cycle through lower vertices, kNoEdge when none.
  uint32_t self_loop_ms(uint32_t v) const { return g_.ch_self_loop()[v]; }

  // Appends the vertices (graph edges) the arc from → to stands for: after `from`, up to and
  // including `to`. `arc` is the arc's entry in up(from) or down(to).
  void unpack(uint32_t from, uint32_t to, const ChArc& arc, std::vector<uint32_t>* out) const;
  // Arcs still to expand while unpacking.
  struct UnpackStep {
    uint32_t from;
    uint32_t to;
    const ChArc* arc;
  };
  // As above, with `stack` as scratch space (cleared first, capacity kept), so that a caller
  // unpacking many arcs allocates nothing per arc.
  void unpack(uint32_t from, uint32_t to, const ChArc& arc, std::vector<uint32_t>* out,
              std::vector<UnpackStep>* stack) const;
  // Appends the vertices of v's self loop after v, ending with v itself.
  void unpack_self_loop(uint32_t v, std::vector<uint32_t>* out) const;

 private:
  const ChArc* find_up(uint32_t v, uint32_t other) const;
  const ChArc* find_down(uint32_t v, uint32_t other) const;

  Graph g_;
};

}  // namespace lastmile::map
