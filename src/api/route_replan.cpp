#include "api/route_replan.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "api/day_plan.hpp"
#include "api/routing_json.hpp"
#include "domain/route_breaks.hpp"
#include "optimize/replan.hpp"

namespace lastmile::api {

namespace opt = optimize;

namespace {

constexpr double kHorizonS = 2 * 86400;
constexpr uint64_t kIterations = 1000;  // the time limit is then only a safety stop: same input, same order

double seconds_between(core::Timestamp from, core::Timestamp to) {
  return static_cast<double>(to.ms - from.ms) / 1000;
}
core::Timestamp plus(core::Timestamp t, double s) {
  return core::Timestamp{t.ms + static_cast<int64_t>(std::llround(s * 1000))};
}

// Fewer late stops, then less lateness, then an earlier return.
bool better(const Timing& a, const Timing& b) {
  if (a.late_stops != b.late_stops) return a.late_stops < b.late_stops;
  if (std::abs(a.late_s - b.late_s) > 1) return a.late_s < b.late_s;
  return a.end_at.ms + 1000 < b.end_at.ms;
}

}  // namespace

std::vector<BreakLeft> breaks_left(const domain::Route& route, std::size_t done) {
  std::vector<BreakLeft> out;
  const bool started = route.status != domain::RouteStatus::kPlanned;
  for (const auto& p : domain::breaks_pending(route.breaks, done, started)) {
    const auto& b = route.breaks[p.index];
    BreakLeft left;
    left.id = b.id;
    left.before = p.before;
    left.duration_s = b.duration_s;
    if (b.window) left.earliest = b.window->start, left.latest = b.window->end;
    out.push_back(std::move(left));
  }
  return out;
}

std::vector<domain::RouteBreak> breaks_after(const domain::Route& route, std::size_t done,
                                             const std::vector<BreakLeft>& left) {
  std::vector<domain::RouteBreak> out;
  for (const auto& b : route.breaks) {
    const bool still_left = std::any_of(left.begin(), left.end(), [&](const BreakLeft& l) { return l.id == b.id; });
    if (!still_left) out.push_back(b);
  }
  for (const auto& l : left) {
    auto stored = std::find_if(route.breaks.begin(), route.breaks.end(),
                               [&](const domain::RouteBreak& b) { return b.id == l.id; });
    if (stored == route.breaks.end()) continue;
    domain::RouteBreak b = *stored;
    b.after_stops = static_cast<int>(done + l.before);
    out.push_back(std::move(b));
  }
  std::stable_sort(out.begin(), out.end(), [](const domain::RouteBreak& a, const domain::RouteBreak& b) {
    return a.after_stops < b.after_stops;
  });
  return out;
}

core::Result<ReplanMatrix> ReplanMatrix::build(const map::RoutingService& routing,
                                               std::vector<LiveRoute*> routes) {
  std::vector<core::LatLon> points;
  for (auto* r : routes) {
    r->from_point = points.size();
    points.push_back(r->from);
    r->end_point = points.size();
    points.push_back(r->route.depot);
    for (auto& s : r->open) {
      s.point = points.size();
      points.push_back(s.location);
    }
  }
  auto answer = routing.matrix(points, points);
  if (!answer) return routing_error(answer.error());
  ReplanMatrix m;
  m.size_ = points.size();
  m.source_ = answer->source;
  m.durations_.resize(m.size_ * m.size_);
  for (std::size_t i = 0; i < m.size_; ++i) {
    for (std::size_t j = 0; j < m.size_; ++j) {
      const auto k = answer->matrix.index(i, j);
      const double d = answer->matrix.duration_s[k];
      m.durations_[i * m.size_ + j] = answer->matrix.reachable(i, j) && std::isfinite(d) ? d : kUnreachableS;
    }
  }
  return m;
}

double ReplanMatrix::duration(std::size_t from, std::size_t to) const {
  return durations_[from * size_ + to];
}

Timing time_route(const LiveRoute& route, const std::vector<LiveStop>& stops, const ReplanMatrix& m) {
  return time_route(route, stops, route.breaks, m);
}

Timing time_route(const LiveRoute& route, const std::vector<LiveStop>& stops, const std::vector<BreakLeft>& breaks,
                  const ReplanMatrix& m) {
  Timing t;
  double clock = 0;
  std::size_t here = route.from_point;
  auto take_breaks = [&](std::size_t k) {  // those before stops[k]; k = stops.size(): all the rest
    for (const auto& b : breaks) {
      if (b.before < k || (b.before > k && k < stops.size())) continue;
      if (b.earliest) clock = std::max(clock, seconds_between(route.at, *b.earliest));
      clock += b.duration_s;
    }
  };
  for (std::size_t k = 0; k < stops.size(); ++k) {
    const auto& s = stops[k];
    take_breaks(k);
    const double leg = m.duration(here, s.point);
    t.travel_s += leg;
    clock += leg;
    TimedStop ts{s.id, plus(route.at, clock), plus(route.at, clock), 0};
    if (s.window) {
      const double open = seconds_between(route.at, s.window->start),
                   close = seconds_between(route.at, s.window->end);
      const double start = std::max(clock, open);
      ts.eta = plus(route.at, start);
      if (start > close + 0.5) {
        ts.late_s = std::round(start - close);
        ++t.late_stops;
        t.late_s += ts.late_s;
      }
      clock = start;
    }
    clock += s.service_s;
    here = s.point;
    t.stops.push_back(ts);
  }
  take_breaks(stops.size());
  const double back = m.duration(here, route.end_point);
  t.travel_s += back;
  t.end_at = plus(route.at, clock + back);
  return t;
}

namespace {

// The one-vehicle problem of `route`'s open stops, from the driver's position to the route's end.
opt::Problem resequence_problem(const LiveRoute& route, const ReplanMatrix& m) {
  opt::Problem p;
  p.name = route.route.id.str();
  p.objective.secondary = opt::SecondaryObjective::kDuration;
  std::vector<std::size_t> points{route.from_point, route.end_point};
  for (const auto& s : route.open) points.push_back(s.point);
  const auto n = points.size();
  p.matrix.size = n;
  p.matrix.durations.resize(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) p.matrix.durations[i * n + j] = m.duration(points[i], points[j]);
  }
  p.matrix.distances = p.matrix.durations;
  opt::Vehicle v;
  v.start = opt::LocationIndex{0};
  v.end = opt::LocationIndex{1};
  v.capacity = {1};
  v.shift = {0, kHorizonS};
  p.vehicles.push_back(v);
  for (std::size_t i = 0; i < route.open.size(); ++i) {
    const auto& s = route.open[i];
    opt::Job job;
    job.id = opt::ExternalId{static_cast<int64_t>(i)};
    job.location = opt::LocationIndex{i + 2};
    job.delivery = job.pickup = {0};
    job.service = s.service_s;
    double a = 0, b = kHorizonS;
    if (s.window) {
      b = std::clamp(seconds_between(route.at, s.window->end), 0.0, kHorizonS);
      a = std::clamp(seconds_between(route.at, s.window->start), 0.0, b);
    }
    job.windows = {{a, b}};
    p.jobs.push_back(std::move(job));
  }
  return p;
}

// The breaks left that the solver may move: those with a window still open at route.at (indices into
// route.breaks). One without a window, or whose window has closed, keeps its place.
std::vector<std::size_t> movable_breaks(const LiveRoute& route) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < route.breaks.size(); ++i) {
    const auto& b = route.breaks[i];
    if (b.earliest && b.latest && seconds_between(route.at, *b.latest) > 0) out.push_back(i);
  }
  return out;
}

}  // namespace

