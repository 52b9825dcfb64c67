#pragma once
// Road classes, coarse enough to learn a speed correction per class from delivery history
// (eta/corrections.hpp) and fine enough to separate through roads from the streets of a delivery
// area. Each OSM highway value maps to one class; the graph keeps the class of every edge.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lastmile::map {

enum class RoadClass : uint8_t {
  kMotorway = 0,     // motorway, motorway_link
  kTrunk = 1,        // trunk, trunk_link
  kPrimary = 2,      // primary, primary_link
  kSecondary = 3,    // secondary, secondary_link
  kTertiary = 4,     // tertiary, tertiary_link, unclassified
  kResidential = 5,  // residential, living_street
  kService = 6,      // service
  kUnknown = 7,      // no road network (great-circle estimates) or an unmapped value
};
inline constexpr size_t kRoadClassCount = 8;

// Seconds of a route (or leg) spent on each class, indexed by RoadClass.
using ClassDurations = std::array<double, kRoadClassCount>;

// Stable names ("motorway", …, "unknown"): used in metrics, docs and learned-model dumps.
inline constexpr std::array<std::string_view, kRoadClassCount> kRoadClassNames = {
    "motorway", "trunk", "primary", "secondary", "tertiary", "residential", "service", "unknown"};
inline std::string_view road_class_name(RoadClass c) { return kRoadClassNames[static_cast<size_t>(c)]; }

// The class of an OSM highway value; kUnknown for anything not drivable.
RoadClass road_class_of(std::string_view highway);

}  // namespace lastmile::map
