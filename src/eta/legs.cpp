#include "eta/legs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lastmile::eta {

double distance_to_path_m(core::LatLon p, const std::vector<core::LatLon>& path) {
  if (path.empty()) return std::numeric_limits<double>::infinity();
  if (path.size() == 1) return core::haversine_m(p, path.front());
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  constexpr double kMetresPerRad = 6'371'008.8;
  const double kx = std::cos(p.lat() * kRad) * kRad * kMetresPerRad;
  const double ky = kRad * kMetresPerRad;
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const double ax = (path[i].lon() - p.lon()) * kx, ay = (path[i].lat() - p.lat()) * ky;
    const double bx = (path[i + 1].lon() - p.lon()) * kx, by = (path[i + 1].lat() - p.lat()) * ky;
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    double s = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    s = std::clamp(s, 0.0, 1.0);
    const double x = ax + s * dx, y = ay + s * dy;
    best = std::min(best, std::sqrt(x * x + y * y));
  }
  return best;
}

}  // namespace lastmile::eta
