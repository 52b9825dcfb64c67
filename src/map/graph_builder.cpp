#include "map/graph_builder.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lastmile::map {
namespace {

// Routing weight factor for destination-only roads: through traffic avoids them, a trip that
// starts or ends there still uses them.
constexpr uint32_t kDestinationWeightFactor = 5;

double segment_length_m(NodeCoord a, NodeCoord b) {
  const auto pa = core::LatLon::from_unsafe({a.lat_e7 * 1e-7, a.lon_e7 * 1e-7});
  const auto pb = core::LatLon::from_unsafe({b.lat_e7 * 1e-7, b.lon_e7 * 1e-7});
  return core::haversine_m(*pa, *pb);
}

// A directed edge before CSR ordering, with the way it came from.
struct RawEdge {
  Edge edge;
  uint32_t way;
};

// Flags the edges outside big strongly connected components (graph.hpp, kEdgeInSmallComponent),
// found with Kosaraju's algorithm on the node graph (turn restrictions ignored). Returns how many.
uint64_t mark_small_components(GraphData& g) {
  const auto n = static_cast<uint32_t>(g.nodes.size());
  if (n == 0) return 0;
  // Pass 1: finishing order of an iterative depth-first search on the forward graph.
  std::vector<uint32_t> order;
  order.reserve(n);
  std::vector<bool> seen(n, false);
  std::vector<std::pair<uint32_t, uint32_t>> stack;  // node, next edge to look at
  for (uint32_t s = 0; s < n; ++s) {
    if (seen[s]) continue;
    seen[s] = true;
    stack.emplace_back(s, g.first_out[s]);
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      if (next < g.first_out[v + 1]) {
        const uint32_t w = g.edges[next++].target;
        if (!seen[w]) {
          seen[w] = true;
          stack.emplace_back(w, g.first_out[w]);
        }
      } else {
        order.push_back(v);
        stack.pop_back();
      }
    }
  }
  // Pass 2: components on the reverse graph, in reverse finishing order.
  std::vector<uint32_t> first_in(n + 1, 0);
  for (const Edge& e : g.edges) ++first_in[e.target + 1];
  for (uint32_t v = 0; v < n; ++v) first_in[v + 1] += first_in[v];
  std::vector<uint32_t> in_source(g.edges.size());
  {
    std::vector<uint32_t> fill(first_in.begin(), first_in.end() - 1);
    for (const Edge& e : g.edges) in_source[fill[e.target]++] = e.source;
  }
  std::vector<uint32_t> component(n, kNoEdge);
  std::vector<uint32_t> sizes;
  std::vector<uint32_t> todo;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    if (component[*it] != kNoEdge) continue;
    const auto c = static_cast<uint32_t>(sizes.size());
    sizes.push_back(0);
    component[*it] = c;
    todo.push_back(*it);
    while (!todo.empty()) {
      const uint32_t v = todo.back();
      todo.pop_back();
      ++sizes[c];
      for (uint32_t i = first_in[v]; i < first_in[v + 1]; ++i) {
        if (component[in_source[i]] == kNoEdge) {
          component[in_source[i]] = c;
          todo.push_back(in_source[i]);
        }
      }
    }
  }
  const uint32_t big = std::min<uint32_t>(1000, *std::max_element(sizes.begin(), sizes.end()));
  uint64_t flagged = 0;
  for (Edge& e : g.edges) {
    const uint32_t c = component[e.source];
    if (c != component[e.target] || sizes[c] < big) {
      e.flags |= kEdgeInSmallComponent;
      ++flagged;
    }
  }
  return flagged;
}

}  // namespace

uint32_t GraphBuilder::intern_name(std::string_view name) {
  if (name.empty()) return 0;
  const auto [it, inserted] = name_index_.try_emplace(std::string(name), static_cast<uint32_t>(names_.size()));
  if (inserted) names_.emplace_back(name);
  return it->second;
}

void GraphBuilder::add_way(int64_t way_id, std::span<const int64_t> refs, const WayProfile& profile,
                           std::string_view name) {
  if (refs.size() < 2) return;
  ways_.push_back({way_id, static_cast<uint32_t>(refs_.size()), static_cast<uint32_t>(refs.size()), profile,
                   intern_name(name)});
  refs_.insert(refs_.end(), refs.begin(), refs.end());
}

