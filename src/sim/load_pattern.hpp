#pragma once
// Device motion for the load generator (`lastmile simulate --rate R`, issue 5): each simulated device
// circles its own centre at a steady speed, so its position is a pure function of time and any two
// of its fixes, however far apart in time, are consistent (never an impossible jump). Pure.

#include <cstddef>
#include <cstdint>

#include "core/geo.hpp"
#include "core/time.hpp"

namespace lastmile::sim {

struct CircleDevice {
  core::LatLon center = *core::LatLon::from_unsafe({0, 0});
  double radius_m = 300;
  double speed_mps = 8;
  double phase_rad = 0;  // the angle at t = 0 (epoch)
};

// Device `index` of a load run: a centre uniform in the square of side 2 × spread_m around `area`,
// radius 100–400 m, speed 4–12 m/s, a random phase. Deterministic in (seed, index).
CircleDevice load_device(core::LatLon area, double spread_m, uint64_t seed, size_t index);

// Where `d` is at `t`; heading (degrees from north, clockwise) of its motion there.
core::LatLon device_position(const CircleDevice& d, core::Timestamp t);
double device_heading_deg(const CircleDevice& d, core::Timestamp t);

}  // namespace lastmile::sim
