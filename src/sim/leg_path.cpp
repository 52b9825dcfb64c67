#include "sim/leg_path.hpp"

#include <algorithm>
#include <cmath>

#include "map/graph.hpp"
#include "sim/drive_simulator.hpp"

namespace lastmile::sim {
namespace {

constexpr double kRad = 3.14159265358979323846 / 180.0;

core::LatLon make(double lat, double lon) {
  lat = std::clamp(lat, -90.0, 90.0);
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return *core::LatLon::from_unsafe({lat, lon});
}

uint64_t stretch_of(const map::Edge& e) {
  return (static_cast<uint64_t>(e.name) << 8) | static_cast<uint64_t>(map::edge_road_class(e));
}

// The edge from u to v of least weight (what the router takes), kNoEdge when none.
uint32_t edge_between(const map::Graph& g, uint32_t u, uint32_t v) {
  uint32_t best = map::kNoEdge;
  for (uint32_t e = g.first_out(u); e < g.end_out(u); ++e) {
    if (g.edge(e).target != v) continue;
    if (best == map::kNoEdge || g.edge(e).weight_ms < g.edge(best).weight_ms) best = e;
  }
  return best;
}

// The directed edge of the segment under `p` that ends at `target` (or, when target is kNoEdge,
// starts at `source`); kNoEdge when snapping `p` does not find such an edge.
uint32_t edge_under(const map::Router& router, core::LatLon p, uint32_t source, uint32_t target) {
  const map::Graph& g = router.graph();
  for (bool big_only : {false, true}) {
    auto s = router.snap(p, big_only);
    if (!s.ok() || s->distance_m > 0.5) continue;
    for (uint32_t e : {s->edge, g.edge(s->edge).twin}) {
      if (e == map::kNoEdge) continue;
      if (target != map::kNoEdge && g.edge(e).target == target) return e;
      if (source != map::kNoEdge && g.edge(e).source == source) return e;
    }
  }
  return map::kNoEdge;
}

// The copy of `g` without its contraction hierarchy (which a changed weight would invalidate).
map::GraphData copy_without_hierarchy(const map::Graph& g) {
  map::GraphData d;
  d.nodes.reserve(g.node_count());
  d.osm_node_ids.reserve(g.node_count());
  d.first_out.reserve(g.node_count() + 1);
  for (uint32_t n = 0; n < g.node_count(); ++n) {
    d.nodes.push_back(g.node(n));
    d.osm_node_ids.push_back(g.osm_node_id(n));
    d.first_out.push_back(g.first_out(n));
  }
  d.first_out.push_back(g.node_count() == 0 ? 0 : g.end_out(g.node_count() - 1));
  d.edges.reserve(g.edge_count());
  for (uint32_t e = 0; e < g.edge_count(); ++e) {
    d.edges.push_back(g.edge(e));
    for (const map::TurnRestriction& r : g.restrictions_from(e)) d.restrictions.push_back(r);
  }
  d.name_offsets = {0};
  for (uint32_t i = 0; i < g.name_count(); ++i) {
    d.name_chars += g.name(i);
    d.name_offsets.push_back(static_cast<uint32_t>(d.name_chars.size()));
  }
  return d;
}

}  // namespace

double bearing_deg(core::LatLon a, core::LatLon b) {
  const double east = (b.lon() - a.lon()) * std::cos((a.lat() + b.lat()) / 2 * kRad);
  const double north = b.lat() - a.lat();
  if (east == 0 && north == 0) return 0;
  double deg = std::atan2(east, north) / kRad;
  if (deg < 0) deg += 360;
  if (deg >= 360) deg -= 360;
  return deg;
}

core::LatLon offset(core::LatLon p, double east_m, double north_m) {
  const double cos_lat = std::max(1e-6, std::cos(p.lat() * kRad));
  return make(p.lat() + north_m / kMetresPerDegree, p.lon() + east_m / (kMetresPerDegree * cos_lat));
}

core::LatLon lerp(core::LatLon a, core::LatLon b, double f) {
  return make(a.lat() + f * (b.lat() - a.lat()), a.lon() + f * (b.lon() - a.lon()));
}

std::vector<Segment> leg_segments(const map::Router& router, const map::Route& route) {
  const map::Graph& g = router.graph();
  std::vector<Segment> out;
  if (route.geometry.size() < 2) return out;
  out.reserve(route.geometry.size() - 1);
  for (size_t i = 0; i + 1 < route.geometry.size(); ++i) {
    const core::LatLon a = route.geometry[i], b = route.geometry[i + 1];
    out.push_back(Segment{a, b, core::haversine_m(a, b)});
  }
  // Which edge each segment lies on (kNoEdge: unknown). With nodes n0..nk the geometry is
  // start, n0, …, nk, end: segment 0 ends at n0, segment i (1..k) is n(i-1) → n(i), the last
  // starts at nk. Without nodes the one segment lies on one edge.
  std::vector<uint32_t> edge(out.size(), map::kNoEdge);
  std::vector<bool> whole(out.size(), false);
  const auto& nodes = route.nodes;
  if (nodes.empty()) {
    auto s = router.snap(route.geometry.front());
    if (s.ok() && s->distance_m <= 0.5) edge[0] = s->edge;
  } else if (out.size() == nodes.size() + 1) {
    edge[0] = edge_under(router, route.geometry.front(), map::kNoEdge, nodes.front());
    for (size_t i = 1; i < nodes.size(); ++i) {
      edge[i] = edge_between(g, nodes[i - 1], nodes[i]);
      whole[i] = edge[i] != map::kNoEdge;
    }
    edge.back() = edge_under(router, route.geometry.back(), nodes.back(), map::kNoEdge);
  }
  // A segment takes the rest of the route's duration (by length) when its edge is unknown, or when
  // it is the whole route (one edge: the router's duration is exact).
  auto takes_rest = [&](size_t i) { return edge[i] == map::kNoEdge || nodes.empty(); };
  double known_s = 0, rest_m = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    Segment& s = out[i];
    if (edge[i] != map::kNoEdge) {
      const map::Edge& e = g.edge(edge[i]);
      s.road_class = map::edge_road_class(e);
      s.stretch = stretch_of(e);
    }
    if (takes_rest(i)) {
      rest_m += s.length_m;
      continue;
    }
    const map::Edge& e = g.edge(edge[i]);
    const double share = whole[i] || e.length_m <= 0 ? 1.0 : std::min(1.0, s.length_m / e.length_m);
    s.free_flow_s = share * e.duration_ms / 1000.0;
    known_s += s.free_flow_s;
  }
  const double rest_s = std::max(0.0, route.duration_s - known_s);
  for (size_t i = 0; i < out.size(); ++i) {
    if (!takes_rest(i)) continue;
    out[i].free_flow_s = rest_m > 0 ? rest_s * out[i].length_m / rest_m : 0;
    if (edge[i] == map::kNoEdge) {  // class and stretch of a neighbour on a known edge
      const size_t n = i == 0 ? std::min<size_t>(1, out.size() - 1) : i - 1;
      if (edge[n] != map::kNoEdge) {
        out[i].road_class = out[n].road_class;
        out[i].stretch = out[n].stretch;
      }
    }
  }
  return out;
}

