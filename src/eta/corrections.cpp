#include "eta/corrections.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "core/json_writer.hpp"

namespace lastmile::eta {
namespace {

constexpr int kHoursPerDay = 24;
constexpr int kFolds = 5;               // cross-validation folds of the window quantiles
constexpr size_t kMinLegsForFolds = 25;  // fewer legs: in-sample quantiles
constexpr int kPasses = 3;              // alternating passes of classes → hours → pace
constexpr double kCellDeg = 0.00045;    // ≈ 50 m of latitude

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

double clamp_factor(double f, const LearnOptions& o) { return std::clamp(f, o.min_factor, o.max_factor); }

// Median of `v` (reordered); REQUIRES: !v.empty().
double median(std::vector<double>& v) {
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lo + hi) / 2;
}

// The median of bucket medians, each weighted by its number of legs: "the typical bucket" (the
// usual hour, the usual driver). REQUIRES: !v.empty().
double weighted_median(std::vector<std::pair<double, size_t>>& v) {
  std::sort(v.begin(), v.end());
  size_t total_n = 0;
  for (const auto& e : v) total_n += e.second;
  size_t seen = 0;
  for (const auto& e : v) {
    seen += e.second;
    if (2 * seen >= total_n) return e.first;
  }
  return v.back().first;
}

// Quantile q in [0, 1] with linear interpolation between order statistics; REQUIRES: sorted, non-empty.
double quantile_sorted(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t i = static_cast<size_t>(std::floor(pos));
  if (i + 1 >= v.size()) return v.back();
  const double t = pos - static_cast<double>(i);
  return v[i] * (1 - t) + v[i + 1] * t;
}

double shrink(double value, double n, double towards, double w) { return (n * value + w * towards) / (n + w); }

int wrap_hour(int h) { return ((h % kHoursPerWeek) + kHoursPerWeek) % kHoursPerWeek; }

double total(const map::ClassDurations& d) {
  double s = 0;
  for (double x : d) s += x;
  return s;
}

// The travel part of the model, fitted on a set of legs (used for the final model and for each
// cross-validation fold).
struct TravelModel {
  std::array<double, map::kRoadClassCount> cls{1, 1, 1, 1, 1, 1, 1, 1};
  std::array<double, map::kRoadClassCount> cls_seconds{};
  std::array<double, kHoursPerWeek> hour{};
  std::array<size_t, kHoursPerWeek> hour_n{};
  std::unordered_map<core::DriverId, double> pace;
  std::unordered_map<core::DriverId, size_t> pace_n;

  TravelModel() { hour.fill(1.0); }

