#pragma once
// LegSource over map::RoutingService: a road route when the service has a road network (split by
// road class) or an external router (all of it "unknown" class) and both ends snap and a route
// exists, else the service's great-circle estimate.
// Thread safety: like RoutingService, any thread.

#include "eta/legs.hpp"
#include "map/routing_service.hpp"

namespace lastmile::eta {

class RoutingLegs final : public LegSource {
 public:
  // `routing` outlives this object.
  explicit RoutingLegs(const map::RoutingService& routing) : routing_(routing) {}
  Leg leg(core::LatLon from, core::LatLon to) const override;

 private:
  const map::RoutingService& routing_;
};

}  // namespace lastmile::eta
