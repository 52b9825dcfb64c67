#pragma once
// The car profile: which OSM ways are drivable, in which direction, and how fast. Pure functions of
// a way's tags (no libosmium types), so the rules are unit-tested without reading a file.

#include <optional>
#include <string_view>

#include "map/road_class.hpp"

namespace lastmile::map {

// The tags the car profile reads; an absent tag is an empty view.
struct WayTags {
  std::string_view highway;
  std::string_view maxspeed;
  std::string_view oneway;
  std::string_view junction;
  std::string_view area;
  std::string_view access;
  std::string_view vehicle;
  std::string_view motor_vehicle;
  std::string_view motorcar;
};

enum class Direction { kBoth, kForward, kBackward };

struct WayProfile {
  double speed_kmh = 0;          // expected travel speed (not the legal limit)
  Direction direction = Direction::kBoth;
  bool destination_only = false;  // access=destination/delivery/customers: routable, but penalised
  RoadClass road_class = RoadClass::kUnknown;  // road_class_of(highway)
};

// The profile of a drivable way, or nullopt when cars may not use it: not one of the drivable
// highway classes (motorway, trunk, primary, secondary, tertiary and their *_link, unclassified,
// residential, living_street, service), area=yes, oneway=reversible/alternating, or the most
// specific access tag present (motorcar, then motor_vehicle, vehicle, access) is no, private or
// another restricted value.
//
// Speed: maxspeed (parse_maxspeed_kmh) times 0.8, as OSRM's car profile does, capped by nothing;
// otherwise the class default (default_speed_kmh).
// Class: road_class_of(highway).
// Direction: oneway=yes/true/1 → forward, -1/reverse → backward, no/false/0 → both; otherwise
// junction=roundabout/circular and highway=motorway imply forward.
std::optional<WayProfile> car_profile(const WayTags& tags);

// Default speed of a drivable class in km/h; nullopt for anything else.
std::optional<double> default_speed_kmh(std::string_view highway);

// The speed limit in km/h of a maxspeed value: "50", "50 km/h", "30 mph", "10 knots", "walk", and
// country zones such as "FR:urban", "DE:rural", "FR:motorway", "DE:zone30", "GB:nsl_single".
// Returns nullopt for "none", "signals", "variable", unknown zones and unparseable text, so that the
// caller falls back to the class default.
std::optional<double> parse_maxspeed_kmh(std::string_view value);

}  // namespace lastmile::map