  double class_model(const LegObservation& l) const {
    double s = 0;
    for (size_t c = 0; c < map::kRoadClassCount; ++c) s += cls[c] * l.predicted[c];
    return s;
  }
  double pace_of(const core::DriverId& d) const {
    auto it = pace.find(d);
    return it == pace.end() ? 1.0 : it->second;
  }
  double hour_of(int h) const { return hour[static_cast<size_t>(wrap_hour(h))]; }
  double predict(const LegObservation& l) const { return class_model(l) * hour_of(l.hour_of_week) * pace_of(l.driver); }
};

bool usable_leg(const LegObservation& l, const LearnOptions& o) {
  const double p = total(l.predicted);
  if (!std::isfinite(p) || p <= 0 || !std::isfinite(l.actual_s) || l.actual_s <= 0) return false;
  for (double x : l.predicted)
    if (!std::isfinite(x) || x < 0) return false;
  const double r = l.actual_s / p;
  return r >= 1 / o.outlier_ratio && r <= o.outlier_ratio;
}

// Step 2: weighted ridge least squares with box constraints, by projected coordinate descent.
// `scale[i]` is the leg's hour × pace factor from the previous pass.
void fit_classes(std::span<const LegObservation* const> legs, std::span<const double> scale, const LearnOptions& o,
                 TravelModel& m) {
  constexpr size_t K = map::kRoadClassCount;
  std::array<std::array<double, K>, K> a{};
  std::array<double, K> b{};
  std::array<size_t, K> n{};
  m.cls_seconds = {};
  for (size_t i = 0; i < legs.size(); ++i) {
    const LegObservation& l = *legs[i];
    std::array<double, K> x{};
    for (size_t c = 0; c < K; ++c) x[c] = scale[i] * l.predicted[c];
    const double weight = 1 / total(x);
    for (size_t c = 0; c < K; ++c) {
      if (l.predicted[c] <= 0) continue;
      m.cls_seconds[c] += l.predicted[c];
      ++n[c];
      b[c] += weight * l.actual_s * x[c];
      for (size_t d = 0; d < K; ++d) a[c][d] += weight * x[c] * x[d];
    }
  }
  std::array<bool, K> fitted{};
  std::array<double, K> lambda{};
  for (size_t c = 0; c < K; ++c) {
    fitted[c] = n[c] > 0 && m.cls_seconds[c] >= o.min_class_seconds;
    if (fitted[c]) lambda[c] = o.prior_weight * a[c][c] / static_cast<double>(n[c]);
  }
  std::array<double, K> f{};
  f.fill(1.0);
  for (int sweep = 0; sweep < 200; ++sweep) {
    double change = 0;
    for (size_t c = 0; c < K; ++c) {
      if (!fitted[c]) continue;
      double rhs = b[c] + lambda[c];
      for (size_t d = 0; d < K; ++d)
        if (d != c) rhs -= a[c][d] * f[d];
      const double next = clamp_factor(rhs / (a[c][c] + lambda[c]), o);
      change = std::max(change, std::abs(next - f[c]));
      f[c] = next;
    }
    if (change < 1e-10) break;
  }
  m.cls = f;
}

// Step 3: hour-of-week factors on actual / (class model × pace), relative to the typical hour (the
// leg-weighted median of the hours' medians): the class factors carry the overall level, an hour factor only how
// that hour differs. Without this the level is split between classes and hours arbitrarily (the
// product is what the data fixes) and the shrinkage drifts over the passes.
void fit_hours(std::span<const LegObservation* const> legs, const LearnOptions& o, TravelModel& m) {
  std::array<std::vector<double>, kHoursPerWeek> by_hour;
  for (const LegObservation* l : legs) {
    const double ratio = l->actual_s / (m.class_model(*l) * m.pace_of(l->driver));
    by_hour[static_cast<size_t>(wrap_hour(l->hour_of_week))].push_back(ratio);
  }
  std::vector<std::pair<double, size_t>> medians;
  for (auto& v : by_hour)
    if (!v.empty()) medians.emplace_back(median(v), v.size());
  const double typical = weighted_median(medians);
  for (auto& v : by_hour)
    for (double& r : v) r /= typical;
  // The fallback of an hour is the same hour of the OTHER days (a shrunk median towards 1): built
  // from the hour's own legs too, it would count them twice and shrink them less than documented.
  std::vector<double> others;
  for (size_t h = 0; h < kHoursPerWeek; ++h) {
    others.clear();
    for (size_t d = h % kHoursPerDay; d < kHoursPerWeek; d += kHoursPerDay)
      if (d != h) others.insert(others.end(), by_hour[d].begin(), by_hour[d].end());
    const double fallback =
        others.empty() ? 1.0
                       : clamp_factor(shrink(median(others), static_cast<double>(others.size()), 1.0, o.prior_weight), o);
    auto& v = by_hour[h];
    m.hour_n[h] = v.size();
    m.hour[h] = v.empty() ? fallback
                          : clamp_factor(shrink(median(v), static_cast<double>(v.size()), fallback, o.prior_weight), o);
  }
}

// Step 4: driver pace on actual / (class model × hour), relative to the typical driver (as hours).
void fit_pace(std::span<const LegObservation* const> legs, const LearnOptions& o, TravelModel& m) {
  std::unordered_map<core::DriverId, std::vector<double>> by_driver;
  for (const LegObservation* l : legs)
    by_driver[l->driver].push_back(l->actual_s / (m.class_model(*l) * m.hour_of(l->hour_of_week)));
  std::vector<std::pair<double, size_t>> medians;
  for (auto& entry : by_driver) medians.emplace_back(median(entry.second), entry.second.size());
  const double typical = weighted_median(medians);
  for (auto& entry : by_driver)
    for (double& r : entry.second) r /= typical;
  m.pace.clear();
  m.pace_n.clear();
  for (auto& entry : by_driver) {
    auto& v = entry.second;
    m.pace_n[entry.first] = v.size();
    m.pace[entry.first] = clamp_factor(shrink(median(v), static_cast<double>(v.size()), 1.0, o.prior_weight), o);
  }
}

TravelModel fit_travel(std::span<const LegObservation* const> legs, const LearnOptions& o) {
  TravelModel m;
  if (legs.empty()) return m;
  std::vector<double> scale(legs.size(), 1.0);
  for (int pass = 0; pass < kPasses; ++pass) {
    fit_classes(legs, scale, o, m);
    fit_hours(legs, o, m);
    fit_pace(legs, o, m);
    for (size_t i = 0; i < legs.size(); ++i) scale[i] = m.hour_of(legs[i]->hour_of_week) * m.pace_of(legs[i]->driver);
  }
  return m;
}

// Step 5: log residuals, out of sample when there are enough legs.
std::vector<double> log_residuals(std::span<const LegObservation* const> legs, const TravelModel& full,
                                  const LearnOptions& o, bool& out_of_sample) {
  std::vector<double> r;
  r.reserve(legs.size());
  out_of_sample = legs.size() >= kMinLegsForFolds;
  if (!out_of_sample) {
    for (const LegObservation* l : legs)
      if (const double p = full.predict(*l); p > 0) r.push_back(std::log(l->actual_s / p));
    return r;
  }
  std::vector<const LegObservation*> train;
  for (int fold = 0; fold < kFolds; ++fold) {
    train.clear();
    for (size_t i = 0; i < legs.size(); ++i)
      if (static_cast<int>(i % kFolds) != fold) train.push_back(legs[i]);
    const TravelModel m = fit_travel(train, o);
    for (size_t i = static_cast<size_t>(fold); i < legs.size(); i += kFolds)
      if (const double p = m.predict(*legs[i]); p > 0) r.push_back(std::log(legs[i]->actual_s / p));
  }
  return r;
}

}  // namespace

