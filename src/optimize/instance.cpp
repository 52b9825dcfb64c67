#include "optimize/instance.hpp"

#include <algorithm>
#include <numeric>

namespace lastmile::optimize {
namespace {
// Neighbour lists are cut at this length: enough for the string removal, and O(n) memory per job.
constexpr std::size_t kNeighbours = 100;

bool same_breaks(const std::vector<Break>& a, const std::vector<Break>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].service != b[i].service || a[i].max_load != b[i].max_load || a[i].windows.size() != b[i].windows.size()) {
      return false;
    }
    for (std::size_t w = 0; w < a[i].windows.size(); ++w) {
      if (a[i].windows[w].start != b[i].windows[w].start || a[i].windows[w].end != b[i].windows[w].end) return false;
    }
  }
  return true;
}
}  // namespace

Instance::Instance(const Problem& problem)
    : p_(problem),
      dims_(problem.vehicles.empty() ? 0 : problem.vehicles.front().capacity.size()),
      use_duration_(problem.objective.secondary == SecondaryObjective::kDuration) {
  const auto nj = p_.jobs.size();
  compatible_.assign(p_.vehicles.size() * nj, false);
  for (std::size_t v = 0; v < p_.vehicles.size(); ++v) {
    const auto& vs = p_.vehicles[v].skills;
    for (std::size_t j = 0; j < nj; ++j) {
      compatible_[v * nj + j] = std::all_of(p_.jobs[j].skills.begin(), p_.jobs[j].skills.end(), [&](int64_t s) {
        return std::find(vs.begin(), vs.end(), s) != vs.end();
      });
    }
  }
  neighbours_.resize(nj);
  for (std::size_t j = 0; j < nj; ++j) {
    auto& n = neighbours_[j];
    n.resize(nj);
    std::iota(n.begin(), n.end(), std::size_t{0});
    n.erase(n.begin() + static_cast<std::ptrdiff_t>(j));
    const auto lj = p_.jobs[j].location;
    const auto keep = std::min(n.size(), kNeighbours);
    std::partial_sort(n.begin(), n.begin() + static_cast<std::ptrdiff_t>(keep), n.end(), [&](std::size_t a, std::size_t b) {
      const double da = p_.matrix.distance(lj, p_.jobs[a].location), db = p_.matrix.distance(lj, p_.jobs[b].location);
      return da < db || (da == db && a < b);
    });
    n.resize(keep);
  }
  soft_ = p_.objective.lateness_penalty.has_value();
  penalty_ = p_.objective.lateness_penalty.value_or(0.0);
  break_order_.resize(p_.vehicles.size());
  for (std::size_t v = 0; v < p_.vehicles.size(); ++v) {
    const auto& bs = p_.vehicles[v].breaks;
    auto& order = break_order_[v];
    order.resize(bs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const auto& wa = bs[a].windows;
      const auto& wb = bs[b].windows;
      if (wa.front().start != wb.front().start) return wa.front().start < wb.front().start;
      return wa.back().end < wb.back().end;
    });
  }
  vehicle_class_.resize(p_.vehicles.size());
  for (std::size_t v = 0; v < p_.vehicles.size(); ++v) {
    vehicle_class_[v] = v;
    for (std::size_t u = 0; u < v; ++u) {
      const auto& a = p_.vehicles[u];
      const auto& b = p_.vehicles[v];
      if (a.start == b.start && a.end == b.end && a.capacity == b.capacity && a.shift.start == b.shift.start &&
          a.shift.end == b.shift.end && a.skills == b.skills && same_breaks(a.breaks, b.breaks)) {
        vehicle_class_[v] = vehicle_class_[u];
        break;
      }
    }
  }
}

std::optional<double> Instance::latest_start(std::size_t job, double bound) const {
  const auto& ws = p_.jobs[job].windows;
  if (soft_ && bound > ws.back().end) return bound;  // late past the last window, on arrival
  for (auto it = ws.rbegin(); it != ws.rend(); ++it) {
    if (it->start <= bound) return std::min(it->end, bound);
  }
  return std::nullopt;
}

}  // namespace lastmile::optimize
