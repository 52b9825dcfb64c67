#include "map/tile_geometry.hpp"

#include <cmath>
#include <utility>

namespace lastmile::map {
namespace {

// Liang–Barsky: the parameter range [t0, t1] of a + t (b - a) inside the square; false when none.
bool clip_segment(TileVec a, TileVec b, double lo, double hi, double& t0, double& t1) {
  t0 = 0;
  t1 = 1;
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - lo, hi - a.x, a.y - lo, hi - a.y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;  // parallel to this border and outside it
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
  }
  return true;
}

TileVec lerp(TileVec a, TileVec b, double t) { return {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}; }

// Squared distance from p to the segment ab.
double segment_distance2(TileVec p, TileVec a, TileVec b) {
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = t < 0 ? 0 : (t > 1 ? 1 : t);
  const double ex = a.x + t * dx - p.x;
  const double ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

TilePoint round_point(TileVec v) {
  return {static_cast<int32_t>(std::lround(v.x)), static_cast<int32_t>(std::lround(v.y))};
}

}  // namespace

std::vector<std::vector<TileVec>> clip_polyline(std::span<const TileVec> line, double lo, double hi) {
  std::vector<std::vector<TileVec>> pieces;
  std::vector<TileVec> current;
  auto finish = [&] {
    if (current.size() >= 2) pieces.push_back(std::move(current));
    current.clear();
  };
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    double t0 = 0;
    double t1 = 1;
    if (!clip_segment(line[i], line[i + 1], lo, hi, t0, t1)) {
      finish();
      continue;
    }
    if (t0 > 0 || current.empty()) {  // enters here (or the line starts inside)
      finish();
      current.push_back(lerp(line[i], line[i + 1], t0));
    }
    current.push_back(t1 < 1 ? lerp(line[i], line[i + 1], t1) : line[i + 1]);
    if (t1 < 1) finish();  // leaves here
  }
  finish();
  return pieces;
}

std::vector<TilePoint> simplify_line(std::span<const TileVec> line, double tolerance) {
  std::vector<TilePoint> out;
  if (line.empty()) return out;
  // Douglas–Peucker, iterative: keep[i] marks the points that stay.
  std::vector<char> keep(line.size(), 0);
  keep.front() = 1;
  keep.back() = 1;
  const double tolerance2 = tolerance * tolerance;
  std::vector<std::pair<size_t, size_t>> stack;
  if (line.size() > 2) stack.emplace_back(0, line.size() - 1);
  while (!stack.empty()) {
    const auto [first, last] = stack.back();
    stack.pop_back();
    double worst = -1;
    size_t worst_at = first;
    for (size_t i = first + 1; i < last; ++i) {
      const double d = segment_distance2(line[i], line[first], line[last]);
      if (d > worst) {
        worst = d;
        worst_at = i;
      }
    }
    if (worst > tolerance2) {
      keep[worst_at] = 1;
      if (worst_at - first > 1) stack.emplace_back(first, worst_at);
      if (last - worst_at > 1) stack.emplace_back(worst_at, last);
    }
  }
  for (size_t i = 0; i < line.size(); ++i) {
    if (!keep[i]) continue;
    const TilePoint p = round_point(line[i]);
    if (out.empty() || !(out.back() == p)) out.push_back(p);
  }
  return out;
}

}  // namespace lastmile::map
