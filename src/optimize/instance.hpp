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
    if (soft_) return arrival;  // soft windows: late, served on arrival
    return std::nullopt;
  }
  // Latest service start at `job` not after `bound`; nullopt when no window opens by then.
  std::optional<double> latest_start(std::size_t job, double bound) const;

  // Soft time windows (Objective::lateness_penalty set): lateness costs, a closed window is no refusal.
  bool soft_windows() const { return soft_; }
  double lateness_penalty() const { return penalty_; }
  // Lateness of a service start at `job`: how far it is past the job's last window (0 when not).
  double lateness(std::size_t job, double start) const {
    const double over = start - p_.jobs[job].windows.back().end;
    return over > 0 ? over : 0.0;
  }
  // True when a route of `vehicle` needs the full time pass (time_pass.hpp) instead of the O(1) checks
  // alone: the vehicle has breaks or windows are soft.
  bool timed(std::size_t vehicle) const { return soft_ || !break_order_[vehicle].empty(); }
  // The vehicle's breaks (indices into Vehicle::breaks) in the order the time pass takes them: by the
  // start of their first window, then by the end of their last one.
  const std::vector<std::size_t>& break_order(std::size_t vehicle) const { return break_order_[vehicle]; }

 private:
  const Problem& p_;
  std::size_t dims_;
  bool use_duration_;
  std::vector<bool> compatible_;
  std::vector<std::vector<std::size_t>> neighbours_;
  std::vector<std::size_t> vehicle_class_;
  bool soft_ = false;
  double penalty_ = 0;
  std::vector<std::vector<std::size_t>> break_order_;
};

}  // namespace lastmile::optimize
