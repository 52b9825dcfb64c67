// The car profile: which ways are drivable, their direction and speed.
#include "map/road_tags.hpp"

#include <gtest/gtest.h>

namespace lastmile::map {
namespace {

WayTags road(std::string_view highway) {
  WayTags t;
  t.highway = highway;
  return t;
}

TEST(CarProfile, DrivableClassesHaveDefaultSpeeds) {
  for (std::string_view h : {"motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
                             "living_street", "service", "motorway_link", "trunk_link", "primary_link",
                             "secondary_link", "tertiary_link"}) {
    const auto p = car_profile(road(h));
    ASSERT_TRUE(p.has_value()) << h;
    EXPECT_GT(p->speed_kmh, 0) << h;
  }
  EXPECT_EQ(car_profile(road("residential"))->speed_kmh, 25);
  EXPECT_EQ(car_profile(road("motorway"))->speed_kmh, 90);
}

TEST(CarProfile, NonDrivableClassesAreRefused) {
  for (std::string_view h : {"footway", "cycleway", "path", "steps", "pedestrian", "track", "construction", ""}) {
    EXPECT_FALSE(car_profile(road(h)).has_value()) << h;
  }
  WayTags area = road("service");
  area.area = "yes";
  EXPECT_FALSE(car_profile(area).has_value());
}

TEST(CarProfile, Oneway) {
  WayTags t = road("residential");
  EXPECT_EQ(car_profile(t)->direction, Direction::kBoth);
  for (std::string_view v : {"yes", "true", "1"}) {
    t.oneway = v;
    EXPECT_EQ(car_profile(t)->direction, Direction::kForward) << v;
  }
  for (std::string_view v : {"-1", "reverse"}) {
    t.oneway = v;
    EXPECT_EQ(car_profile(t)->direction, Direction::kBackward) << v;
  }
  t.oneway = "reversible";
  EXPECT_FALSE(car_profile(t).has_value());
}

TEST(CarProfile, RoundaboutsAndMotorwaysAreImpliedOnewayUnlessOnewayNo) {
  WayTags t = road("primary");
  t.junction = "roundabout";
  EXPECT_EQ(car_profile(t)->direction, Direction::kForward);
  t.oneway = "no";
  EXPECT_EQ(car_profile(t)->direction, Direction::kBoth);
  WayTags m = road("motorway");
  EXPECT_EQ(car_profile(m)->direction, Direction::kForward);
  m.oneway = "no";
  EXPECT_EQ(car_profile(m)->direction, Direction::kBoth);
}

TEST(CarProfile, AccessTheMostSpecificTagWins) {
  WayTags t = road("residential");
  t.access = "private";
  EXPECT_FALSE(car_profile(t).has_value());
  t.access = "no";
  EXPECT_FALSE(car_profile(t).has_value());
  t.motorcar = "yes";  // access=no, motorcar=yes: cars may
  EXPECT_TRUE(car_profile(t).has_value());
  WayTags mv = road("service");
  mv.motor_vehicle = "no";
  EXPECT_FALSE(car_profile(mv).has_value());
  WayTags dest = road("service");
  dest.access = "destination";
  ASSERT_TRUE(car_profile(dest).has_value());
  EXPECT_TRUE(car_profile(dest)->destination_only);
  dest.access = "delivery";
  EXPECT_TRUE(car_profile(dest)->destination_only);
}

TEST(CarProfile, MaxspeedSetsTheSpeedAtEightyPercent) {
  WayTags t = road("residential");
  t.maxspeed = "50";
  EXPECT_DOUBLE_EQ(car_profile(t)->speed_kmh, 40);
  t.maxspeed = "signals";
  EXPECT_DOUBLE_EQ(car_profile(t)->speed_kmh, 25);  // class default
}

TEST(ParseMaxspeed, NumbersUnitsAndZones) {
  EXPECT_EQ(parse_maxspeed_kmh("50"), 50);
  EXPECT_EQ(parse_maxspeed_kmh("50 km/h"), 50);
  EXPECT_NEAR(*parse_maxspeed_kmh("30 mph"), 48.28, 0.01);
  EXPECT_NEAR(*parse_maxspeed_kmh("10 knots"), 18.52, 0.01);
  EXPECT_EQ(parse_maxspeed_kmh("walk"), 5);
  EXPECT_EQ(parse_maxspeed_kmh("FR:urban"), 50);
  EXPECT_EQ(parse_maxspeed_kmh("FR:rural"), 80);
  EXPECT_EQ(parse_maxspeed_kmh("DE:rural"), 100);
  EXPECT_EQ(parse_maxspeed_kmh("FR:motorway"), 130);
  EXPECT_EQ(parse_maxspeed_kmh("DE:zone30"), 30);
  EXPECT_EQ(parse_maxspeed_kmh("IT:urban"), 50);
  EXPECT_NEAR(*parse_maxspeed_kmh("GB:nsl_single"), 96.56, 0.01);
  for (std::string_view bad : {"", "none", "signals", "variable", "fast", "50 furlongs", "-20", "0", "XX:moon"}) {
    EXPECT_FALSE(parse_maxspeed_kmh(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace lastmile::map
