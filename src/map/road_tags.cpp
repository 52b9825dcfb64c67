#include "map/road_tags.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace lastmile::map {
namespace {

// Class defaults in km/h, close to OSRM's car profile.
constexpr std::array<std::pair<std::string_view, double>, 14> kClassSpeeds = {{
    {"motorway", 90},      {"motorway_link", 45},  {"trunk", 85},         {"trunk_link", 40},
    {"primary", 65},       {"primary_link", 30},   {"secondary", 55},     {"secondary_link", 25},
    {"tertiary", 40},      {"tertiary_link", 20},  {"unclassified", 25},  {"residential", 25},
    {"living_street", 10}, {"service", 15},
}};

// Zone suffixes (after "XX:") common to most countries, in km/h.
constexpr std::array<std::pair<std::string_view, double>, 8> kZoneSpeeds = {{
    {"urban", 50},  {"rural", 90},  {"trunk", 110},  {"motorway", 130},
    {"living_street", 20}, {"zone30", 30}, {"zone:30", 30}, {"zone20", 20},
}};

// Country zones whose value differs from the common suffix table.
constexpr std::array<std::pair<std::string_view, double>, 14> kCountryZoneSpeeds = {{
    {"FR:rural", 80},       {"DE:rural", 100},       {"AT:rural", 100},     {"IT:rural", 90},
    {"CH:rural", 80},       {"CH:motorway", 120},    {"RU:urban", 60},      {"RU:rural", 90},
    {"GB:nsl_single", 96.56}, {"GB:nsl_dual", 112.65}, {"GB:motorway", 112.65}, {"UK:nsl_single", 96.56},
    {"UK:nsl_dual", 112.65}, {"BE:rural", 70},
}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool is_one_of(std::string_view v, std::initializer_list<std::string_view> values) {
  for (auto x : values) {
    if (v == x) return true;
  }
  return false;
}

// Whether cars are refused by the most specific access tag present.
bool access_denied(const WayTags& t, bool* destination_only) {
  for (std::string_view v : {t.motorcar, t.motor_vehicle, t.vehicle, t.access}) {
    if (v.empty()) continue;
    *destination_only = is_one_of(v, {"destination", "delivery", "customers"});
    return is_one_of(v, {"no", "private", "agricultural", "forestry", "emergency", "psv", "bus",
                         "military", "discouraged"});
  }
  return false;
}

}  // namespace

std::optional<double> default_speed_kmh(std::string_view highway) {
  for (const auto& [name, speed] : kClassSpeeds) {
    if (name == highway) return speed;
  }
  return std::nullopt;
}

std::optional<double> parse_maxspeed_kmh(std::string_view value) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (value == "walk") return 5.0;
  for (const auto& [zone, speed] : kCountryZoneSpeeds) {
    if (zone == value) return speed;
  }
  if (const auto colon = value.find(':'); colon != std::string_view::npos && colon <= 3) {
    const std::string_view suffix = value.substr(colon + 1);
    for (const auto& [zone, speed] : kZoneSpeeds) {
      if (zone == suffix) return speed;
    }
    return std::nullopt;
  }
  double number = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (ec != std::errc() || number <= 0 || number > 300) return std::nullopt;
  const std::string_view unit = trim(std::string_view(ptr, static_cast<size_t>(end - ptr)));
  if (unit.empty() || unit == "km/h" || unit == "kmh" || unit == "kph") return number;
  if (unit == "mph") return number * 1.609344;
  if (unit == "knots") return number * 1.852;
  return std::nullopt;
}

std::optional<WayProfile> car_profile(const WayTags& tags) {
  const auto class_speed = default_speed_kmh(tags.highway);
  if (!class_speed) return std::nullopt;
  if (tags.area == "yes") return std::nullopt;
  if (is_one_of(tags.oneway, {"reversible", "alternating"})) return std::nullopt;
  WayProfile profile;
  profile.road_class = road_class_of(tags.highway);
  if (access_denied(tags, &profile.destination_only)) return std::nullopt;

  const auto limit = parse_maxspeed_kmh(tags.maxspeed);
  profile.speed_kmh = limit ? *limit * 0.8 : *class_speed;

  if (is_one_of(tags.oneway, {"yes", "true", "1"})) {
    profile.direction = Direction::kForward;
  } else if (is_one_of(tags.oneway, {"-1", "reverse"})) {
    profile.direction = Direction::kBackward;
  } else if (is_one_of(tags.oneway, {"no", "false", "0"})) {
    profile.direction = Direction::kBoth;
  } else if (is_one_of(tags.junction, {"roundabout", "circular"}) || tags.highway == "motorway") {
    profile.direction = Direction::kForward;
  }
  return profile;
}

}  // namespace lastmile::map
