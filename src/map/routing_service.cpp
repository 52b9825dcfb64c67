#include "map/routing_service.hpp"

#include <cassert>
#include <charconv>

namespace lastmile::map {

std::string_view source_name(RouteSource source) {
  switch (source) {
    case RouteSource::kRoadNetwork:
      return "road_network";
    case RouteSource::kGreatCircle:
      return "great_circle";
    case RouteSource::kExternalOsrm:
      return "external_osrm";
  }
  return "great_circle";
}

RoutingService::RoutingService(std::shared_ptr<const Router> router, GreatCircleOptions options)
    : router_(std::move(router)), options_(options) {
  assert(options_.detour_factor >= 1 && options_.speed_kmh > 0);
}

std::optional<OsrmEndpoint> parse_osrm_url(std::string_view url) {
  constexpr std::string_view kScheme = "osrm://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  url.remove_prefix(kScheme.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  const size_t colon = url.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view host = url.substr(0, colon), port = url.substr(colon + 1);
  for (char c : host) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return std::nullopt;
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return OsrmEndpoint{std::string(host), static_cast<uint16_t>(value)};
}

RoutingService RoutingService::with_external(std::shared_ptr<const ExternalRouter> external,
                                             GreatCircleOptions options) {
  assert(external != nullptr);
  RoutingService s(nullptr, options);
  s.external_ = std::move(external);
  return s;
}

RouteAnswer RoutingService::great_circle(core::LatLon from, core::LatLon to) const {
  RouteAnswer a{RouteSource::kGreatCircle, 0, 0, {from, to}, from, to};
  a.distance_m = core::haversine_m(from, to) * options_.detour_factor;
  a.duration_s = a.distance_m / (options_.speed_kmh / 3.6);
  return a;
}

Result<RouteAnswer> RoutingService::route(core::LatLon from, core::LatLon to) const {
  if (external_ != nullptr) return external_->route(from, to);
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
  if (external_ != nullptr) {
    auto m = external_->matrix(sources, destinations);
    if (!m) return m.error();
    return MatrixAnswer{RouteSource::kExternalOsrm, std::move(*m)};
  }
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
