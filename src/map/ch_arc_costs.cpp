#include "map/ch_arc_costs.hpp"

#include <algorithm>
#include <numeric>

namespace lastmile::map {
namespace {

// The index of the arc in `arcs` whose other end is `other`, or npos (only in a corrupt hierarchy,
// which Graph::open refuses).
size_t find(std::span<const ChArc> arcs, uint32_t other) {
  for (size_t i = 0; i < arcs.size(); ++i) {
    if (arcs[i].other == other) return i;
  }
  return static_cast<size_t>(-1);
}

}  // namespace

ChArcCosts::ChArcCosts(const Graph& graph, const ContractionHierarchy& ch)
    : first_up_(graph.ch_up_first().begin(), graph.ch_up_first().end()),
      first_down_(graph.ch_down_first().begin(), graph.ch_down_first().end()) {
  const uint32_t n = graph.edge_count();
  up_.resize(graph.ch_up().size());
  down_.resize(graph.ch_down().size());
  self_loop_.resize(n);
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  const auto rank = graph.ch_rank();
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return rank[a] < rank[b]; });

  auto edge_cost = [&](uint32_t e) {
    return ArcCost{static_cast<double>(graph.edge(e).duration_ms),
                   static_cast<double>(graph.edge(e).length_m)};
  };
  // The cost of from → to through m: down(m) holds from → m, up(m) holds m → to.
  auto through = [&](uint32_t from, uint32_t m, uint32_t to) {
    const size_t i = find(ch.down(m), from);
    const size_t j = find(ch.up(m), to);
    if (i == static_cast<size_t>(-1) || j == static_cast<size_t>(-1)) return ArcCost{};
    const ArcCost& a = down(m, i);
    const ArcCost& b = up(m, j);
    return ArcCost{a.duration_ms + b.duration_ms, a.length_m + b.length_m};
  };
  for (uint32_t v : order) {
    const auto ups = ch.up(v);
    for (size_t i = 0; i < ups.size(); ++i) {
      up_[first_up_[v] + i] =
          ups[i].middle == kNoEdge ? edge_cost(ups[i].other) : through(v, ups[i].middle, ups[i].other);
    }
    const auto downs = ch.down(v);
    for (size_t i = 0; i < downs.size(); ++i) {
      down_[first_down_[v] + i] =
          downs[i].middle == kNoEdge ? edge_cost(v) : through(downs[i].other, downs[i].middle, v);
    }
  }
  // Self loops last: their halves may sit at any lower vertex.
  const auto loop_middle = graph.ch_self_loop_middle();
  for (uint32_t v = 0; v < n; ++v) {
    if (ch.self_loop_ms(v) != kNoEdge && loop_middle[v] != kNoEdge)
      self_loop_[v] = through(v, loop_middle[v], v);
  }
}

}  // namespace lastmile::map
