#pragma once
// Scratch space of the router's point-to-point searches (internal to router.cpp), reused between
// queries so that a query costs what it visits, not O(edges).
//
// A label is valid only while its stamp equals the array's current stamp; begin() starts a new
// search by bumping the stamp (clearing every stamp only when the 32-bit counter wraps), so nothing
// is cleared between queries. Lists and the heap keep their capacity.
//
// Ownership and threads: search_workspace() returns the calling thread's own workspace (a
// thread_local, sized to the largest graph the thread has searched: 2 × 24 bytes per edge, about
// 1.3 MB for Monaco). Not reentrant: a search must finish with it before another one starts on the
// same thread (searches do not call each other).

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "map/contraction_hierarchy.hpp"
#include "map/graph.hpp"

namespace lastmile::map {

struct SearchLabel {
  double dist;
  uint32_t prev;  // the vertex before (forward) / after (backward); kNoEdge for a seed
  uint32_t arc;   // index in Graph::ch_up() (forward) / ch_down() (backward) of the arc from / to prev
  uint32_t stamp;
  uint32_t initial;  // 1 for a seed (the phantom's own edge), not reached by an arc
};
static_assert(sizeof(SearchLabel) == 24);

class LabelArray {
 public:
  static constexpr double kInfinity = std::numeric_limits<double>::infinity();

  // Starts a search over `vertices` vertices: every label becomes unreached.
  void begin(size_t vertices) {
    if (labels_.size() < vertices) labels_.resize(vertices, SearchLabel{kInfinity, kNoEdge, kNoEdge, 0, 0});
    if (++stamp_ == 0) {
      for (SearchLabel& l : labels_) l.stamp = 0;
      stamp_ = 1;
    }
  }
  bool reached(uint32_t v) const { return labels_[v].stamp == stamp_; }
  // kInfinity when v is unreached.
  double dist(uint32_t v) const { return reached(v) ? labels_[v].dist : kInfinity; }
  // REQUIRES: reached(v).
  const SearchLabel& at(uint32_t v) const { return labels_[v]; }
  void set(uint32_t v, double dist, uint32_t prev, uint32_t arc, bool initial) {
    labels_[v] = {dist, prev, arc, stamp_, initial ? 1U : 0U};
  }

 private:
  std::vector<SearchLabel> labels_;
  uint32_t stamp_ = 0;
};

struct SearchWorkspace {
  using HeapItem = std::pair<double, uint32_t>;  // key, vertex; a min-heap with std::greater<>

  LabelArray forward;
  LabelArray backward;
  std::vector<uint32_t> forward_seen;
  std::vector<uint32_t> backward_seen;
  std::vector<HeapItem> heap;
  std::vector<std::pair<uint32_t, uint32_t>> up_steps;  // vertex, arc index (path unpacking)
  std::vector<uint32_t> path;
  std::vector<ContractionHierarchy::UnpackStep> unpack_stack;
};

// The calling thread's workspace.
inline SearchWorkspace& search_workspace() {
  thread_local SearchWorkspace workspace;
  return workspace;
}

}  // namespace lastmile::map
