#include <gtest/gtest.h>

#include "core/geo.hpp"

namespace lastmile::core {
namespace {

LatLon at(double lat, double lon) { return *LatLon::from_unsafe({lat, lon}); }

TEST(Haversine, ZeroForTheSamePoint) { EXPECT_DOUBLE_EQ(haversine_m(at(43.7384, 7.4246), at(43.7384, 7.4246)), 0); }

TEST(Haversine, OneDegreeOfLatitudeIsAbout111Km) {
  EXPECT_NEAR(haversine_m(at(43.0, 7.0), at(44.0, 7.0)), 111'195, 10);
}

TEST(Haversine, MonacoToNiceIsAbout13Km) {
  // Place du Casino, Monaco → Place Masséna, Nice (straight line ≈ 13.3 km).
  EXPECT_NEAR(haversine_m(at(43.7394, 7.4276), at(43.6973, 7.2703)), 13'400, 300);
}

TEST(Haversine, AntipodesAreHalfTheCircumference) {
  EXPECT_NEAR(haversine_m(at(0, 0), at(0, 180)), 20'015'114, 50);
}

}  // namespace
}  // namespace lastmile::core
