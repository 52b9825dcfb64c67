#include "sim/load_pattern.hpp"

#include <cmath>

#include "sim/sim_random.hpp"

namespace lastmile::sim {
namespace {

constexpr uint64_t kStreamLoad = 201;
constexpr double kPi = 3.14159265358979323846;
constexpr double kMetresPerDegree = 111'320.0;

double angle(const CircleDevice& d, core::Timestamp t) {
  // Angular speed v / r; the angle is reduced modulo 2π in whole seconds first to keep precision.
  const double omega = d.speed_mps / d.radius_m;
  const double seconds = static_cast<double>(t.ms) / 1000.0;
  return std::fmod(d.phase_rad + std::fmod(omega * seconds, 2 * kPi), 2 * kPi);
}

}  // namespace

CircleDevice load_device(core::LatLon area, double spread_m, uint64_t seed, size_t index) {
  Random r(derive_seed(seed, kStreamLoad, index));
  const double dx = (r.uniform() * 2 - 1) * spread_m, dy = (r.uniform() * 2 - 1) * spread_m;
  const double lat = area.lat() + dy / kMetresPerDegree;
  const double lon = area.lon() + dx / (kMetresPerDegree * std::cos(area.lat() * kPi / 180));
  CircleDevice d;
  d.center = *core::LatLon::from_unsafe({lat, lon});
  d.radius_m = 100 + 300 * r.uniform();
  d.speed_mps = 4 + 8 * r.uniform();
  d.phase_rad = 2 * kPi * r.uniform();
  return d;
}

core::LatLon device_position(const CircleDevice& d, core::Timestamp t) {
  const double a = angle(d, t);
  const double north = d.radius_m * std::cos(a), east = d.radius_m * std::sin(a);
  const double lat = d.center.lat() + north / kMetresPerDegree;
  const double lon = d.center.lon() + east / (kMetresPerDegree * std::cos(d.center.lat() * kPi / 180));
  return *core::LatLon::from_unsafe({lat, lon});
}

double device_heading_deg(const CircleDevice& d, core::Timestamp t) {
  // Counter-clockwise in (north, east) coordinates: the motion is 90° from the radius.
  const double deg = angle(d, t) * 180 / kPi + 90;
  return std::fmod(deg + 360, 360);
}

}  // namespace lastmile::sim
