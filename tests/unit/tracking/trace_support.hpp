#pragma once
// Recorded traces for the tracking tests: positions as metres north and east of a stop in Monaco
// (43.7384 N, 7.4246 E) and times as seconds after a fixed instant.

#include <cmath>
#include <cstdint>

#include "core/geo.hpp"
#include "core/time.hpp"

namespace lastmile::tracking::testing {

inline constexpr core::Timestamp kT0{1'795'000'000'000};
inline const core::LatLon kStop = *core::LatLon::from_unsafe({43.7384, 7.4246});

// The point `north_m` north and `east_m` east of the stop (flat Earth: exact enough over a few km).
inline core::LatLon at(double north_m, double east_m) {
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kMetresPerDegree = 6'371'008.8 * kPi / 180.0;
  return *core::LatLon::from_unsafe({kStop.lat() + north_m / kMetresPerDegree,
                                     kStop.lon() + east_m / (kMetresPerDegree * std::cos(kStop.lat() * kPi / 180))});
}

inline core::Timestamp t(double seconds) { return {kT0.ms + std::llround(seconds * 1000)}; }

}  // namespace lastmile::tracking::testing
