#include "api/day_plan.hpp"

#include <algorithm>
#include <cmath>

#include "api/routing_json.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/schedule.hpp"
#include "optimize/solver.hpp"
#include "optimize/time_pass.hpp"

namespace lastmile::api {

namespace opt = optimize;

namespace {

constexpr int64_t kNoWeightLimitG = int64_t{1} << 50;

double seconds_between(core::Timestamp from, core::Timestamp to) {
  return static_cast<double>(to.ms - from.ms) / 1000;
}
core::Timestamp plus(core::Timestamp t, double s) {
  return core::Timestamp{t.ms + static_cast<int64_t>(std::llround(s * 1000))};
}

opt::Amount demand(const domain::Shipment& s) {
  double kg = 0;
  for (const auto& p : s.parcels) kg += p.weight_kg;
  return {std::max<int64_t>(1, static_cast<int64_t>(s.parcels.size())),
          static_cast<int64_t>(std::ceil(kg * 1000))};
}

// Locations: driver starts, driver ends, then shipments.
struct Layout {
  std::vector<core::LatLon> points;
  std::size_t start(std::size_t d) const { return d; }
  std::size_t end(std::size_t d) const { return drivers + d; }
  std::size_t job(std::size_t j) const { return 2 * drivers + j; }
  std::size_t drivers = 0;
};

opt::Problem build_problem(const PlanInput& in, const Layout& layout, const map::MatrixAnswer& m,
                           core::Timestamp t0) {
  opt::Problem p;
  p.name = "day";
  p.objective.secondary = opt::SecondaryObjective::kDuration;
  p.objective.lateness_penalty = in.lateness_penalty;
  const auto n = layout.points.size();
  p.matrix.size = n;
  p.matrix.durations.resize(n * n);
  p.matrix.distances.resize(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const auto k = m.matrix.index(i, j);
      const bool ok = m.matrix.reachable(i, j) && std::isfinite(m.matrix.duration_s[k]);
      p.matrix.durations[i * n + j] = ok ? m.matrix.duration_s[k] : kUnreachableS;
      p.matrix.distances[i * n + j] = ok ? m.matrix.distance_m[k] : kUnreachableS;
    }
  }
  double horizon = 0;
  for (std::size_t d = 0; d < in.drivers.size(); ++d) {
    const auto& dr = in.drivers[d];
    opt::Vehicle v;
    v.id = opt::ExternalId{static_cast<int64_t>(d)};
    v.start = opt::LocationIndex{layout.start(d)};
    v.end = opt::LocationIndex{layout.end(d)};
    v.capacity = {dr.capacity,
                  dr.capacity_kg > 0 ? static_cast<int64_t>(dr.capacity_kg * 1000) : kNoWeightLimitG};
    v.shift = {seconds_between(t0, dr.shift_start), seconds_between(t0, dr.shift_end)};
    horizon = std::max(horizon, v.shift.end);
    for (std::size_t b = 0; b < dr.breaks.size(); ++b) {
      opt::Break brk;
      brk.id = opt::ExternalId{static_cast<int64_t>(b)};
      brk.service = dr.breaks[b].duration_s;
      for (const auto& w : dr.breaks[b].windows)
        brk.windows.push_back({seconds_between(t0, w.start), seconds_between(t0, w.end)});
      v.breaks.push_back(std::move(brk));
    }
    p.vehicles.push_back(std::move(v));
  }
  for (std::size_t j = 0; j < in.shipments.size(); ++j) {
    const auto& s = in.shipments[j];
    opt::Job job;
    job.id = opt::ExternalId{static_cast<int64_t>(j)};
    job.location = opt::LocationIndex{layout.job(j)};
    job.delivery = demand(s);
    job.pickup = {0, 0};
    job.service = in.service_s;
    double a = 0, b = horizon;
    if (s.promised) {
      a = std::max(0.0, seconds_between(t0, s.promised->start));
      b = std::max(0.0, seconds_between(t0, s.promised->end));
      a = std::min(a, b);
    }
    job.windows = {{a, b}};
    p.jobs.push_back(std::move(job));
  }
  return p;
}

// Why job j is unassigned: no vehicle holds it (capacity), none reaches it and gets back (unreachable),
// none can serve it alone within its windows, shift and breaks (time_window), else the others took the
// room (fleet_full).
std::string reason_for(const opt::Problem& p, const opt::Instance& in, std::size_t j) {
  const auto& job = p.jobs[j];
  bool fits_some = false, reachable = false;
  for (std::size_t k = 0; k < p.vehicles.size(); ++k) {
    const auto& v = p.vehicles[k];
    bool fits = true;
    for (std::size_t i = 0; i < v.capacity.size(); ++i) fits = fits && job.delivery[i] <= v.capacity[i];
    if (!fits) continue;
    fits_some = true;
    const double there = p.matrix.duration(*v.start, job.location),
                 back = p.matrix.duration(job.location, *v.end);
    if (there >= kUnreachableS || back >= kUnreachableS) continue;
    reachable = true;
    if (opt::time_pass(in, k, {j}, std::nullopt, 0, false).feasible) return "fleet_full";
  }
  if (!fits_some) return "capacity";
  return reachable ? "time_window" : "unreachable";
}

}  // namespace

core::Result<DayPlan> plan_day(const map::RoutingService& routing, const PlanInput& in) {
  Layout layout;
  layout.drivers = in.drivers.size();
  for (const auto& d : in.drivers) layout.points.push_back(d.start);
  for (const auto& d : in.drivers) layout.points.push_back(d.end);
  for (const auto& s : in.shipments) layout.points.push_back(*s.address.location);
  auto m = routing.matrix(layout.points, layout.points);
  if (!m) return routing_error(m.error());

  core::Timestamp t0 = in.drivers.front().shift_start;
  for (const auto& d : in.drivers) t0 = std::min(t0, d.shift_start);
  const auto problem = build_problem(in, layout, *m, t0);
  if (auto bad = opt::validate(problem)) return core::Error::invalid_field(bad->field, bad->message);

  opt::SolveOptions o;
  o.seed = in.seed;
  o.seconds = in.time_limit_s;
  o.threads = 1;
  const auto solution = opt::solve(problem, o).solution;

  DayPlan plan;
  plan.source = m->source;
  plan.feasible = opt::check_feasibility(problem, solution).feasible();
  for (const auto& r : opt::schedule(problem, solution).routes) {
    PlannedRoute out;
    out.driver = r.vehicle;
    out.start_at = plus(t0, r.departure);
    out.end_at = plus(t0, r.end_arrival);
    out.distance_m = r.distance;
    out.duration_s = r.travel;
    out.lateness_s = r.lateness;
    for (const auto& s : r.stops) {
      out.stops.push_back({s.job, plus(t0, s.arrival), plus(t0, s.start), s.waiting, s.lateness});
    }
    for (const auto& b : r.breaks) {
      const auto start_at = plus(t0, b.start);
      out.breaks.push_back({b.brk, b.gap, start_at, plus(start_at, in.drivers[r.vehicle].breaks[b.brk].duration_s),
                            b.waiting});
    }
    plan.routes.push_back(std::move(out));
  }
  if (!solution.unassigned.empty()) {
    const opt::Instance instance(problem);
    for (auto j : solution.unassigned) plan.unassigned.push_back({j, reason_for(problem, instance, j)});
  }
  return plan;
}

}  // namespace lastmile::api
