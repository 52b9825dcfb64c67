#include "map/router.hpp"

#include "map/ch_arc_costs.hpp"
#include "map/contraction_hierarchy.hpp"
#include "map/phantom.hpp"
#include "map/search_workspace.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>

namespace lastmile::map {
namespace {

constexpr double kMetresPerDegree = 6'371'008.8 * 3.14159265358979323846 / 180.0;
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kTargetCellDegrees = 0.0025;  // about 280 m of latitude

double lat_of(NodeCoord c) { return c.lat_e7 * 1e-7; }
double lon_of(NodeCoord c) { return c.lon_e7 * 1e-7; }

core::LatLon make_latlon(double lat, double lon) {
  return *core::LatLon::from_unsafe({std::clamp(lat, -90.0, 90.0), std::clamp(lon, -180.0, 180.0)});
}

// Squared distance from a point to a segment in a local equirectangular projection centred on the
// point (exact enough at snapping distances); `kx` is metres per degree of longitude at the point
// (cos(lat) × kMetresPerDegree, computed once per query); `t` receives the projection's position
// along a→b.
double point_segment_m2(double lat, double lon, double kx, NodeCoord a, NodeCoord b, double* t) {
  const double ax = (lon_of(a) - lon) * kx, ay = (lat_of(a) - lat) * kMetresPerDegree;
  const double bx = (lon_of(b) - lon) * kx, by = (lat_of(b) - lat) * kMetresPerDegree;
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  double f = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  f = std::clamp(f, 0.0, 1.0);
  *t = f;
  const double px = ax + f * dx, py = ay + f * dy;
  return px * px + py * py;
}

// The route that drives `chain` (the first edge from the start point on, the others whole) and
// then `last` up to the end point; `chain` is empty when both points are on `last`.
Route assemble(const Graph& g, const Snap& from_snap, const Snap& to_snap, const std::vector<uint32_t>& chain,
               uint32_t last_edge, double weight_ms) {
  const Phantom source = phantom_of(g, from_snap);
  const Phantom target = phantom_of(g, to_snap);
  auto fraction_on = [](const Phantom& p, uint32_t e) {
    return p.edge[0] == e ? p.fraction[0] : p.fraction[1];
  };
  Route route;
  route.weight_s = weight_ms / 1000.0;
  route.geometry.push_back(from_snap.point);
  // Drives `share` of `edge`.
  auto drive = [&route](const Edge& edge, double share) {
    const double seconds = share * edge.duration_ms / 1000.0;
    route.duration_s += seconds;
    route.distance_m += share * edge.length_m;
    route.class_duration_s[static_cast<size_t>(edge_road_class(edge))] += seconds;
  };
  const Edge& last = g.edge(last_edge);
  const double last_end = fraction_on(target, last_edge);
  if (chain.empty()) {
    drive(last, last_end - fraction_on(source, last_edge));
  } else {
    route.nodes.reserve(chain.size());
    route.geometry.reserve(chain.size() + 2);
    for (size_t i = 0; i < chain.size(); ++i) {
      const Edge& edge = g.edge(chain[i]);
      drive(edge, i == 0 ? 1 - fraction_on(source, chain[i]) : 1.0);
      route.nodes.push_back(edge.target);
      route.geometry.push_back(g.coord(edge.target));
    }
    drive(last, last_end);
  }
  route.geometry.push_back(to_snap.point);
  return route;
}

}  // namespace

Router::Router(Graph graph, RouterOptions options) : graph_(std::move(graph)), options_(options) {
  for (uint32_t e = 0; e < graph_.edge_count(); ++e) {
    const Edge& edge = graph_.edge(e);
    if (edge.weight_ms > 0) {
      max_speed_m_per_s_ = std::max(max_speed_m_per_s_, edge.length_m / (edge.weight_ms / 1000.0));
    }
  }
  build_grid();
  if (graph_.has_contraction_hierarchy()) {
    ch_ = std::make_shared<const ContractionHierarchy>(graph_);
    arc_costs_ = std::make_shared<const ChArcCosts>(graph_, *ch_);
  }
}

Result<Route> Router::route(core::LatLon from, core::LatLon to, Search search_kind) const {
  auto from_snap = snap(from);
  if (!from_snap) return from_snap.error();
  auto to_snap = snap(to);
  if (!to_snap) return to_snap.error();
  auto first = search(*from_snap, *to_snap, search_kind);
  if (first.ok() || first.error().code != ErrorCode::kNoRoute) return first;
  const bool from_small = (graph_.edge(from_snap->edge).flags & kEdgeInSmallComponent) != 0;
  const bool to_small = (graph_.edge(to_snap->edge).flags & kEdgeInSmallComponent) != 0;
  if (!from_small && !to_small) return first;
  if (from_small) {
    auto again = snap(from, true);
    if (!again) return first;
    from_snap = std::move(again);
  }
  if (to_small) {
    auto again = snap(to, true);
    if (!again) return first;
    to_snap = std::move(again);
  }
  return search(*from_snap, *to_snap, search_kind);
}

Router::Cell Router::cell_of(double lat, double lon) const {
  return {static_cast<int64_t>(std::floor((lon - min_lon_) / cell_lon_)),
          static_cast<int64_t>(std::floor((lat - min_lat_) / cell_lat_))};
}

void Router::build_grid() {
  const Graph& g = graph_;
  if (g.node_count() == 0) return;
  double max_lat = -90, max_lon = -180;
  min_lat_ = 90;
  min_lon_ = 180;
  for (uint32_t n = 0; n < g.node_count(); ++n) {
    const NodeCoord c = g.node(n);
    min_lat_ = std::min(min_lat_, lat_of(c));
    min_lon_ = std::min(min_lon_, lon_of(c));
    max_lat = std::max(max_lat, lat_of(c));
    max_lon = std::max(max_lon, lon_of(c));
  }
  min_cos_lat_ = std::cos(std::max(std::abs(min_lat_), std::abs(max_lat)) * 3.14159265358979323846 / 180.0);
  // Square-ish cells in metres; coarser until there are at most ~4 cells per segment.
  const double mid_cos = std::max(0.01, std::cos((min_lat_ + max_lat) / 2 * 3.14159265358979323846 / 180.0));
  const double max_cells = std::max<double>(1024, 4.0 * g.edge_count());
  cell_lat_ = kTargetCellDegrees;
  for (;;) {
    cell_lon_ = cell_lat_ / mid_cos;
    nx_ = static_cast<int64_t>((max_lon - min_lon_) / cell_lon_) + 1;
    ny_ = static_cast<int64_t>((max_lat - min_lat_) / cell_lat_) + 1;
    if (static_cast<double>(nx_) * static_cast<double>(ny_) <= max_cells) break;
    cell_lat_ *= 2;
  }

  // Two passes over the segments (each undirected segment once): count per cell, then fill.
  std::vector<uint32_t> counts(static_cast<size_t>(nx_ * ny_) + 1, 0);
  auto for_each_cell = [&](uint32_t e, auto&& visit) {
    const Edge& edge = g.edge(e);
    const NodeCoord a = g.node(edge.source), b = g.node(edge.target);
    const Cell lo = cell_of(std::min(lat_of(a), lat_of(b)), std::min(lon_of(a), lon_of(b)));
    const Cell hi = cell_of(std::max(lat_of(a), lat_of(b)), std::max(lon_of(a), lon_of(b)));
    for (int64_t y = std::max<int64_t>(0, lo.y); y <= std::min(ny_ - 1, hi.y); ++y) {
      for (int64_t x = std::max<int64_t>(0, lo.x); x <= std::min(nx_ - 1, hi.x); ++x) visit(y * nx_ + x);
    }
  };
  auto indexed = [&](uint32_t e) { return g.edge(e).twin == kNoEdge || e < g.edge(e).twin; };
  for (uint32_t e = 0; e < g.edge_count(); ++e) {
    if (indexed(e)) for_each_cell(e, [&](int64_t c) { ++counts[static_cast<size_t>(c) + 1]; });
  }
  for (size_t c = 1; c < counts.size(); ++c) counts[c] += counts[c - 1];
  cell_first_ = counts;
  cell_edges_.resize(counts.back());
  for (uint32_t e = 0; e < g.edge_count(); ++e) {
    if (indexed(e)) for_each_cell(e, [&](int64_t c) { cell_edges_[counts[static_cast<size_t>(c)]++] = e; });
  }
}

Result<Snap> Router::snap(core::LatLon where, bool big_components_only) const {
  const double lat = where.lat(), lon = where.lon();
  // Built only on failure: formatting the message costs more than a successful snap.
  auto outside = [&] {
    return Error{ErrorCode::kOutsideMap, "no drivable road within " +
                                             std::to_string(static_cast<int>(options_.snap_radius_m)) +
                                             " m of " + std::to_string(lat) + "," + std::to_string(lon)};
  };
  if (cell_first_.empty()) return outside();
  const Cell c = cell_of(lat, lon);
  const double cell_m = std::min(cell_lat_ * kMetresPerDegree,
                                 cell_lon_ * kMetresPerDegree * std::cos(lat * 3.14159265358979323846 / 180.0));
  const int64_t max_ring = static_cast<int64_t>(options_.snap_radius_m / cell_m) + 1;
  // A query farther than the radius outside the grid finds nothing: skip the empty rings.
  const int64_t dx = std::max<int64_t>({0, -c.x, c.x - (nx_ - 1)});
  const int64_t dy = std::max<int64_t>({0, -c.y, c.y - (ny_ - 1)});
  if (std::max(dx, dy) > max_ring) return outside();

  const double kx = std::cos(lat * 3.14159265358979323846 / 180.0) * kMetresPerDegree;
  uint32_t best_edge = kNoEdge;
  double best_t = 0;
  double best_m2 = kInfinity;  // squared metres
  for (int64_t ring = std::max(dx, dy); ring <= max_ring; ++ring) {
    for (int64_t y = c.y - ring; y <= c.y + ring; ++y) {
      if (y < 0 || y >= ny_) continue;
      const bool edge_row = (y == c.y - ring || y == c.y + ring);
      for (int64_t x = c.x - ring; x <= c.x + ring; x += (edge_row || ring == 0) ? 1 : 2 * ring) {
        if (x < 0 || x >= nx_) continue;
        const auto cell = static_cast<size_t>(y * nx_ + x);
        for (uint32_t i = cell_first_[cell]; i < cell_first_[cell + 1]; ++i) {
          const uint32_t e = cell_edges_[i];
          const Edge& edge = graph_.edge(e);
          if (big_components_only && (edge.flags & kEdgeInSmallComponent) != 0) continue;
          double t = 0;
          const double d2 =
              point_segment_m2(lat, lon, kx, graph_.node(edge.source), graph_.node(edge.target), &t);
          if (d2 < best_m2 || (d2 == best_m2 && e < best_edge)) {
            best_m2 = d2;
            best_edge = e;
            best_t = t;
          }
        }
      }
    }
    // Every segment not yet seen lies wholly outside the square of cells searched so far, so it is
    // at least as far as that square's border (in the same projection as point_segment_m2).
    const double west = min_lon_ + static_cast<double>(c.x - ring) * cell_lon_;
    const double east = min_lon_ + static_cast<double>(c.x + ring + 1) * cell_lon_;
    const double south = min_lat_ + static_cast<double>(c.y - ring) * cell_lat_;
    const double north = min_lat_ + static_cast<double>(c.y + ring + 1) * cell_lat_;
    const double seen_m =
        std::max(0.0, std::min({(lon - west) * kx, (east - lon) * kx, (lat - south) * kMetresPerDegree,
                                (north - lat) * kMetresPerDegree}));
    if (best_m2 <= seen_m * seen_m) break;
  }
  const double best_m = std::sqrt(best_m2);
  if (best_edge == kNoEdge || best_m > options_.snap_radius_m) return outside();
  const Edge& edge = graph_.edge(best_edge);
  const NodeCoord a = graph_.node(edge.source), b = graph_.node(edge.target);
  return Snap{best_edge, best_t,
              make_latlon(lat_of(a) + best_t * (lat_of(b) - lat_of(a)), lon_of(a) + best_t * (lon_of(b) - lon_of(a))),
              best_m};
}

Result<Route> Router::search(const Snap& from_snap, const Snap& to_snap, Search search) const {
  if ((search == Search::kContractionHierarchy || search == Search::kAuto) && ch_ != nullptr) {
    return search_ch(from_snap, to_snap);
  }
  const Graph& g = graph_;
  const Phantom source = phantom_of(g, from_snap);
  const Phantom target = phantom_of(g, to_snap);
  const double goal_lat = to_snap.point.lat(), goal_lon = to_snap.point.lon();
  // ms per degree of latitude / longitude at the highest speed, with 1% slack.
  const double ms_per_deg_lat = search != Search::kDijkstra ? kMetresPerDegree / max_speed_m_per_s_ * 1000 * 0.99 : 0;
  const double ms_per_deg_lon = ms_per_deg_lat * min_cos_lat_;
  auto heuristic = [&](uint32_t e) {
    const NodeCoord c = g.node(g.edge(e).target);
    const double dy = (lat_of(c) - goal_lat) * ms_per_deg_lat;
    const double dx = (lon_of(c) - goal_lon) * ms_per_deg_lon;
    return std::sqrt(dx * dx + dy * dy);
  };

  // labels.dist(e): least weight (ms) to reach the target node of e having driven e; prev: the
  // edge driven before e.
  SearchWorkspace& ws = search_workspace();
  LabelArray& labels = ws.forward;
  labels.begin(g.edge_count());
  std::vector<SearchWorkspace::HeapItem>& heap = ws.heap;
  heap.clear();
  auto push = [&heap](double key, uint32_t e) {
    heap.emplace_back(key, e);
    std::push_heap(heap.begin(), heap.end(), std::greater<>());
  };

  double best = kInfinity;
  uint32_t best_last = kNoEdge;   // the edge the route ends on (partially driven)
  uint32_t best_before = kNoEdge; // the fully driven edge before it; kNoEdge when start and end share an edge

  for (int i = 0; i < 2; ++i) {
    const uint32_t e = source.edge[i];
    if (e == kNoEdge) continue;
    labels.set(e, (1 - source.fraction[i]) * g.edge(e).weight_ms, kNoEdge, kNoEdge, true);
    push(labels.at(e).dist + heuristic(e), e);
    for (int j = 0; j < 2; ++j) {
      if (target.edge[j] == e && source.fraction[i] <= target.fraction[j]) {
        const double w = (target.fraction[j] - source.fraction[i]) * g.edge(e).weight_ms;
        if (w < best) {
          best = w;
          best_last = e;
          best_before = kNoEdge;
        }
      }
    }
  }

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const auto [key, e] = heap.back();
    heap.pop_back();
    if (key >= best) break;
    const double dist_e = labels.at(e).dist;
    if (key > dist_e + heuristic(e)) continue;  // stale entry
    const uint32_t v = g.edge(e).target;
    for (uint32_t f = g.first_out(v); f < g.end_out(v); ++f) {
      if (!g.turn_allowed(e, f)) continue;
      const Edge& edge = g.edge(f);
      for (int j = 0; j < 2; ++j) {
        if (target.edge[j] != f) continue;
        const double w = dist_e + target.fraction[j] * edge.weight_ms;
        if (w < best) {
          best = w;
          best_last = f;
          best_before = e;
        }
      }
      const double d = dist_e + edge.weight_ms;
      if (d < labels.dist(f)) {
        labels.set(f, d, e, kNoEdge, false);
        push(d + heuristic(f), f);
      }
    }
  }
  if (best_last == kNoEdge) {
    return Error{ErrorCode::kNoRoute, "no route between the two points (one-way streets, turn restrictions "
                                      "or unconnected roads)"};
  }