int hour_of_week(core::Timestamp t, int utc_offset_s) {
  const int64_t s = floor_div(t.ms, 1000) + utc_offset_s;
  const int64_t days = floor_div(s, 86400);
  const int64_t weekday = ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday (Monday = 0)
  const int64_t hour = (s - days * 86400) / 3600;
  return static_cast<int>(weekday * 24 + hour);
}

std::string place_key(core::LatLon where) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const auto lat_cell = static_cast<int64_t>(std::floor(where.lat() / kCellDeg));
  const double row_lat = (static_cast<double>(lat_cell) + 0.5) * kCellDeg;
  const double lon_deg = kCellDeg / std::max(std::cos(row_lat * kRad), 0.01);
  const auto lon_cell = static_cast<int64_t>(std::floor(where.lon() / lon_deg));
  return "c:" + std::to_string(lat_cell) + ":" + std::to_string(lon_cell);
}

double Corrections::hour_factor(int hour) const { return hour_factor_[static_cast<size_t>(wrap_hour(hour))]; }

double Corrections::pace(const core::DriverId& driver) const {
  auto it = pace_.find(driver);
  return it == pace_.end() ? 1.0 : it->second;
}

double Corrections::travel_s(const map::ClassDurations& predicted, const core::DriverId& driver, int hour) const {
  double s = 0;
  for (size_t c = 0; c < map::kRoadClassCount; ++c) s += class_factor_[c] * predicted[c];
  return s * hour_factor(hour) * pace(driver);
}

double Corrections::service_s(std::string_view place, const core::DriverId& driver, double planned_s) const {
  if (auto it = place_service_.find(place); it != place_service_.end()) {
    const auto n = static_cast<double>(it->second.n);
    return shrink(it->second.median_s, n, planned_s * fleet_service_ratio_, prior_weight_);
  }
  if (auto it = driver_service_ratio_.find(driver); it != driver_service_ratio_.end()) return it->second * planned_s;
  return fleet_service_ratio_ * planned_s;
}

Window Corrections::window(double remaining_s, int legs) const {
  const double k = std::max(1, legs);
  const double rho = leg_error_correlation_;
  const double spread = std::sqrt(rho + (1 - rho) / k);
  const double ahead = std::max(0.0, remaining_s);
  Window w;
  w.early_s = std::min(ahead * std::expm1(log_q10_ * spread), -min_window_s_);
  w.late_s = std::max(ahead * std::expm1(log_q90_ * spread), min_window_s_);
  return w;
}

