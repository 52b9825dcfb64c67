#pragma once
// Instance: a validated Problem with what the search reads in its inner loops precomputed (arc costs by
// the objective, vehicle/job skill compatibility, nearest-neighbour lists). Read-only once built, so
// searches on several threads share one.

#include <cstddef>
#include <optional>
#include <vector>

#include "optimize/problem.hpp"

namespace lastmile::optimize {

class Instance {
 public:
  // REQUIRES: validate(problem) passed. `problem` must outlive the Instance.
  explicit Instance(const Problem& problem);

  const Problem& problem() const { return p_; }
  std::size_t job_count() const { return p_.jobs.size(); }
  std::size_t vehicle_count() const { return p_.vehicles.size(); }
  std::size_t dims() const { return dims_; }

  // Travel time / objective cost between two optional locations (an absent depot costs nothing).
  double travel(std::optional<LocationIndex> a, std::optional<LocationIndex> b) const {
    return a && b ? p_.matrix.duration(*a, *b) : 0.0;
  }
  double cost(std::optional<LocationIndex> a, std::optional<LocationIndex> b) const {
    if (!a || !b) return 0.0;
    return use_duration_ ? p_.matrix.duration(*a, *b) : p_.matrix.distance(*a, *b);
  }
  bool compatible(std::size_t vehicle, std::size_t job) const { return compatible_[vehicle * p_.jobs.size() + job]; }
  // The (at most 100) jobs nearest to `job` by distance, nearest first (itself excluded).
  const std::vector<std::size_t>& neighbours(std::size_t job) const { return neighbours_[job]; }
  // A representative per group of identical vehicles: only the first empty vehicle of a group is tried
  // when opening a route.
  std::size_t vehicle_class(std::size_t vehicle) const { return vehicle_class_[vehicle]; }

  // Earliest service start at `job` when arriving at `arrival`; nullopt when every window has closed.
  std::optional<double> earliest_start(std::size_t job, double arrival) const {
    for (const auto& w : p_.jobs[job].windows) {
      if (arrival <= w.end) return arrival > w.start ? arrival : w.start;
    }
    return std::nullopt;
  }
  // Latest service start at `job` not after `bound`; nullopt when no window opens by then.
  std::optional<double> latest_start(std::size_t job, double bound) const;

 private:
  const Problem& p_;
  std::size_t dims_;
  bool use_duration_;
  std::vector<bool> compatible_;
  std::vector<std::vector<std::size_t>> neighbours_;
  std::vector<std::size_t> vehicle_class_;
};

}  // namespace lastmile::optimize