  // Rebuild: the driven edges, first to last; the first and last only partly.
  std::vector<uint32_t>& chain = ws.path;
  chain.clear();
  for (uint32_t e = best_before; e != kNoEdge; e = labels.at(e).prev) chain.push_back(e);
  std::reverse(chain.begin(), chain.end());
  return assemble(g, from_snap, to_snap, chain, best_last, best);
}

// Bidirectional search in the hierarchy: upward from the start edges, upward over reversed arcs
// from the end edges; each explores its whole (small) upward space, then the best meeting vertex
// wins. Backward values start at -(1 - fraction) * weight of the end edge, because every arc into
// a vertex charges the vertex's whole edge. A meeting at a vertex both searches only initialised
// would be the one-edge route, which is checked on its own (start before end).
Result<Route> Router::search_ch(const Snap& from_snap, const Snap& to_snap) const {
  const Graph& g = graph_;
  const ContractionHierarchy& ch = *ch_;
  if (g.edge_count() == 0) return Error{ErrorCode::kNoRoute, "empty graph"};
  const Phantom source = phantom_of(g, from_snap);
  const Phantom target = phantom_of(g, to_snap);
  SearchWorkspace& ws = search_workspace();
  LabelArray& fwd = ws.forward;
  LabelArray& bwd = ws.backward;
  fwd.begin(g.edge_count());
  bwd.begin(g.edge_count());
  ws.forward_seen.clear();
  ws.backward_seen.clear();
  const ChArc* const up_base = g.ch_up().data();
  const ChArc* const down_base = g.ch_down().data();
  auto run = [&ch, &ws, up_base, down_base](LabelArray& labels, std::vector<uint32_t>& seen, bool forward) {
    std::vector<SearchWorkspace::HeapItem>& heap = ws.heap;
    heap.clear();
    auto push = [&heap](double key, uint32_t v) {
      heap.emplace_back(key, v);
      std::push_heap(heap.begin(), heap.end(), std::greater<>());
    };
    for (uint32_t v : seen) push(labels.at(v).dist, v);
    const ChArc* const base = forward ? up_base : down_base;
    while (!heap.empty()) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      const auto [d, v] = heap.back();
      heap.pop_back();
      if (d > labels.at(v).dist) continue;
      for (const ChArc& a : forward ? ch.up(v) : ch.down(v)) {
        const double nd = d + a.weight_ms;
        if (nd < labels.dist(a.other)) {
          if (!labels.reached(a.other)) seen.push_back(a.other);
          labels.set(a.other, nd, v, static_cast<uint32_t>(&a - base), false);
          push(nd, a.other);
        }
      }
    }
  };

  double best = kInfinity;
  uint32_t meet = kNoEdge;
  bool meet_loop = false;
  uint32_t direct = kNoEdge;
  for (int i = 0; i < 2; ++i) {
    const uint32_t s = source.edge[i];
    if (s == kNoEdge) continue;
    fwd.set(s, (1 - source.fraction[i]) * g.edge(s).weight_ms, kNoEdge, kNoEdge, true);
    ws.forward_seen.push_back(s);
    for (int j = 0; j < 2; ++j) {
      if (target.edge[j] == s && source.fraction[i] <= target.fraction[j]) {
        const double w = (target.fraction[j] - source.fraction[i]) * g.edge(s).weight_ms;
        if (w < best) {
          best = w;
          direct = s;
        }
      }
    }
  }
  for (int j = 0; j < 2; ++j) {
    const uint32_t t = target.edge[j];
    if (t == kNoEdge) continue;
    bwd.set(t, -(1 - target.fraction[j]) * g.edge(t).weight_ms, kNoEdge, kNoEdge, true);
    ws.backward_seen.push_back(t);
  }
  run(fwd, ws.forward_seen, true);
  run(bwd, ws.backward_seen, false);
  for (uint32_t x : ws.forward_seen) {
    if (!bwd.reached(x)) continue;
    const SearchLabel& f = fwd.at(x);
    const SearchLabel& b = bwd.at(x);
    const double through = f.dist + b.dist;
    if (!(f.initial && b.initial) && through < best) {
      best = through;
      meet = x;
      meet_loop = false;
      direct = kNoEdge;
    }
    if (ch.self_loop_ms(x) != kNoEdge && through + ch.self_loop_ms(x) < best) {
      best = through + ch.self_loop_ms(x);
      meet = x;
      meet_loop = true;
      direct = kNoEdge;
    }
  }
  std::vector<uint32_t>& path = ws.path;
  path.clear();
  if (direct != kNoEdge) return assemble(g, from_snap, to_snap, path, direct, best);
  if (meet == kNoEdge) {
    return Error{ErrorCode::kNoRoute, "no route between the two points (one-way streets, turn restrictions "
                                      "or unconnected roads)"};
  }

  // The driven edges: start ... meet (forward labels, unpacked), the cycle at meet, meet ... end.
  std::vector<std::pair<uint32_t, uint32_t>>& up_steps = ws.up_steps;
  up_steps.clear();
  uint32_t first = meet;
  for (; fwd.at(first).prev != kNoEdge; first = fwd.at(first).prev) {
    up_steps.emplace_back(first, fwd.at(first).arc);
  }
  path.push_back(first);
  for (auto it = up_steps.rbegin(); it != up_steps.rend(); ++it) {
    ch.unpack(fwd.at(it->first).prev, it->first, up_base[it->second], &path, &ws.unpack_stack);
  }
  if (meet_loop) ch.unpack_self_loop(meet, &path);
  for (uint32_t v = meet; bwd.at(v).prev != kNoEdge; v = bwd.at(v).prev) {
    ch.unpack(v, bwd.at(v).prev, down_base[bwd.at(v).arc], &path, &ws.unpack_stack);
  }
  const uint32_t last = path.back();
  path.pop_back();
  return assemble(g, from_snap, to_snap, path, last, best);
}

}  // namespace lastmile::map
