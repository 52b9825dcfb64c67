#include "map/routing_service.hpp"

#include <cassert>

namespace lastmile::map {

std::string_view source_name(RouteSource source) {
  switch (source) {
    case RouteSource::kRoadNetwork:
      return "road_network";
    case RouteSource::kGreatCircle:
      return "great_circle";
  }
  return "great_circle";
}

RoutingService::RoutingService(std::shared_ptr<const Router> router, GreatCircleOptions options)
    : router_(std::move(router)), options_(options) {
  assert(options_.detour_factor >= 1 && options_.speed_kmh > 0);
}

RouteAnswer RoutingService::great_circle(core::LatLon from, core::LatLon to) const {
  RouteAnswer a{RouteSource::kGreatCircle, 0, 0, {from, to}, from, to};
  a.distance_m = core::haversine_m(from, to) * options_.detour_factor;
  a.duration_s = a.distance_m / (options_.speed_kmh / 3.6);
  return a;
}

Result<RouteAnswer> RoutingService::route(core::LatLon from, core::LatLon to) const {
  if (router_ == nullptr) return great_circle(from, to);
  auto r = router_->route(from, to);
  if (!r) return r.error();
  RouteAnswer a{RouteSource::kRoadNetwork, r->duration_s, r->distance_m, std::move(r->geometry), from, to};
  if (!a.geometry.empty()) {
    a.snapped_from = a.geometry.front();
    a.snapped_to = a.geometry.back();
  }
  return a;
}

Result<MatrixAnswer> RoutingService::matrix(std::span<const core::LatLon> sources,
                                            std::span<const core::LatLon> destinations) const {
  if (router_ != nullptr) {
    auto m = router_->matrix(sources, destinations);
    if (!m) return m.error();
    return MatrixAnswer{RouteSource::kRoadNetwork, std::move(*m)};
  }
  MatrixAnswer a;
  Matrix& m = a.matrix;
  m.sources = sources.size();
  m.destinations = destinations.size();
  for (const core::LatLon& s : sources) {
    for (const core::LatLon& d : destinations) {
      const RouteAnswer gc = great_circle(s, d);
      m.duration_s.push_back(gc.duration_s);
      m.distance_m.push_back(gc.distance_m);
      m.weight_s.push_back(gc.duration_s);
    }
  }
  return a;
}

}  // namespace lastmile::map