void GraphBuilder::add_restriction(int64_t from_way, int64_t via_node, int64_t to_way, bool only) {
  restrictions_.push_back({from_way, via_node, to_way, only});
}

const std::vector<int64_t>& GraphBuilder::needed_nodes() {
  if (needed_.empty() && !refs_.empty()) {
    needed_ = refs_;
    std::sort(needed_.begin(), needed_.end());
    needed_.erase(std::unique(needed_.begin(), needed_.end()), needed_.end());
    locations_.assign(needed_.size(), NodeCoord{});
    located_.assign(needed_.size(), false);
  }
  return needed_;
}

void GraphBuilder::set_location(int64_t node_id, NodeCoord coord) {
  const auto it = std::lower_bound(needed_.begin(), needed_.end(), node_id);
  if (it == needed_.end() || *it != node_id) return;
  const auto i = static_cast<size_t>(it - needed_.begin());
  locations_[i] = coord;
  located_[i] = true;
}

GraphData GraphBuilder::build(BuildStats* stats) {
  needed_nodes();
  BuildStats st;
  st.ways = ways_.size();
  auto index_of = [&](int64_t id) -> int64_t {
    const auto it = std::lower_bound(needed_.begin(), needed_.end(), id);
    if (it == needed_.end() || *it != id) return -1;
    const auto i = it - needed_.begin();
    return located_[static_cast<size_t>(i)] ? i : -1;
  };

  // Segments between consecutive located nodes of each way; a missing node splits the way.
  std::vector<RawEdge> raw;
  std::vector<uint32_t> dense(needed_.size(), kNoEdge);  // needed index -> graph node
  for (uint32_t w = 0; w < ways_.size(); ++w) {
    const Way& way = ways_[w];
    for (uint32_t k = way.first_ref; k < way.first_ref + way.ref_count; ++k) {
      if (index_of(refs_[k]) < 0) ++st.missing_nodes;
    }
    for (uint32_t k = way.first_ref; k + 1 < way.first_ref + way.ref_count; ++k) {
      const int64_t a = index_of(refs_[k]);
      const int64_t b = index_of(refs_[k + 1]);
      if (a < 0 || b < 0 || a == b) continue;
      const double length = segment_length_m(locations_[a], locations_[b]);
      const double seconds = length / (way.profile.speed_kmh / 3.6);
      Edge e;
      e.source = static_cast<uint32_t>(a);  // needed index for now; made dense below
      e.target = static_cast<uint32_t>(b);
      // At least 1 ms on a segment of any length, so that speeds derived from weights stay finite.
      e.duration_ms = std::max<uint32_t>(1, static_cast<uint32_t>(std::lround(seconds * 1000)));
      e.weight_ms = e.duration_ms * (way.profile.destination_only ? kDestinationWeightFactor : 1);
      e.length_m = static_cast<float>(length);
      e.name = way.name;
      e.flags = road_class_flags(way.profile.road_class);
      const bool forward = way.profile.direction != Direction::kBackward;
      const bool backward = way.profile.direction != Direction::kForward;
      const auto first = static_cast<uint32_t>(raw.size());
      if (forward) raw.push_back({e, w});
      if (backward) {
        Edge r = e;
        std::swap(r.source, r.target);
        raw.push_back({r, w});
      }
      if (forward && backward) {
        raw[first].edge.twin = first + 1;
        raw[first + 1].edge.twin = first;
      }
      dense[a] = dense[b] = 0;
    }
  }

  GraphData g;
  // Graph nodes: located nodes used by a segment, in OSM id order.
  for (size_t i = 0; i < needed_.size(); ++i) {
    if (dense[i] == kNoEdge) continue;
    dense[i] = static_cast<uint32_t>(g.nodes.size());
    g.nodes.push_back(locations_[i]);
    g.osm_node_ids.push_back(needed_[i]);
  }
  for (RawEdge& r : raw) {
    r.edge.source = dense[r.edge.source];
    r.edge.target = dense[r.edge.target];
  }

  // CSR order: by source, stable so that a way's edges keep their order.
  std::vector<uint32_t> order(raw.size());
  std::iota(order.begin(), order.end(), 0U);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return raw[x].edge.source < raw[y].edge.source; });
  std::vector<uint32_t> new_index(raw.size());
  for (uint32_t i = 0; i < order.size(); ++i) new_index[order[i]] = i;
  g.edges.reserve(raw.size());
  std::vector<uint32_t> edge_way(raw.size());
  for (uint32_t i = 0; i < order.size(); ++i) {
    Edge e = raw[order[i]].edge;
    if (e.twin != kNoEdge) e.twin = new_index[e.twin];
    g.edges.push_back(e);
    edge_way[i] = raw[order[i]].way;
  }
  g.first_out.assign(g.nodes.size() + 1, 0);
  for (const Edge& e : g.edges) ++g.first_out[e.source + 1];
  for (size_t n = 0; n < g.nodes.size(); ++n) g.first_out[n + 1] += g.first_out[n];

  // Turn restrictions: every edge of the from way entering the via node, against every edge of the
  // to way leaving it.
  std::vector<std::pair<int64_t, uint32_t>> way_by_id;
  way_by_id.reserve(ways_.size());
  for (uint32_t w = 0; w < ways_.size(); ++w) way_by_id.emplace_back(ways_[w].id, w);
  std::sort(way_by_id.begin(), way_by_id.end());
  auto way_index = [&](int64_t id) -> int64_t {
    const auto it = std::lower_bound(way_by_id.begin(), way_by_id.end(), std::pair<int64_t, uint32_t>(id, 0));
    return (it != way_by_id.end() && it->first == id) ? it->second : -1;
  };
  // Incoming edges per node (CSR by target), for the from side of restrictions.
  std::vector<uint32_t> first_in(g.nodes.size() + 1, 0);
  for (const Edge& e : g.edges) ++first_in[e.target + 1];
  for (size_t n = 0; n < g.nodes.size(); ++n) first_in[n + 1] += first_in[n];
  std::vector<uint32_t> in_edges(g.edges.size());
  {
    std::vector<uint32_t> fill(first_in.begin(), first_in.end() - 1);
    for (uint32_t e = 0; e < g.edges.size(); ++e) in_edges[fill[g.edges[e].target]++] = e;
  }
  for (const Restriction& r : restrictions_) {
    const int64_t from_way = way_index(r.from_way);
    const int64_t to_way = way_index(r.to_way);
    const int64_t via_needed = index_of(r.via_node);
    const uint32_t via = via_needed < 0 ? kNoEdge : dense[via_needed];
    std::vector<uint32_t> from_edges;
    std::vector<uint32_t> to_edges;
    if (from_way >= 0 && to_way >= 0 && via != kNoEdge) {
      for (uint32_t i = first_in[via]; i < first_in[via + 1]; ++i) {
        if (edge_way[in_edges[i]] == from_way) from_edges.push_back(in_edges[i]);
      }
      for (uint32_t e = g.first_out[via]; e < g.first_out[via + 1]; ++e) {
        if (edge_way[e] == to_way) to_edges.push_back(e);
      }
    }
    if (from_edges.empty() || to_edges.empty()) {
      ++st.restrictions_unresolved;
      continue;
    }
    ++st.restrictions_applied;
    for (uint32_t f : from_edges) {
      for (uint32_t t : to_edges) {
        g.restrictions.push_back({f, t, r.only ? RestrictionKind::kOnly : RestrictionKind::kNo});
      }
    }
  }
  std::sort(g.restrictions.begin(), g.restrictions.end(), [](const TurnRestriction& a, const TurnRestriction& b) {
    return a.from_edge != b.from_edge ? a.from_edge < b.from_edge : a.to_edge < b.to_edge;
  });

  st.small_component_edges = mark_small_components(g);

  for (const std::string& name : names_) {
    g.name_chars += name;
    g.name_offsets.push_back(static_cast<uint32_t>(g.name_chars.size()));
  }

  st.nodes = g.nodes.size();
  st.edges = g.edges.size();
  st.names = names_.size();
  if (stats != nullptr) *stats = st;
  return g;
}

}  // namespace lastmile::map
