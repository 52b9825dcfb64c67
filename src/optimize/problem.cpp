#include "optimize/problem.hpp"

#include <cmath>

namespace lastmile::optimize {
namespace {

std::optional<Error> check_windows(const std::vector<TimeWindow>& windows, const std::string& field) {
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    if (!std::isfinite(w.start) || !std::isfinite(w.end) || w.end < w.start) {
      return Error{ErrorCode::kInvalidValue, "time window end before start", 0, field + "[" + std::to_string(i) + "]"};
    }
    if (i > 0 && w.start < windows[i - 1].end) {
      return Error{ErrorCode::kInvalidValue, "time windows must be sorted and disjoint", 0,
                   field + "[" + std::to_string(i) + "]"};
    }
  }
  return std::nullopt;
}

std::optional<Error> check_amount(const Amount& a, std::size_t dims, const std::string& field) {
  if (a.size() != dims) {
    return Error{ErrorCode::kInconsistent, "amount has " + std::to_string(a.size()) + " dimensions, capacity has " +
                                               std::to_string(dims), 0, field};
  }
  for (auto v : a) {
    if (v < 0) return Error{ErrorCode::kInvalidValue, "amounts must be non-negative", 0, field};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> validate(const Problem& p) {
  const auto n = p.matrix.size;
  if (p.matrix.durations.size() != n * n || p.matrix.distances.size() != n * n) {
    return Error{ErrorCode::kInconsistent, "matrix is not square", 0, "matrices"};
  }
  for (std::size_t i = 0; i < n * n; ++i) {
    if (!std::isfinite(p.matrix.durations[i]) || p.matrix.durations[i] < 0 || !std::isfinite(p.matrix.distances[i]) ||
        p.matrix.distances[i] < 0) {
      return Error{ErrorCode::kInvalidValue, "matrix values must be finite and non-negative", 0, "matrices"};
    }
  }
  if (p.vehicles.empty()) return Error{ErrorCode::kMissingField, "at least one vehicle is required", 0, "vehicles"};
  const auto dims = p.vehicles.front().capacity.size();
  for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
    const auto& veh = p.vehicles[v];
    const std::string f = "vehicles[" + std::to_string(v) + "]";
    if (veh.start && veh.start->value >= n) return Error{ErrorCode::kInconsistent, "start outside the matrix", 0, f + ".start_index"};
    if (veh.end && veh.end->value >= n) return Error{ErrorCode::kInconsistent, "end outside the matrix", 0, f + ".end_index"};
    if (auto e = check_amount(veh.capacity, dims, f + ".capacity")) return e;
    if (auto e = check_windows({veh.shift}, f + ".time_window")) return e;
    for (std::size_t b = 0; b < veh.breaks.size(); ++b) {
      const auto& br = veh.breaks[b];
      const std::string fb = f + ".breaks[" + std::to_string(b) + "]";
      if (br.windows.empty()) return Error{ErrorCode::kInvalidValue, "at least one time window", 0, fb + ".time_windows"};
      if (auto e = check_windows(br.windows, fb + ".time_windows")) return e;
      if (!std::isfinite(br.service) || br.service < 0) {
        return Error{ErrorCode::kInvalidValue, "service must be non-negative", 0, fb + ".service"};
      }
      if (!br.max_load.empty()) {
        if (auto e = check_amount(br.max_load, dims, fb + ".max_load")) return e;
      }
      // A window that does not meet the shift can never be used: refused rather than silently ignored.
      for (std::size_t w = 0; w < br.windows.size(); ++w) {
        if (br.windows[w].end < veh.shift.start || br.windows[w].start > veh.shift.end) {
          return Error{ErrorCode::kInconsistent, "break window outside the vehicle's time_window", 0,
                       fb + ".time_windows[" + std::to_string(w) + "]"};
        }
      }
      for (std::size_t c = 0; c < b; ++c) {
        if (veh.breaks[c].id == br.id) return Error{ErrorCode::kInvalidValue, "duplicate break id", 0, fb + ".id"};
      }
    }
  }
  if (p.objective.lateness_penalty &&
      (!std::isfinite(*p.objective.lateness_penalty) || *p.objective.lateness_penalty < 0)) {
    return Error{ErrorCode::kInvalidValue, "lateness penalty must be finite and non-negative", 0,
                 "options.lateness_penalty"};
  }
  for (std::size_t j = 0; j < p.jobs.size(); ++j) {
    const auto& job = p.jobs[j];
    const std::string f = "jobs[" + std::to_string(j) + "]";
    if (job.location.value >= n) return Error{ErrorCode::kInconsistent, "location outside the matrix", 0, f + ".location_index"};
    if (auto e = check_amount(job.delivery, dims, f + ".delivery")) return e;
    if (auto e = check_amount(job.pickup, dims, f + ".pickup")) return e;
    if (job.windows.empty()) return Error{ErrorCode::kInvalidValue, "at least one time window", 0, f + ".time_windows"};
    if (auto e = check_windows(job.windows, f + ".time_windows")) return e;
    if (!std::isfinite(job.service) || job.service < 0) {
      return Error{ErrorCode::kInvalidValue, "service must be non-negative", 0, f + ".service"};
    }
    if (job.partner) {
      const auto q = *job.partner;
      if (q >= p.jobs.size() || q == j || p.jobs[q].partner != j || p.jobs[q].pickup_half == job.pickup_half) {
        return Error{ErrorCode::kInconsistent, "a shipment's halves must name each other, one pickup and one delivery",
                     0, f + ".partner"};
      }
      const auto& pick = job.pickup_half ? job : p.jobs[q];
      const auto& drop = job.pickup_half ? p.jobs[q] : job;
      if (pick.pickup != drop.delivery || pick.delivery != Amount(dims, 0) || drop.pickup != Amount(dims, 0) ||
          pick.skills != drop.skills) {
        return Error{ErrorCode::kInconsistent,
                     "a shipment's pickup amount must equal its delivery amount (and its skills be the same)", 0,
                     f + ".partner"};
      }
    }
  }
  return std::nullopt;
}

Matrix euclidean_matrix(const std::vector<std::pair<double, double>>& points) {
  Matrix m;
  m.size = points.size();
  m.durations.resize(m.size * m.size);
  for (std::size_t i = 0; i < m.size; ++i) {
    for (std::size_t j = 0; j < m.size; ++j) {
      m.durations[i * m.size + j] = std::hypot(points[i].first - points[j].first, points[i].second - points[j].second);
    }
  }
  m.distances = m.durations;
  return m;
}

}  // namespace lastmile::optimize
