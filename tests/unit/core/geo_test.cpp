// Untrusted coordinates become a LatLon only through the checked conversion.
#include "core/geo.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <type_traits>

namespace lastmile::core {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

static_assert(!std::is_default_constructible_v<LatLon>, "a LatLon exists only after validation");
static_assert(!std::is_constructible_v<LatLon, double, double>, "no unchecked construction");
static_assert(!std::is_convertible_v<UnsafeLatLon, LatLon>, "no implicit trust");

TEST(LatLon, KeepsAValidCoordinate) {
  auto p = LatLon::from_unsafe({43.7384, 7.4246});  // Avenue de la Costa, Monaco
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->lat(), 43.7384);
  EXPECT_DOUBLE_EQ(p->lon(), 7.4246);
}

TEST(LatLon, AcceptsTheExactBounds) {
  for (UnsafeLatLon u : {UnsafeLatLon{90, 180}, UnsafeLatLon{-90, -180}, UnsafeLatLon{90, -180},
                         UnsafeLatLon{-90, 180}, UnsafeLatLon{0, 0}, UnsafeLatLon{-0.0, -0.0}}) {
    auto p = LatLon::from_unsafe(u);
    ASSERT_TRUE(p) << u.lat << "," << u.lon;
    EXPECT_EQ(p->lat(), u.lat);
    EXPECT_EQ(p->lon(), u.lon);
  }
}

TEST(LatLon, RejectsOutOfRange) {
  for (UnsafeLatLon u : {UnsafeLatLon{90.000001, 0}, UnsafeLatLon{-90.000001, 0}, UnsafeLatLon{0, 180.000001},
                         UnsafeLatLon{0, -180.000001}, UnsafeLatLon{43.7384, 187.4246},
                         UnsafeLatLon{1e308, 0}, UnsafeLatLon{0, -1e308}})
    EXPECT_FALSE(LatLon::from_unsafe(u)) << u.lat << "," << u.lon;
}

TEST(LatLon, RejectsNaNAndInfinity) {
  EXPECT_FALSE(LatLon::from_unsafe({kNaN, 7.4246}));
  EXPECT_FALSE(LatLon::from_unsafe({43.7384, kNaN}));
  EXPECT_FALSE(LatLon::from_unsafe({kNaN, kNaN}));
  EXPECT_FALSE(LatLon::from_unsafe({kInf, 0}));
  EXPECT_FALSE(LatLon::from_unsafe({-kInf, 0}));
  EXPECT_FALSE(LatLon::from_unsafe({0, kInf}));
  EXPECT_FALSE(LatLon::from_unsafe({0, -kInf}));
}

TEST(LatLon, EqualityComparesBothAxes) {
  auto a = LatLon::from_unsafe({43.7384, 7.4246});
  auto b = LatLon::from_unsafe({43.7384, 7.4246});
  auto c = LatLon::from_unsafe({7.4246, 43.7384});
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(*a == *c);
}

}  // namespace
}  // namespace lastmile::core
