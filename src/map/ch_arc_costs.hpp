#pragma once
// What each arc of a contraction hierarchy stands for in reported units: the travel time and the
// length of the graph edges a shortcut bypasses, summed once when a Router is built, so that a
// many-to-many search can add durations and distances along arcs without unpacking paths.
//
// An arc from → to charges the whole edge of `to` (as its weight does); a shortcut is the sum of
// its two halves, which sit at its middle vertex, lower in rank than both ends. Computing vertices
// in increasing rank therefore finds both halves already done.

#include <cstdint>
#include <vector>

#include "map/contraction_hierarchy.hpp"
#include "map/graph.hpp"

namespace lastmile::map {

struct ArcCost {
  double duration_ms = 0;
  double length_m = 0;
};

// REQUIRES: graph.has_contraction_hierarchy(). Immutable after construction; any thread may read.
class ChArcCosts {
 public:
  ChArcCosts(const Graph& graph, const ContractionHierarchy& ch);

  // The cost of up(v)[i] / down(v)[i], indexed by the arc's position in the graph's ch_up / ch_down.
  const ArcCost& up(uint32_t v, size_t i) const { return up_[first_up_[v] + i]; }
  const ArcCost& down(uint32_t v, size_t i) const { return down_[first_down_[v] + i]; }
  // v's self loop (zero when v has none).
  const ArcCost& self_loop(uint32_t v) const { return self_loop_[v]; }

 private:
  std::vector<uint32_t> first_up_;
  std::vector<uint32_t> first_down_;
  std::vector<ArcCost> up_;
  std::vector<ArcCost> down_;
  std::vector<ArcCost> self_loop_;
};

}  // namespace lastmile::map
