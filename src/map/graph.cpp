#include "map/graph.hpp"

#include <algorithm>

namespace lastmile::map {

core::LatLon Graph::coord(uint32_t n) const {
  const NodeCoord c = nodes_[n];
  // Stored coordinates were validated when imported and when the file was opened.
  return *core::LatLon::from_unsafe({c.lat_e7 * 1e-7, c.lon_e7 * 1e-7});
}

std::span<const TurnRestriction> Graph::restrictions_from(uint32_t e) const {
  const auto lo = std::lower_bound(restrictions_.begin(), restrictions_.end(), e,
                                   [](const TurnRestriction& r, uint32_t v) { return r.from_edge < v; });
  auto hi = lo;
  while (hi != restrictions_.end() && hi->from_edge == e) ++hi;
  return {lo, hi};
}

bool Graph::turn_allowed(uint32_t from, uint32_t to) const {
  const Edge& e = edges_[from];
  if (to == e.twin) {
    for (uint32_t f = first_out(e.target); f < end_out(e.target); ++f) {
      if (f != to) return false;  // not a dead end
    }
  }
  bool has_only = false;
  bool listed_only = false;
  for (const TurnRestriction& r : restrictions_from(from)) {
    if (r.kind == RestrictionKind::kNo && r.to_edge == to) return false;
    if (r.kind == RestrictionKind::kOnly) {
      has_only = true;
      listed_only = listed_only || r.to_edge == to;
    }
  }
  return !has_only || listed_only;
}

std::string_view Graph::name(uint32_t index) const {
  if (index + 1 >= name_offsets_.size()) return {};
  return name_chars_.substr(name_offsets_[index], name_offsets_[index + 1] - name_offsets_[index]);
}

Graph Graph::borrow(const GraphData& d) {
  Graph g;
  g.nodes_ = d.nodes;
  g.osm_node_ids_ = d.osm_node_ids;
  g.first_out_ = d.first_out;
  g.edges_ = d.edges;
  g.restrictions_ = d.restrictions;
  g.name_offsets_ = d.name_offsets;
  g.name_chars_ = d.name_chars;
  g.ch_rank_ = d.ch_rank;
  g.ch_up_first_ = d.ch_up_first;
  g.ch_up_ = d.ch_up;
  g.ch_down_first_ = d.ch_down_first;
  g.ch_down_ = d.ch_down;
  g.ch_self_loop_ = d.ch_self_loop;
  g.ch_self_loop_middle_ = d.ch_self_loop_middle;
  return g;
}

Graph Graph::from_data(GraphData data) {
  auto owned = std::make_shared<const GraphData>(std::move(data));
  Graph g = borrow(*owned);
  g.storage_ = std::move(owned);
  return g;
}

}  // namespace lastmile::map