std::string Corrections::to_json() const {
  namespace json = boost::json;
  json::object root;
  root["legs"] = legs_;
  root["legs_dropped"] = legs_dropped_;
  root["services"] = services_;
  json::object classes;
  for (size_t c = 0; c < map::kRoadClassCount; ++c) {
    classes[map::kRoadClassNames[c]] = json::object{{"factor", class_factor_[c]}, {"predicted_s", class_seconds_[c]}};
  }
  root["classes"] = std::move(classes);
  json::array hours;
  for (size_t h = 0; h < kHoursPerWeek; ++h) {
    if (hour_legs_[h] == 0) continue;
    hours.push_back(json::object{{"hour_of_week", h}, {"factor", hour_factor_[h]}, {"legs", hour_legs_[h]}});
  }
  root["hours"] = std::move(hours);
  std::map<std::string, std::pair<double, size_t>> sorted_pace;  // stable output order
  for (const auto& entry : pace_) {
    auto n = pace_legs_.find(entry.first);
    sorted_pace[entry.first.str()] = {entry.second, n == pace_legs_.end() ? 0 : n->second};
  }
  json::object drivers;
  for (const auto& entry : sorted_pace)
    drivers[entry.first] = json::object{{"pace", entry.second.first}, {"legs", entry.second.second}};
  root["drivers"] = std::move(drivers);
  root["window"] = json::object{{"log_p10", log_q10_},
                                {"log_p90", log_q90_},
                                {"out_of_sample", window_out_of_sample_},
                                {"leg_error_correlation", leg_error_correlation_},
                                {"min_window_s", min_window_s_}};
  std::map<std::string, double> sorted_ratio;
  for (const auto& entry : driver_service_ratio_) sorted_ratio[entry.first.str()] = entry.second;
  json::object driver_ratio;
  for (const auto& entry : sorted_ratio) driver_ratio[entry.first] = entry.second;
  std::map<std::string, PlaceService> sorted_places(place_service_.begin(), place_service_.end());
  json::object places;
  for (const auto& entry : sorted_places)
    places[entry.first] = json::object{{"median_s", entry.second.median_s}, {"stops", entry.second.n}};
  root["service"] = json::object{{"fleet_ratio", fleet_service_ratio_},
                                 {"prior_weight", prior_weight_},
                                 {"driver_ratio", std::move(driver_ratio)},
                                 {"places", std::move(places)}};
  return core::to_json(root);
}

Corrections learn(std::span<const LegObservation> legs, std::span<const ServiceObservation> services,
                  const LearnOptions& options) {
  Corrections out;
  out.prior_weight_ = options.prior_weight;
  out.leg_error_correlation_ = std::clamp(options.leg_error_correlation, 0.0, 1.0);
  out.min_window_s_ = std::max(0.0, options.min_window_s);

  std::vector<const LegObservation*> used;
  used.reserve(legs.size());
  for (const LegObservation& l : legs)
    if (usable_leg(l, options)) used.push_back(&l);
  out.legs_ = used.size();
  out.legs_dropped_ = legs.size() - used.size();
  if (!used.empty()) {
    TravelModel m = fit_travel(used, options);
    out.class_factor_ = m.cls;
    out.class_seconds_ = m.cls_seconds;
    out.hour_factor_ = m.hour;
    out.hour_legs_ = m.hour_n;
    out.pace_ = m.pace;
    out.pace_legs_ = m.pace_n;
    std::vector<double> r = log_residuals(used, m, options, out.window_out_of_sample_);
    if (!r.empty()) {
      std::sort(r.begin(), r.end());
      const auto n = static_cast<double>(r.size());
      out.log_q10_ = shrink(quantile_sorted(r, 0.10), n, Corrections{}.log_q10_, options.prior_weight);
      out.log_q90_ = shrink(quantile_sorted(r, 0.90), n, Corrections{}.log_q90_, options.prior_weight);
    }
  }

  // Step 6: services.
  std::vector<const ServiceObservation*> svc;
  for (const ServiceObservation& s : services)
    if (std::isfinite(s.planned_s) && s.planned_s > 0 && std::isfinite(s.actual_s) && s.actual_s >= 0)
      svc.push_back(&s);
  out.services_ = svc.size();
  if (!svc.empty()) {
    std::vector<double> ratios;
    std::unordered_map<core::DriverId, std::vector<double>> by_driver;
    std::unordered_map<std::string, std::vector<double>> by_place;
    for (const ServiceObservation* s : svc) {
      ratios.push_back(s->actual_s / s->planned_s);
      by_driver[s->driver].push_back(s->actual_s / s->planned_s);
      if (!s->place.empty()) by_place[s->place].push_back(s->actual_s);
    }
    out.fleet_service_ratio_ = median(ratios);
    for (auto& entry : by_driver) {
      const auto n = static_cast<double>(entry.second.size());
      out.driver_service_ratio_[entry.first] =
          shrink(median(entry.second), n, out.fleet_service_ratio_, options.prior_weight);
    }
    for (auto& entry : by_place) out.place_service_[entry.first] = {median(entry.second), entry.second.size()};
  }
  return out;
}

}  // namespace lastmile::eta
