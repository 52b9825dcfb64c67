#pragma once
// Coordinates. UnsafeLatLon is what arrives from outside; it becomes a LatLon only through
// LatLon::from_unsafe, which checks ranges and finiteness.

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

struct Meters { double value = 0; };
struct Seconds { double value = 0; };

}  // namespace lastmile::core
