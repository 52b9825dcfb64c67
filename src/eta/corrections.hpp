#pragma once
// Learned ETA corrections (issue 4, part 3): what delivery history teaches about how the road
// network's free-flow estimates differ from real drives, and how long stops really take.
//
//   travel  = Σ_class predicted_s[class] × class_factor[class]  × hour_factor[hour of week] × pace[driver]
//   service = learned per place (a ~50 m cell, place_key()), else per driver, else the planned time
//             (× the fleet's actual/planned ratio, 1 without history)
//   window  = P10 / P90 offsets around the P50 arrival, from the residuals of the fitted model
//
// All factors multiply TIME: a class factor 0.7 means the class is driven in 70 % of its free-flow
// time; a pace of 1.33 is a driver who needs a third more time than the fleet.
//
// Every factor is shrunk towards 1 (a place's service time towards the fleet's) by its number of
// observations, so a factor seen twice moves little. A default-constructed Corrections is the
// identity (factors 1, planned service times) with a default window; the estimator runs the same
// code with or without history (that is how "with and without learned corrections" is measured).
//
// How learn() fits (details in corrections.cpp):
//   1. Legs with no predicted time, a non-positive or non-finite actual, or actual/predicted outside
//      [1/outlier_ratio, outlier_ratio] are dropped (breaks, GPS gaps, wrong stop order).
//   2. Class factors: least squares of actual ≈ g · Σ_c f_c · predicted[c] (g = the leg's hour × pace
//      factor of the previous pass, 1 in the first), each leg weighted by 1 / its predicted time
//      (the variance of a drive grows with its length, so a single class gives f = Σ actual / Σ
//      predicted), with a ridge prior λ_c (f_c − 1)² worth `prior_weight` average legs of that
//      class: with n equal legs of one class f = (n·f̂ + w) / (n + w). Classes with less than
//      `min_class_seconds` of predicted time stay 1. Solved by projected coordinate descent on
//      [min_factor, max_factor] (non-negative least squares with box constraints).
//   3. Hour-of-week factors: per hour, the median of actual / (class model × pace) divided by the
//      leg-weighted median of these hour medians (so 1 is the typical hour and the classes carry the level;
//      the data fixes only the product class × hour × pace), shrunk
//      (n·median + w·fallback) / (n + w) towards the hour-of-day factor of the OTHER days (the
//      median of the same hour on the other six days, itself shrunk towards 1; 1 if they have no
//      legs). An hour without data takes that hour-of-day factor, or 1.
//   4. Driver pace: per driver, the median of actual / (class model × hour), relative to the
//      typical driver as in 3, shrunk towards 1.
//   Steps 2–4 run three times (each later pass fits the classes on legs scaled by the previous
//   pass's hour and pace), which removes the bias a slow driver or a rush hour puts into the
//   classes of the first pass (the synthetic test recovers class, hour and pace within a few %).
//   5. Window: the P10 and P90 of log(actual / model) of the legs, out of sample (5-fold
//      cross-validation when there are at least 25 legs, else in sample), shrunk towards the
//      default quantiles by prior_weight.
//   6. Services: the fleet ratio is the median of actual / planned; a driver's ratio the median of
//      their actual / planned shrunk towards the fleet ratio; a place keeps the median of its actual
//      times and their count, and answers (n·median + w·planned·fleet_ratio) / (n + w).
//
// Pure: no I/O, no clock. Thread safety: immutable after learn(); share it by const reference or
// shared_ptr<const Corrections> across threads.

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "map/road_class.hpp"

namespace lastmile::eta {

inline constexpr int kHoursPerWeek = 168;

// Hour of week, 0 = Monday 00:00–00:59, of `t` shifted by `utc_offset_s` (the tenant's local time).
// Always in [0, 168), also for times before 1970 and offsets that cross a week boundary.
int hour_of_week(core::Timestamp t, int utc_offset_s = 0);

// A ~50 m cell key for a place ("c:<lat cell>:<lon cell>"): the same building's stops share it
// (unless a cell border runs through the building). Cells are 0.00045° of latitude (≈ 50 m) by
// 0.00045° / cos(latitude of the cell's row) of longitude, so they stay ≈ 50 m wide up north.
std::string place_key(core::LatLon where);

// One observed drive between two consecutive places of a route (depot → first stop, stop → stop).
struct LegObservation {
  core::DriverId driver;
  int hour_of_week = 0;         // of the departure, local time
  map::ClassDurations predicted{};  // free-flow seconds per road class (router or great circle)
  double actual_s = 0;          // arrival − departure
};

// One observed stop: arrival to departure.
struct ServiceObservation {
  core::DriverId driver;
  std::string place;       // place_key() of the stop
  double planned_s = 0;    // the stop's planned service time
  double actual_s = 0;
};

// REQUIRES: prior_weight >= 0, 0 < min_factor <= 1 <= max_factor, outlier_ratio >= 1.
struct LearnOptions {
  double prior_weight = 5;   // shrinkage: a factor of n observations is (n·f + w·1) / (n + w)
  double min_factor = 0.3;   // learned factors are clamped to [min_factor, max_factor]
  double max_factor = 3.0;
  double outlier_ratio = 4;  // legs with actual/predicted outside [1/r, r] are ignored (breaks, GPS gaps)
  double min_class_seconds = 600;  // a class with less predicted time over all legs keeps factor 1
  // Correlation of the relative errors of successive legs (same driver, same day, same traffic):
  // the log spread of an arrival `legs` legs away is the one-leg spread × sqrt(ρ + (1 − ρ) / legs).
  // ρ = 0 is the independent-legs 1/sqrt(legs) rule (the relative error of a sum of k similar legs
  // with independent relative errors σ is σ/√k); ρ = 1 no averaging at all. Real legs share the
  // day's traffic and the driver's form, so pure 1/√k would promise a 16-stop arrival a quarter of
  // one leg's spread; the default keeps at least half of it (√0.25). A prior, not learned: the
  // observations do not say which legs belong to the same route and day.
  double leg_error_correlation = 0.25;
  double min_window_s = 60;  // a window is never narrower than ±min_window_s
};

// Offsets around the P50 arrival: early_s <= 0 <= late_s.
struct Window {
  double early_s = 0;
  double late_s = 0;
};

class Corrections {
 public:
  Corrections() = default;  // identity, default window

