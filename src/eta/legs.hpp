#pragma once
// The seam between the ETA estimator and the road network: the free-flow travel between two places,
// split by road class (so learned class factors apply) with its path (so off-route can be judged).
// The estimator never sees the router; tests give it a LegSource of their own.

#include <string_view>
#include <vector>

#include "core/geo.hpp"
#include "map/road_class.hpp"

namespace lastmile::eta {

struct Leg {
  double free_flow_s = 0;            // the road network's (or the great-circle) estimate
  double distance_m = 0;
  map::ClassDurations class_s{};     // free_flow_s split by road class (kUnknown for estimates)
  std::vector<core::LatLon> path;    // from the start (snapped) to the end (snapped)
  bool road_network = false;         // false: a great-circle estimate (no map, or no route)
};

class LegSource {
 public:
  virtual ~LegSource() = default;
  // Never fails: when the road network has no answer (a point outside the map, no route), the
  // leg is a great-circle estimate (road_network = false). Thread safety: any thread.
  virtual Leg leg(core::LatLon from, core::LatLon to) const = 0;
};

// Shortest distance in metres from `p` to the polyline `path` (equirectangular projection around
// `p`: exact enough at city scale). +infinity for an empty path; the distance to the point for a
// path of one point.
double distance_to_path_m(core::LatLon p, const std::vector<core::LatLon>& path);

}  // namespace lastmile::eta
