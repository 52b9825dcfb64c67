#pragma once
// Coordinates. UnsafeLatLon is what arrives from outside; it becomes a LatLon only through
// LatLon::from_unsafe, which checks ranges and finiteness.

#include <algorithm>
#include <cmath>
#include <optional>

namespace lastmile::core {

struct UnsafeLatLon {
  double lat = 0;
  double lon = 0;
};

class LatLon {
 public:
  // Returns nullopt unless -90<=lat<=90, -180<=lon<=180 and both are finite.
  static std::optional<LatLon> from_unsafe(UnsafeLatLon u) {
    if (!std::isfinite(u.lat) || !std::isfinite(u.lon)) return std::nullopt;
    if (u.lat < -90 || u.lat > 90 || u.lon < -180 || u.lon > 180) return std::nullopt;
    return LatLon(u.lat, u.lon);
  }
  double lat() const { return lat_; }
  double lon() const { return lon_; }
  bool operator==(const LatLon&) const = default;

 private:
  LatLon(double lat, double lon) : lat_(lat), lon_(lon) {}
  double lat_;
  double lon_;
};

// Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m).
inline double haversine_m(const LatLon& a, const LatLon& b) {
  constexpr double kEarthRadiusM = 6'371'008.8;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.lat() - a.lat()) * kRad;
  const double dlon = (b.lon() - a.lon()) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat() * kRad) * std::cos(b.lat() * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::sqrt(std::min(1.0, h)));
}

struct Meters { double value = 0; };
struct Seconds { double value = 0; };

}  // namespace lastmile::core
