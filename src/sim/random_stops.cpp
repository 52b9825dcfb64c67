// random_stops and the nearest-neighbour visiting order (drive_simulator.hpp).
#include <algorithm>
#include <limits>

#include "map/graph.hpp"
#include "sim/drive_simulator.hpp"
#include "sim/sim_random.hpp"

namespace lastmile::sim {

std::vector<core::LatLon> random_stops(const map::Router& router, size_t n, uint64_t seed, double max_offset_m) {
  const map::Graph& g = router.graph();
  std::vector<core::LatLon> out;
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  bool any = false;
  for (uint32_t e = 0; e < g.edge_count(); ++e) {
    const map::Edge& edge = g.edge(e);
    if (edge.flags & map::kEdgeInSmallComponent) continue;
    for (uint32_t node : {edge.source, edge.target}) {
      const core::LatLon c = g.coord(node);
      min_lat = std::min(min_lat, c.lat());
      max_lat = std::max(max_lat, c.lat());
      min_lon = std::min(min_lon, c.lon());
      max_lon = std::max(max_lon, c.lon());
      any = true;
    }
  }
  if (!any || n == 0) return out;
  out.reserve(n);
  Random rng(derive_seed(seed, kStreamStops, 0));
  const size_t max_draws = 200 * n + 1000;
  for (size_t draw = 0; draw < max_draws && out.size() < n; ++draw) {
    const double lat = rng.uniform(min_lat, max_lat);
    const double lon = rng.uniform(min_lon, max_lon);
    auto snap = router.snap(*core::LatLon::from_unsafe({lat, lon}), true);
    if (snap.ok() && snap->distance_m <= max_offset_m) out.push_back(snap->point);
  }
  return out;
}

std::vector<size_t> nearest_neighbour_order(core::LatLon depot, const std::vector<core::LatLon>& stops) {
  std::vector<size_t> order;
  order.reserve(stops.size());
  std::vector<bool> visited(stops.size(), false);
  core::LatLon here = depot;
  for (size_t k = 0; k < stops.size(); ++k) {
    size_t best = stops.size();
    double best_m = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < stops.size(); ++i) {
      if (visited[i]) continue;
      const double d = core::haversine_m(here, stops[i]);
      if (d < best_m) {
        best_m = d;
        best = i;
      }
    }
    visited[best] = true;
    order.push_back(best);
    here = stops[best];
  }
  return order;
}

std::vector<core::LatLon> order_nearest_neighbour(core::LatLon depot, const std::vector<core::LatLon>& stops) {
  std::vector<core::LatLon> out;
  out.reserve(stops.size());
  for (size_t i : nearest_neighbour_order(depot, stops)) out.push_back(stops[i]);
  return out;
}

}  // namespace lastmile::sim
