#include "map/road_class.hpp"

#include <utility>

namespace lastmile::map {
namespace {

constexpr std::array<std::pair<std::string_view, RoadClass>, 14> kHighwayClasses = {{
    {"motorway", RoadClass::kMotorway},
    {"motorway_link", RoadClass::kMotorway},
    {"trunk", RoadClass::kTrunk},
    {"trunk_link", RoadClass::kTrunk},
    {"primary", RoadClass::kPrimary},
    {"primary_link", RoadClass::kPrimary},
    {"secondary", RoadClass::kSecondary},
    {"secondary_link", RoadClass::kSecondary},
    {"tertiary", RoadClass::kTertiary},
    {"tertiary_link", RoadClass::kTertiary},
    {"unclassified", RoadClass::kTertiary},
    {"residential", RoadClass::kResidential},
    {"living_street", RoadClass::kResidential},
    {"service", RoadClass::kService},
}};

}  // namespace

RoadClass road_class_of(std::string_view highway) {
  for (const auto& [value, road_class] : kHighwayClasses) {
    if (value == highway) return road_class;
  }
  return RoadClass::kUnknown;
}

}  // namespace lastmile::map