std::optional<Detour> detour_around(const map::Router& router, core::LatLon from, core::LatLon to,
                                    const map::Route& planned, int max_tries) {
  const map::Graph& g = router.graph();
  const auto& nodes = planned.nodes;
  if (nodes.size() < 2) return std::nullopt;
  const uint32_t start_edge = edge_under(router, planned.geometry.front(), map::kNoEdge, nodes.front());
  map::GraphData data = copy_without_hierarchy(g);
  int tries = 0;
  for (size_t k = 0; k + 1 < nodes.size() && tries < max_tries; ++k) {
    // Only where the driver has a choice: u has an exit other than the planned edge and the way
    // back, or (the first node) the start's segment can be driven the other way. A closure inside a
    // chain of segments (OSM ways are not compressed) would leave none.
    const uint32_t u = nodes[k];
    uint32_t back = k == 0 ? map::kNoEdge : nodes[k - 1];
    bool choice = false;
    if (k == 0 && start_edge != map::kNoEdge) {
      back = g.edge(start_edge).source;
      choice = g.edge(start_edge).twin != map::kNoEdge;
    }
    for (uint32_t e = g.first_out(u); e < g.end_out(u); ++e) {
      choice = choice || (g.edge(e).target != nodes[k + 1] && g.edge(e).target != back);
    }
    if (!choice) continue;
    const uint32_t closed = edge_between(g, u, nodes[k + 1]);
    if (closed == map::kNoEdge) continue;
    ++tries;
    const uint32_t twin = g.edge(closed).twin;
    data.edges[closed].weight_ms = kClosedWeightMs;
    if (twin != map::kNoEdge) data.edges[twin].weight_ms = kClosedWeightMs;
    std::optional<Detour> found;
    {
      const map::Router closed_router(map::Graph::borrow(data));
      auto r = closed_router.route(from, to, map::Router::Search::kAStar);
      if (r.ok() && r->weight_s * 1000 < kClosedWeightMs) found = Detour{std::move(*r), closed};
    }
    data.edges[closed].weight_ms = g.edge(closed).weight_ms;
    if (twin != map::kNoEdge) data.edges[twin].weight_ms = g.edge(twin).weight_ms;
    if (found) return found;
  }
  return std::nullopt;
}

}  // namespace lastmile::sim
