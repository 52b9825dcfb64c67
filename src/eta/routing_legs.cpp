#include "eta/routing_legs.hpp"

#include <numeric>

namespace lastmile::eta {

Leg RoutingLegs::leg(core::LatLon from, core::LatLon to) const {
  Leg out;
  if (const map::Router* router = routing_.router()) {
    if (auto r = router->route(from, to)) {
      out.free_flow_s = r->duration_s;
      out.distance_m = r->distance_m;
      out.class_s = r->class_duration_s;
      out.path = std::move(r->geometry);
      out.road_network = true;
      return out;
    }
  }
  if (routing_.has_external_router()) {  // --router osrm://: durations only, no road classes
    if (auto r = routing_.route(from, to)) {
      out.free_flow_s = r->duration_s;
      out.distance_m = r->distance_m;
      out.class_s[static_cast<size_t>(map::RoadClass::kUnknown)] = r->duration_s;
      out.path = std::move(r->geometry);
      out.road_network = true;
      return out;
    }
  }
  auto gc = routing_.great_circle(from, to);
  out.free_flow_s = gc.duration_s;
  out.distance_m = gc.distance_m;
  out.class_s[static_cast<size_t>(map::RoadClass::kUnknown)] = gc.duration_s;
  out.path = std::move(gc.geometry);
  return out;
}

}  // namespace lastmile::eta