Resequenced resequence(const LiveRoute& route, const ReplanMatrix& m, double time_limit_s, uint64_t seed) {
  Resequenced out;
  out.order = route.open;
  out.breaks = route.breaks;
  out.before = out.after = time_route(route, route.open, m);
  const auto movable = movable_breaks(route);
  if (route.open.size() < 2 && (route.open.empty() || movable.empty())) return out;
  const opt::Problem plain = resequence_problem(route, m);
  if (opt::validate(plain)) return out;
  opt::SolveOptions o;
  o.seed = seed;
  o.iterations = kIterations;
  o.seconds = time_limit_s;

  // With the movable breaks as the vehicle's breaks, each inside its window; the solver takes a break
  // on arrival at the next stop, the timing below where the driver is before driving there.
  std::optional<opt::LateSolve> solved;
  if (!movable.empty()) {
    opt::Problem with_breaks = plain;
    for (std::size_t i = 0; i < movable.size(); ++i) {
      const auto& b = route.breaks[movable[i]];
      opt::Break brk;
      brk.id = opt::ExternalId{static_cast<int64_t>(i)};
      brk.service = b.duration_s;
      const double end = std::min(seconds_between(route.at, *b.latest), kHorizonS);
      brk.windows = {{std::clamp(seconds_between(route.at, *b.earliest), 0.0, end), end}};
      with_breaks.vehicles[0].breaks.push_back(std::move(brk));
    }
    if (!opt::validate(with_breaks)) {
      solved = opt::solve_allowing_lateness(with_breaks, o);
      if (solved->solution.routes[0].empty()) solved.reset();  // no order fits the breaks' windows
    }
  }
  if (!solved) solved = opt::solve_allowing_lateness(plain, o);

  std::vector<LiveStop> order;
  for (auto j : solved->solution.routes[0]) order.push_back(route.open[j]);
  for (auto j : solved->solution.unassigned) order.push_back(route.open[j]);
  std::vector<BreakLeft> placed = route.breaks;
  if (!solved->solution.breaks.empty()) {
    for (const auto& at : solved->solution.breaks[0]) placed[movable[at.brk]].before = at.gap;
    std::stable_sort(placed.begin(), placed.end(),
                     [](const BreakLeft& a, const BreakLeft& b) { return a.before < b.before; });
  }
  // The solver's order with its break places, or with the breaks where they were.
  for (const std::vector<BreakLeft>* breaks : std::array<const std::vector<BreakLeft>*, 2>{&placed, &route.breaks}) {
    const auto timing = time_route(route, order, *breaks, m);
    if (better(timing, out.after)) {
      out.order = order;
      out.breaks = *breaks;
      out.after = timing;
      out.improved = true;
    }
  }
  return out;
}

