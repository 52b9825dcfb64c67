#pragma once
// A routed leg as the simulator drives it: the route's geometry cut into straight segments, each
// with its free-flow duration, road class and street stretch; and the detour around a closed
// segment (Disturbances::blocked_leg).

#include <cstdint>
#include <optional>
#include <vector>

#include "core/geo.hpp"
#include "map/road_class.hpp"
#include "map/router.hpp"

namespace lastmile::sim {

struct Segment {
  core::LatLon a;
  core::LatLon b;
  double length_m = 0;     // great-circle a → b
  double free_flow_s = 0;  // the graph's duration for this part of the edge
  map::RoadClass road_class = map::RoadClass::kUnknown;
  uint64_t stretch = 0;    // segments with equal consecutive values share one speed-noise draw
};

// The segments of `route` (geometry[i] → geometry[i+1]). Whole edges take the graph's duration;
// the partial edges at both ends take their share by length of the edge they lie on (found by
// snapping the end point again); an end whose edge cannot be identified gets the rest of the
// route's duration, spread by length. The free-flow durations sum to route.duration_s up to
// rounding.
std::vector<Segment> leg_segments(const map::Router& router, const map::Route& route);

struct Detour {
  map::Route route;
  uint32_t closed_edge = map::kNoEdge;  // the edge (and its twin) that was closed
};

// The fastest route from `from` to `to` that avoids one closed segment of `planned`: the first
// whole edge of planned's path at whose start the driver has a choice (another exit than the edge
// and the way back, or, at the first node, a two-way start segment), else the next such edges (up
// to `max_tries`), each closed in both directions on a copy of the graph (weight kClosedWeightMs;
// no hierarchy, so the copy routes with A*). OSM ways are not compressed, so most nodes of a path
// sit inside a street, where a closure could not be avoided. nullopt when the path has no whole
// edge or no closure leaves a route (the start or end in a cul-de-sac behind every candidate).
// Cost: a copy of the graph, and a grid and an A* search per try (milliseconds for a city).
std::optional<Detour> detour_around(const map::Router& router, core::LatLon from, core::LatLon to,
                                    const map::Route& planned, int max_tries = 12);

// Metric helpers on a local tangent plane (mean Earth radius).
inline constexpr double kMetresPerDegree = 6'371'008.8 * 3.14159265358979323846 / 180.0;
// Bearing of a → b, 0 = north, clockwise, [0, 360).
double bearing_deg(core::LatLon a, core::LatLon b);
// `p` moved `east_m` east and `north_m` north.
core::LatLon offset(core::LatLon p, double east_m, double north_m);
// The point at share f ∈ [0, 1] from a to b.
core::LatLon lerp(core::LatLon a, core::LatLon b, double f);

}  // namespace lastmile::sim
