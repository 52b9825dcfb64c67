#pragma once
// The vehicle routing problem the optimizer solves: vehicles, jobs and a travel matrix. Plain data;
// validate() is the one check that a Problem is consistent before any solver code reads it.
//
// Units: times and durations in the matrix's unit (seconds for VROOM input, Solomon's abstract
// minutes); distances in the matrix's unit. Amounts are integers, one per capacity dimension.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "optimize/optimize_error.hpp"

namespace lastmile::optimize {

// A location: an index into the matrix. Strong type so it is not mixed up with job or vehicle indices.
struct LocationIndex {
  std::size_t value = 0;
  friend bool operator==(LocationIndex, LocationIndex) = default;
};

// A job's or vehicle's external id (VROOM: an integer; Solomon: the customer number).
struct ExternalId {
  int64_t value = 0;
  friend bool operator==(ExternalId, ExternalId) = default;
};

struct TimeWindow {
  double start = 0;
  double end = 0;
};

// Quantities per capacity dimension (all vectors of one problem have the same size).
using Amount = std::vector<int64_t>;

struct Job {
  ExternalId id;
  LocationIndex location;
  Amount delivery;                  // loaded at the start depot, dropped here
  Amount pickup;                    // picked up here, carried to the end depot
  double service = 0;
  std::vector<TimeWindow> windows;  // sorted, disjoint; service must START inside one of them
  std::vector<int64_t> skills;      // the vehicle must have all of them
  int priority = 0;                 // 0..100; higher is kept first when not all jobs fit
  // Shipments (a pickup and its delivery, VROOM `shipments`) are two jobs linked by `partner` (none: a
  // single job). They go in the same route, the pickup half first. The pickup half's `pickup` is the
  // shipment's amount and its `delivery` zero; the delivery half's `delivery` is the same amount and its
  // `pickup` zero: the amount is on board from the pickup to the delivery only (not loaded at the start
  // depot, not carried to the end).
  std::optional<std::size_t> partner;
  bool pickup_half = false;         // with a partner: this job is the shipment's pickup
};

// True for either half of a shipment.
inline bool is_paired(const Job& j) { return j.partner.has_value(); }
// True for the delivery half of a shipment (inserted with, and removed with, its pickup half).
inline bool is_delivery_half(const Job& j) { return j.partner.has_value() && !j.pickup_half; }

// A driver break (VROOM `breaks`): taken once per used vehicle, starting inside one of its windows
// (sorted, disjoint), lasting `service`. It has no location: the vehicle takes it where it is, before
// its first job, between two jobs or after its last one (on arrival at the next stop, before serving
// it), waiting for the window to open when early.
struct Break {
  ExternalId id;
  std::vector<TimeWindow> windows;
  double service = 0;
  std::string description;
  Amount max_load;  // empty: no limit; else the load on board while the break is taken must not exceed it
};

struct Vehicle {
  ExternalId id;
  std::optional<LocationIndex> start;  // none: the route starts at its first job
  std::optional<LocationIndex> end;    // none: the route ends at its last job
  Amount capacity;
  TimeWindow shift;                    // leave start no earlier than shift.start, reach end by shift.end
  std::vector<int64_t> skills;
  double cost_per_distance = 0;
  double cost_per_duration = 1;
  std::vector<Break> breaks = {};      // each taken exactly once when the vehicle is used (time_pass.hpp)
};

// Square matrices, row-major: travel from i to j.
struct Matrix {
  std::size_t size = 0;
  std::vector<double> durations;
  std::vector<double> distances;
  double duration(LocationIndex from, LocationIndex to) const { return durations[from.value * size + to.value]; }
  double distance(LocationIndex from, LocationIndex to) const { return distances[from.value * size + to.value]; }
};

// The objective hierarchy: first the number of vehicles used, then total distance or total duration.
enum class SecondaryObjective { kDistance, kDuration };

struct Objective {
  SecondaryObjective secondary = SecondaryObjective::kDistance;
  // Soft time windows when set: service may start after a job's last window closes (never before a
  // window opens: the vehicle waits), and the cost adds lateness_penalty × (start − that window's end).
  // Unset: hard windows (the default). Shift ends and break windows stay hard either way.
  std::optional<double> lateness_penalty = std::nullopt;
};

struct Problem {
  std::string name;
  std::vector<Vehicle> vehicles;
  std::vector<Job> jobs;
  Matrix matrix;
  Objective objective;
};

// OK when every location index is inside the matrix, every amount has the capacity's dimensions,
// windows are sorted with start <= end, quantities are non-negative and the matrix is finite and
// non-negative. Otherwise kInconsistent or kInvalidValue with the field path ("jobs[3].time_windows").
std::optional<Error> validate(const Problem& problem);

// Euclidean matrix over points (Solomon convention: distance = travel time, no rounding).
Matrix euclidean_matrix(const std::vector<std::pair<double, double>>& points);

}  // namespace lastmile::optimize