namespace {

// The breaks after the open stop at `pos` leaves: each stays between the same stops (one taken just
// before the stop that left is now taken before the stop after it).
std::vector<BreakLeft> without_stop(std::vector<BreakLeft> breaks, std::size_t pos) {
  for (auto& b : breaks) {
    if (b.before > pos) --b.before;
  }
  return breaks;
}

// The breaks after a stop is inserted at `pos`: each stays between the same stops; one taken just
// before the stop that was at `pos` is taken before the new stop when `break_first`, else after it.
std::vector<BreakLeft> with_stop(std::vector<BreakLeft> breaks, std::size_t pos, bool break_first) {
  for (auto& b : breaks) {
    if (b.before > pos || (b.before == pos && !break_first)) ++b.before;
  }
  return breaks;
}

}  // namespace

Reassigned reassign(const LiveRoute& from, const std::vector<core::StopId>& stops,
                    const std::vector<LiveRoute>& candidates, const ReplanMatrix& m) {
  Reassigned out;
  out.from_after = from.open;
  out.from_breaks = from.breaks;
  out.from_before = time_route(from, from.open, m);
  for (const auto& c : candidates) {
    out.to_after.push_back(c.open);
    out.to_breaks.push_back(c.breaks);
    out.to_before.push_back(time_route(c, c.open, m));
  }
  out.to_timing = out.to_before;
  for (const auto& s : from.open) {
    if (std::find(stops.begin(), stops.end(), s.id) == stops.end()) continue;
    struct Place {
      std::size_t route = 0;
      std::vector<LiveStop> stops;
      std::vector<BreakLeft> breaks;
      Timing timing;
    };
    std::optional<Place> best;
    double best_cost = 0;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const auto& current = out.to_timing[c];
      const auto& breaks = out.to_breaks[c];
      for (std::size_t pos = 0; pos <= out.to_after[c].size(); ++pos) {
        auto trial = out.to_after[c];
        trial.insert(trial.begin() + static_cast<std::ptrdiff_t>(pos), s);
        const bool break_here =
            std::any_of(breaks.begin(), breaks.end(), [&](const BreakLeft& b) { return b.before == pos; });
        for (const bool break_first : {false, true}) {
          if (break_first && !break_here) continue;
          auto trial_breaks = with_stop(breaks, pos, break_first);
          auto t = time_route(candidates[c], trial, trial_breaks, m);
          if (t.late_stops > current.late_stops || t.late_s > current.late_s + 0.5) continue;
          const double cost = t.travel_s - current.travel_s;
          // The cheapest; of two as cheap (the stop before or after a break), the better timed.
          if (best && (cost > best_cost || (cost == best_cost && !better(t, best->timing)))) continue;
          best = Place{c, trial, std::move(trial_breaks), std::move(t)};
          best_cost = cost;
        }
      }
    }
    if (!best) {
      out.not_moved.push_back(s.id);
      continue;
    }
    out.to_after[best->route] = std::move(best->stops);
    out.to_breaks[best->route] = std::move(best->breaks);
    out.to_timing[best->route] = std::move(best->timing);
    out.moved.push_back({s.id, best->route});
    const auto gone = std::find_if(out.from_after.begin(), out.from_after.end(),
                                   [&](const LiveStop& x) { return x.id == s.id; });
    out.from_breaks = without_stop(std::move(out.from_breaks), static_cast<std::size_t>(gone - out.from_after.begin()));
    out.from_after.erase(gone);
  }
  out.from_timing = time_route(from, out.from_after, out.from_breaks, m);
  return out;
}

}  // namespace lastmile::api
