#include "eta/history_replay.hpp"

#include <algorithm>
#include <cmath>

namespace lastmile::eta {
namespace {

struct Prediction {
  double error_s = 0;  // predicted − actual
  bool covered = false;
};

ErrorStats stats(const std::vector<Prediction>& p) {
  ErrorStats s;
  s.n = p.size();
  if (p.empty()) return s;
  std::vector<double> abs;
  size_t covered = 0;
  for (const Prediction& x : p) {
    abs.push_back(std::abs(x.error_s));
    covered += x.covered ? 1 : 0;
  }
  std::sort(abs.begin(), abs.end());
  double sum = 0;
  for (double a : abs) sum += a;
  s.mean_abs_s = sum / static_cast<double>(abs.size());
  const double pos = 0.9 * static_cast<double>(abs.size() - 1);
  const auto i = static_cast<size_t>(std::floor(pos));
  s.p90_abs_s = i + 1 < abs.size() ? abs[i] + (pos - static_cast<double>(i)) * (abs[i + 1] - abs[i]) : abs.back();
  s.coverage = static_cast<double>(covered) / static_cast<double>(p.size());
  return s;
}

// `predicted_s` and `actual_s` are durations from the moment of the prediction.
Prediction predict(double predicted_s, double actual_s, const Window& w) {
  return {predicted_s - actual_s, actual_s >= predicted_s + w.early_s && actual_s <= predicted_s + w.late_s};
}

double seconds_between(core::Timestamp a, core::Timestamp b) { return static_cast<double>(b.ms - a.ms) / 1000.0; }

map::ClassDurations unknown_class(double s) {
  map::ClassDurations d{};
  d[static_cast<size_t>(map::RoadClass::kUnknown)] = s;
  return d;
}

}  // namespace

LadeReplay replay_lade_next_delivery(const std::vector<LadeDelivery>& deliveries, const LadeReplayOptions& options) {
  const map::RoutingService gc(nullptr, options.great_circle);
  const std::vector<NextDelivery> pairs = next_deliveries(deliveries);  // ordered by the second scan
  struct Observed {
    core::Timestamp done;  // the second scan: known from then on
    ServiceObservation service;
    bool learnable = true;
  };
  std::vector<Observed> observed;
  std::vector<double> travel(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    const NextDelivery& p = pairs[i];
    travel[i] = gc.great_circle(p.from->position(), p.to->position()).duration_s;
    const double gap = seconds_between(p.from->delivery_time, p.to->delivery_time);
    observed.push_back({p.to->delivery_time,
                        {p.to->courier, place_key(p.to->destination), options.planned_service_s,
                         std::max(0.0, gap - travel[i])},
                        gap <= options.max_learn_gap_s});
  }

  LadeReplay out;
  const Corrections identity;
  std::vector<Prediction> without, with, without_short, with_short;
  std::vector<ServiceObservation> history;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const NextDelivery& p = pairs[i];
    const core::Timestamp now = p.from->delivery_time;
    history.clear();
    for (const Observed& o : observed)
      if (o.done <= now && o.learnable) history.push_back(o.service);
    const Corrections learned = learn({}, history, options.learn);
    if (!history.empty()) ++out.pairs_with_history;
    const double actual = seconds_between(now, p.to->delivery_time);
    const std::string place = place_key(p.to->destination);
    for (const Corrections* c : {&identity, &learned}) {
      const double predicted = c->travel_s(unknown_class(travel[i]), p.to->courier,
                                           hour_of_week(now, options.utc_offset_s)) +
                               c->service_s(place, p.to->courier, options.planned_service_s);
      const Prediction x = predict(predicted, actual, c->window(predicted, 1));
      (c == &identity ? without : with).push_back(x);
      if (actual <= options.max_learn_gap_s) (c == &identity ? without_short : with_short).push_back(x);
    }
  }
  out.pairs = pairs.size();
  out.figures = {stats(without), stats(with)};
  out.within_gap = {stats(without_short), stats(with_short)};
  return out;
}

std::vector<TraceHorizon> replay_trace_arrival(const std::vector<TracePoint>& points,
                                               const std::vector<double>& horizons_s,
                                               const TraceReplayOptions& options) {
  std::vector<TraceHorizon> out;
  if (points.size() < 2) return out;
  const map::RoutingService gc(nullptr, options.great_circle);
  const TracePoint& start = points.front();
  const TracePoint& end = points.back();

  // Cut points: the first fix at or after start + k·leg_s.
  std::vector<size_t> cuts = {0};
  for (size_t i = 1; i < points.size(); ++i) {
    const double since_cut = seconds_between(points[cuts.back()].time, points[i].time);
    if (since_cut >= options.leg_s) cuts.push_back(i);
  }
  // One trip cannot teach hour-of-week factors (a 20-minute drive crossing 7:00 would make one
  // leg "the 7 o'clock factor"): every leg and prediction gets the hour of the departure.
  const int trip_hour = hour_of_week(start.time, options.utc_offset_s);
  std::vector<LegObservation> legs;
  std::vector<core::Timestamp> leg_end;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    const TracePoint& a = points[cuts[k]];
    const TracePoint& b = points[cuts[k + 1]];
    legs.push_back({options.driver, trip_hour,
                    unknown_class(gc.great_circle(a.where, b.where).duration_s), seconds_between(a.time, b.time)});
    leg_end.push_back(b.time);
  }

  const Corrections identity;
  for (double horizon : horizons_s) {
    if (horizon <= 0 || horizon > seconds_between(start.time, end.time)) continue;
    const core::Timestamp at{end.time.ms - static_cast<int64_t>(std::llround(horizon * 1000))};
    // The last fix at or before `at`.
    auto it = std::upper_bound(points.begin(), points.end(), at,
                               [](core::Timestamp t, const TracePoint& p) { return t < p.time; });
    const TracePoint& now = *std::prev(it);
    std::vector<LegObservation> history;
    for (size_t k = 0; k < legs.size(); ++k)
      if (leg_end[k] <= now.time) history.push_back(legs[k]);
    const Corrections learned = learn(history, {}, options.learn);
    const auto rest = unknown_class(gc.great_circle(now.where, end.where).duration_s);
    const int how = trip_hour;

    TraceHorizon h;
    h.horizon_s = horizon;
    h.actual_s = seconds_between(now.time, end.time);
    h.without_s = identity.travel_s(rest, options.driver, how);
    h.with_s = learned.travel_s(rest, options.driver, how);
    h.legs_learned = learned.legs();
    h.factor = learned.class_factor(map::RoadClass::kUnknown);
    h.window = learned.window(h.with_s, 1);
    h.covered = predict(h.with_s, h.actual_s, h.window).covered;
    h.covered_without = predict(h.without_s, h.actual_s, identity.window(h.without_s, 1)).covered;
    out.push_back(h);
  }
  return out;
}

Comparison summarize(const std::vector<TraceHorizon>& horizons) {
  std::vector<Prediction> without, with;
  for (const TraceHorizon& h : horizons) {
    without.push_back({h.without_s - h.actual_s, h.covered_without});
    with.push_back({h.with_s - h.actual_s, h.covered});
  }
  return {stats(without), stats(with)};
}

}  // namespace lastmile::eta
