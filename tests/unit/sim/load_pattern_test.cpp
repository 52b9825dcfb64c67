// Device motion of the load generator: consistent positions at any time, deterministic devices.
#include "sim/load_pattern.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace lastmile::sim {
namespace {

const core::LatLon kMonaco = *core::LatLon::from_unsafe({43.7384, 7.4246});
constexpr int64_t kT = 1'764'493'200'000;

TEST(LoadPattern, DevicesAreDeterministicAndSpreadAroundTheArea) {
  for (size_t i = 0; i < 200; ++i) {
    const CircleDevice a = load_device(kMonaco, 1000, 9, i), b = load_device(kMonaco, 1000, 9, i);
    EXPECT_EQ(a.center.lat(), b.center.lat());
    EXPECT_EQ(a.phase_rad, b.phase_rad);
    EXPECT_LE(core::haversine_m(a.center, kMonaco), 1000 * std::sqrt(2.0) + 1);
    EXPECT_GE(a.radius_m, 100);
    EXPECT_LE(a.radius_m, 400);
    EXPECT_GE(a.speed_mps, 4);
    EXPECT_LE(a.speed_mps, 12);
  }
  EXPECT_NE(load_device(kMonaco, 1000, 9, 0).center.lat(), load_device(kMonaco, 1000, 9, 1).center.lat());
}

TEST(LoadPattern, ADeviceMovesAtItsSpeedOnItsCircleNeverFaster) {
  const CircleDevice d = load_device(kMonaco, 1000, 3, 42);
  for (int64_t s = 0; s < 600; s += 7) {
    const core::Timestamp t{kT + s * 1000};
    const core::LatLon p = device_position(d, t), q = device_position(d, core::Timestamp{t.ms + 1000});
    EXPECT_NEAR(core::haversine_m(p, d.center), d.radius_m, 0.5);
    EXPECT_NEAR(core::haversine_m(p, q), d.speed_mps, 0.1);  // a 1 s chord of the circle
    // Any two fixes: at most the speed (chord <= arc), so the ping filter never sees a jump.
    const core::LatLon far = device_position(d, core::Timestamp{t.ms + 123'456});
    EXPECT_LE(core::haversine_m(p, far), d.speed_mps * 123.456 + 0.5);
  }
}

TEST(LoadPattern, TheHeadingIsTheDirectionOfMotion) {
  const CircleDevice d = load_device(kMonaco, 500, 1, 7);
  const core::Timestamp t{kT};
  const core::LatLon p = device_position(d, t), q = device_position(d, core::Timestamp{t.ms + 200});
  const double kRad = 3.14159265358979323846 / 180;
  const double north = (q.lat() - p.lat()), east = (q.lon() - p.lon()) * std::cos(p.lat() * kRad);
  double bearing = std::atan2(east, north) / kRad;
  if (bearing < 0) bearing += 360;
  const double h = device_heading_deg(d, t);
  EXPECT_GE(h, 0);
  EXPECT_LT(h, 360);
  EXPECT_NEAR(std::remainder(bearing - h, 360.0), 0.0, 2.0);
}

}  // namespace
}  // namespace lastmile::sim