  // Travel time of a leg whose free-flow estimate per class is `predicted`. An unknown driver has
  // pace 1; `hour_of_week` outside [0, 168) is taken modulo 168.
  double travel_s(const map::ClassDurations& predicted, const core::DriverId& driver, int hour_of_week) const;
  // Expected service time at `place` (place_key) for `driver`, given the planned time: the place's
  // learned time if it has one, else the driver's ratio × planned, else the fleet ratio × planned
  // (= planned without service history).
  double service_s(std::string_view place, const core::DriverId& driver, double planned_s) const;
  // The P10–P90 window of an arrival `remaining_s` ahead, `legs` legs away (1 = the next stop;
  // values below 1 count as 1): early_s = remaining_s·(exp(q10·s) − 1), late_s =
  // remaining_s·(exp(q90·s) − 1) with s = sqrt(ρ + (1 − ρ)/legs), then widened to at least
  // ±min_window_s (and so never a point, even for remaining_s = 0).
  Window window(double remaining_s, int legs) const;

  bool learned() const { return legs_ + services_ > 0; }
  size_t legs() const { return legs_; }          // legs the fit used (outliers excluded)
  size_t services() const { return services_; }  // service observations used
  // The learned factors (for tests, metrics and the docs).
  double class_factor(map::RoadClass c) const { return class_factor_[static_cast<size_t>(c)]; }
  double hour_factor(int hour_of_week) const;
  double pace(const core::DriverId& driver) const;
  double log_q10() const { return log_q10_; }
  double log_q90() const { return log_q90_; }
  // The model as JSON (factors per class, per hour with data, per driver; window quantiles;
  // counts): for GET endpoints, logs and the docs.
  std::string to_json() const;

  friend Corrections learn(std::span<const LegObservation>, std::span<const ServiceObservation>,
                           const LearnOptions&);

 private:
  struct PlaceService {
    double median_s = 0;
    size_t n = 0;
  };
  // Looks places up by string_view without building a string (service_s runs per stop per estimate).
  struct PlaceHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  size_t legs_ = 0;
  size_t legs_dropped_ = 0;
  size_t services_ = 0;
  std::array<double, map::kRoadClassCount> class_factor_ = {1, 1, 1, 1, 1, 1, 1, 1};
  std::array<double, map::kRoadClassCount> class_seconds_{};  // predicted seconds seen per class
  // Filled for every hour: learned, else the hour-of-day fallback, else 1.
  std::array<double, kHoursPerWeek> hour_factor_ = [] {
    std::array<double, kHoursPerWeek> a{};
    a.fill(1.0);
    return a;
  }();
  std::array<size_t, kHoursPerWeek> hour_legs_{};  // legs per hour of week (0: not learned)
  std::unordered_map<core::DriverId, double> pace_;
  std::unordered_map<core::DriverId, size_t> pace_legs_;
  std::unordered_map<std::string, PlaceService, PlaceHash, std::equal_to<>> place_service_;
  std::unordered_map<core::DriverId, double> driver_service_ratio_;
  double fleet_service_ratio_ = 1;
  double prior_weight_ = LearnOptions{}.prior_weight;
  // Quantiles of log(actual / model) of a leg (P10, P90); defaults before any history.
  double log_q10_ = -0.10;
  double log_q90_ = 0.20;
  double leg_error_correlation_ = LearnOptions{}.leg_error_correlation;
  double min_window_s_ = LearnOptions{}.min_window_s;
  bool window_out_of_sample_ = false;
};

// Fits the model (see the top of this header): class factors by least squares over the legs, then
// hour-of-week and driver pace factors on the residual ratios (medians, shrunk), then the residual
// quantiles; service times per place and per driver (medians, shrunk towards the fleet's ratio
// actual/planned). Observations it cannot use are skipped, never an error.
Corrections learn(std::span<const LegObservation> legs, std::span<const ServiceObservation> services,
                  const LearnOptions& options = {});

}  // namespace lastmile::eta
