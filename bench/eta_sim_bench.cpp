// eta_sim_bench: ETA accuracy on simulated Monaco drives, with and without the learned corrections
// (bench/run.sh, "ETA on simulated Monaco drives" in bench/README.md; issue 4).
//
//   eta_sim_bench [--pbf FILE] [--history N] [--routes N] [--print-model]
//
// In one process, on the bundled Monaco extract (data/osm/monaco.osm.pbf of the source tree by default):
//   1. import it into a temporary .lmgraph; Router, RoutingService, RoutingLegs as the server builds them;
//   2. history: N past routes (default 40, seeds 1..N) of 15 stops driven by sim::simulate_drive in
//      sim::typical_city_world by 4 drivers (pace 1.0, 0.85, 1.1, 0.7; round robin), each a weekday
//      start between 07:00 and 16:00 UTC; their true arrivals and departures become the stored
//      visits (storage::StopVisitRecord) and the model is learned from them exactly as the server's
//      EtaLearner does (pipeline::history_from_visits, then eta::learn);
//   3. evaluation: other routes (default 20, seeds 1001..) of 20 stops, the week after; every 30 s of
//      drive time an estimate from the latest ping (eta::RouteEta::estimate), once with the identity
//      corrections and once with the learned ones. The remaining stops (not yet departed, in plan
//      order) and the stop being served come from the simulator's truth: they stand in for the
//      geofence, whose own errors are not measured here.
//   4. for each stop and horizon h (30, 15, 5 min): the last estimate made at or before arrival − h,
//      if made within 60 s of it; |P50 − actual arrival| and whether the actual lies in [P10, P90].
// Prints n, mean and P90 absolute error and coverage without → with learned corrections per horizon,
// a summary of the learned factors next to the simulated world's, and the time taken. No goal: the
// issue asks for the figures.
// Exit status: 0; 1 when the map cannot be imported, a drive cannot be simulated or a horizon has no
// prediction; 2 on a usage error.

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "eta/corrections.hpp"
#include "eta/estimator.hpp"
#include "eta/history_replay.hpp"
#include "eta/routing_legs.hpp"
#include "map/graph.hpp"
#include "map/import_map.hpp"
#include "map/router.hpp"
#include "map/routing_service.hpp"
#include "pipeline/eta_learner.hpp"
#include "sim/drive_simulator.hpp"
#include "storage/store.hpp"

namespace {

using namespace lastmile;
using Clock = std::chrono::steady_clock;

constexpr size_t kHistoryStops = 15;
constexpr size_t kEvalStops = 20;
constexpr uint64_t kEvalFirstSeed = 1001;
constexpr size_t kStopCandidates = 60;
constexpr double kMinSpacingM = 200;
constexpr double kPlannedServiceS = 180;
constexpr int64_t kEstimateEveryMs = 30'000;
constexpr int64_t kHorizonSlackMs = 60'000;  // an estimate more than this before arrival − h does not count
constexpr std::array<int, 3> kHorizonsMin = {30, 15, 5};
constexpr std::array<double, 4> kPaces = {1.0, 0.85, 1.1, 0.7};
constexpr std::array<const char*, 4> kDrivers = {"drv_a", "drv_b", "drv_c", "drv_d"};
constexpr int kHistoryWeeks = 4;  // history over 4 weeks; the evaluation routes the week after

struct Options {
  std::string pbf;
  size_t history = 40;
  size_t routes = 20;
  bool print_model = false;
};

[[noreturn]] void usage_error(const std::string& what) {
  std::fprintf(
      stderr,
      "eta_sim_bench: %s\nusage: eta_sim_bench [--pbf FILE] [--history N] [--routes N] [--print-model]\n",
      what.c_str());
  std::exit(2);
}

std::filesystem::path default_pbf() {
  for (std::filesystem::path start :
       {std::filesystem::read_symlink("/proc/self/exe"), std::filesystem::current_path()}) {
    for (auto p = start; p.has_relative_path(); p = p.parent_path())
      if (std::filesystem::exists(p / "data/osm/monaco.osm.pbf")) return p / "data/osm/monaco.osm.pbf";
  }
  return "data/osm/monaco.osm.pbf";
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error("missing value after " + std::string(arg));
      return argv[++i];
    };
    auto count = [&]() -> size_t {
      const std::string v = value();
      char* end = nullptr;
      const unsigned long n = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n == 0) usage_error("not a positive number: " + v);
      return n;
    };
    if (arg == "--pbf") {
      o.pbf = value();
    } else if (arg == "--history") {
      o.history = count();
    } else if (arg == "--routes") {
      o.routes = count();
    } else if (arg == "--print-model") {
      o.print_model = true;
    } else {
      usage_error("unknown argument " + std::string(arg));
    }
  }
  if (o.pbf.empty()) o.pbf = default_pbf().string();
  return o;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

core::LatLon at(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }

// SplitMix64: the start time's draws from the route's seed.
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A weekday between 07:00 and 16:00 UTC (whole minutes) of week `week` after Monday 2026-03-02.
core::Timestamp route_start(uint64_t seed, int week) {
  constexpr int64_t kMonday = 1'772'409'600'000;  // 2026-03-02T00:00:00Z
  constexpr int64_t kDayMs = 86'400'000;
  const uint64_t h = mix(seed);
  const int64_t day = static_cast<int64_t>(h % 5);
  const int64_t minute = 7 * 60 + static_cast<int64_t>((h >> 16) % (9 * 60 + 1));
  return core::Timestamp{kMonday + (week * 7 + day) * kDayMs + minute * 60'000};
}

struct Route {
  uint64_t seed;
  size_t driver;  // index into kDrivers / kPaces
  sim::DrivePlan plan;
  sim::Drive drive;
};

// `n` stops of sim::random_stops at least kMinSpacingM apart (and from the depot), nearest-neighbour
// order; fewer when the candidates do not allow n.
sim::DrivePlan make_plan(const map::Router& router, core::LatLon depot, uint64_t seed, size_t n,
                         core::Timestamp start) {
  std::vector<core::LatLon> picked;
  for (const core::LatLon& c : sim::random_stops(router, kStopCandidates, seed)) {
    bool far = core::haversine_m(c, depot) >= kMinSpacingM;
    for (const core::LatLon& q : picked) far = far && core::haversine_m(c, q) >= kMinSpacingM;
    if (far) picked.push_back(c);
    if (picked.size() == n) break;
  }
  sim::DrivePlan plan{depot, {}, start, false};
  for (const core::LatLon& s : sim::order_nearest_neighbour(depot, picked))
    plan.stops.push_back({s, kPlannedServiceS});
  return plan;
}

std::optional<Route> simulate(const map::Router& router, core::LatLon depot, uint64_t seed, size_t driver,
                              size_t stops, int week) {
  sim::DrivePlan plan = make_plan(router, depot, seed, stops, route_start(seed, week));
  sim::PhoneOptions phone;
  phone.seed = seed;
  auto d =
      sim::simulate_drive(router, plan, sim::typical_city_world(), sim::Driver{kPaces[driver]}, {}, phone);
  if (!d) {
    std::fprintf(stderr, "eta_sim_bench: route %llu: %s\n", static_cast<unsigned long long>(seed),
                 d.error().message.c_str());
    return std::nullopt;
  }
  return Route{seed, driver, std::move(plan), std::move(*d)};
}

core::StopId stop_id(uint64_t seed, size_t i) {
  return core::StopId("stp_" + std::to_string(seed) + "_" + std::to_string(i));
}

// The route's visits as the store would hold them once the geofence saw every arrival and departure.
void append_visits(const Route& r, std::vector<storage::StopVisitRecord>& out) {
  for (size_t i = 0; i < r.plan.stops.size(); ++i) {
    storage::StopVisitRecord v;
    v.route_id = core::RouteId("rte_" + std::to_string(r.seed));
    v.driver_id = core::DriverId(kDrivers[r.driver]);
    v.stop_id = stop_id(r.seed, i);
    v.sequence = static_cast<int>(i);
    v.location = r.plan.stops[i].location;
    v.service_s = static_cast<int>(r.plan.stops[i].planned_service_s);
    v.arrived_at = r.drive.stops[i].arrived;
    v.departed_at = r.drive.stops[i].departed;
    out.push_back(std::move(v));
  }
}

// One prediction of a stop's arrival at a horizon.
struct Outcome {
  double abs_error_s = 0;
  bool covered = false;
};

struct HorizonOutcomes {
  std::vector<Outcome> without;
  std::vector<Outcome> with;
};

// The estimates of one route, every kEstimateEveryMs of drive time, under one model.
struct Estimates {
  std::vector<eta::RouteEstimate> list;  // increasing `at`
};

// Walks the drive: every 30 s the latest ping, the stops not yet departed (from the truth) and
// both models' estimates. Returns the number of estimate pairs made.
size_t estimate_route(const Route& r, const eta::LegSource& legs, const eta::Corrections& identity,
                      const eta::Corrections& learned, Estimates& without, Estimates& with) {
  std::vector<eta::StopPlan> stops;
  for (size_t i = 0; i < r.plan.stops.size(); ++i) {
    const core::LatLon loc = r.plan.stops[i].location;
    stops.push_back(
        {stop_id(r.seed, i), loc, r.plan.stops[i].planned_service_s, std::nullopt, eta::place_key(loc)});
  }
  // One RouteEta for both models: its cached legs (free flow by class) do not depend on the model.
  eta::RouteEta route_eta(r.plan.depot, std::move(stops));
  const core::DriverId driver(kDrivers[r.driver]);
  const eta::EtaParams params;
  const auto& truth = r.drive.stops;
  const auto& pings = r.drive.pings;
  if (truth.empty() || pings.empty()) return 0;

  size_t made = 0;
  size_t p = 0;
  std::vector<size_t> remaining;
  for (int64_t t = r.plan.start.ms; t < truth.back().arrived.ms; t += kEstimateEveryMs) {
    while (p + 1 < pings.size() && pings[p + 1].t.ms <= t) ++p;
    const sim::SimPing& ping = pings[p];
    remaining.clear();
    for (size_t i = 0; i < truth.size(); ++i)
      if (truth[i].departed > ping.t) remaining.push_back(i);
    if (remaining.empty()) break;
    std::optional<core::Timestamp> at_stop_since;
    if (truth[remaining.front()].arrived <= ping.t) at_stop_since = truth[remaining.front()].arrived;
    without.list.push_back(
        route_eta.estimate(ping.position, ping.t, remaining, at_stop_since, driver, legs, identity, params));
    with.list.push_back(
        route_eta.estimate(ping.position, ping.t, remaining, at_stop_since, driver, legs, learned, params));
    ++made;
  }
  return made;
}

// The prediction of stop `stop` made by the last estimate at or before `target` (and within the
// slack of it), judged against `actual`.
std::optional<Outcome> judge(const Estimates& e, size_t stop, core::Timestamp target,
                             core::Timestamp actual) {
  const eta::RouteEstimate* best = nullptr;
  for (const eta::RouteEstimate& est : e.list) {
    if (est.at > target) break;
    best = &est;
  }
  if (best == nullptr || best->at.ms < target.ms - kHorizonSlackMs) return std::nullopt;
  for (const eta::StopEstimate& s : best->stops) {
    if (s.stop != stop) continue;
    Outcome o;
    o.abs_error_s = std::abs(static_cast<double>(s.arrival.ms - actual.ms)) / 1000.0;
    o.covered = s.earliest <= actual && actual <= s.latest;
    return o;
  }
  return std::nullopt;  // not among the remaining stops: cannot happen before its arrival
}

// Mean, P90 (linear interpolation, as eta_real_bench) and coverage.
eta::ErrorStats stats(const std::vector<Outcome>& v) {
  eta::ErrorStats s;
  s.n = v.size();
  if (v.empty()) return s;
  std::vector<double> e;
  size_t covered = 0;
  for (const Outcome& o : v) {
    e.push_back(o.abs_error_s);
    s.mean_abs_s += o.abs_error_s;
    covered += o.covered ? 1 : 0;
  }
  s.mean_abs_s /= static_cast<double>(v.size());
  std::sort(e.begin(), e.end());
  const double pos = 0.9 * static_cast<double>(e.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, e.size() - 1);
  s.p90_abs_s = e[lo] + (e[hi] - e[lo]) * (pos - static_cast<double>(lo));
  s.coverage = static_cast<double>(covered) / static_cast<double>(v.size());
  return s;
}

void row(const std::string& what, const eta::ErrorStats& without, const eta::ErrorStats& with) {
  std::printf(
      "  %-22s n=%-4zu mean |error| %5.0f s -> %5.0f s   P90 %5.0f s -> %5.0f s   P10-P90 coverage %3.0f%% "
      "-> %3.0f%%\n",
      what.c_str(), with.n, without.mean_abs_s, with.mean_abs_s, without.p90_abs_s, with.p90_abs_s,
      100 * without.coverage, 100 * with.coverage);
}

// The learned factors next to the simulated world's (factors of time: 1 / the world's speed factor).
void print_model(const eta::Corrections& c, const sim::World& world) {
  std::printf("  class factors (x free-flow time; world 1/speed):");
  for (map::RoadClass k :
       {map::RoadClass::kMotorway, map::RoadClass::kPrimary, map::RoadClass::kSecondary,
        map::RoadClass::kTertiary, map::RoadClass::kResidential, map::RoadClass::kService}) {
    const auto i = static_cast<size_t>(k);
    std::printf(" %s %.2f (%.2f)", std::string(map::road_class_name(k)).c_str(), c.class_factor(k),
                1 / world.class_speed_factor[i]);
  }
  std::printf("\n  hour of day, Mon-Fri mean (world 1/speed):");
  for (int h = 7; h <= 18; ++h) {
    double sum = 0;
    for (int d = 0; d < 5; ++d) sum += c.hour_factor(d * 24 + h);
    std::printf(" %02d %.2f (%.2f)", h, sum / 5, 1 / world.hour_speed_factor[static_cast<size_t>(h)]);
  }
  std::printf("\n  driver pace (world 1/pace):");
  for (size_t d = 0; d < kDrivers.size(); ++d)
    std::printf(" %s %.2f (%.2f)", kDrivers[d], c.pace(core::DriverId(kDrivers[d])), 1 / kPaces[d]);
  const double fleet_ratio = c.service_s("", core::DriverId("drv_unknown"), 1.0);
  std::printf("\n  service: fleet actual/planned %.2f (world %.2f); a leg's P10/P90: x%.2f / x%.2f\n",
              fleet_ratio, world.service_factor, std::exp(c.log_q10()), std::exp(c.log_q90()));
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  const auto t_all = Clock::now();
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("lastmile-eta-sim-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};

  // ---- the map, as `serve --map` builds it
  const std::string file = (dir / "monaco.lmgraph").string();
  map::Progress quiet("eta_sim_bench", map::Progress::Mode::kQuiet);
  auto report = map::import_map(opt.pbf, file, quiet);
  if (!report) {
    std::fprintf(stderr, "eta_sim_bench: import %s: error %s: %s\n", opt.pbf.c_str(),
                 std::string(map::code_name(report.error().code)).c_str(), report.error().message.c_str());
    return 1;
  }
  auto graph = map::Graph::open(file);
  if (!graph) {
    std::fprintf(stderr, "eta_sim_bench: open: %s\n", graph.error().message.c_str());
    return 1;
  }
  const auto router = std::make_shared<const map::Router>(std::move(*graph));
  const map::RoutingService routing(router, {});
  const eta::RoutingLegs legs(routing);
  const core::LatLon depot = at(43.7277, 7.4157);  // Fontvieille
  const sim::World world = sim::typical_city_world();

  std::printf(
      "ETA on simulated Monaco drives (sim::typical_city_world, drivers at pace 1.0/0.85/1.1/0.7, "
      "GPS noise 5 m, 1-5 s sampling): without -> with learned corrections\n");
  std::printf(
      " map %s imported in %.0f ms; depot Fontvieille; stops from sim::random_stops >= %.0f m apart, "
      "nearest-neighbour order, planned service %.0f s\n",
      fs::path(opt.pbf).filename().c_str(), report->seconds * 1000, kMinSpacingM, kPlannedServiceS);

  // ---- history: what the model learns from, as the server's EtaLearner does with stored visits
  const auto t_history = Clock::now();
  std::vector<storage::StopVisitRecord> visits;
  size_t short_routes = 0;
  for (uint64_t seed = 1; seed <= opt.history; ++seed) {
    const auto week = static_cast<int>((mix(seed ^ 0x5EED) >> 8) % kHistoryWeeks);
    auto r = simulate(*router, depot, seed, (seed - 1) % kDrivers.size(), kHistoryStops, week);
    if (!r) return 1;
    if (r->plan.stops.size() < kHistoryStops) ++short_routes;
    append_visits(*r, visits);
  }
  const double simulate_history_s = seconds_since(t_history);
  const auto t_learn = Clock::now();
  const pipeline::EtaHistory history = pipeline::history_from_visits(visits, legs, 0);
  const eta::Corrections learned = eta::learn(history.legs, history.services);
  const double learn_s = seconds_since(t_learn);
  std::printf(
      " history: %zu routes x %zu stops (seeds 1..%zu, %zu with fewer stops), weekdays 07:00-16:00 UTC "
      "starts over %d weeks; simulated in %.2f s\n",
      opt.history, kHistoryStops, opt.history, short_routes, kHistoryWeeks, simulate_history_s);
  std::printf(
      "  %zu visits -> pipeline::history_from_visits + eta::learn in %.0f ms: %zu legs used, %zu services\n",
      visits.size(), learn_s * 1000, learned.legs(), learned.services());
  print_model(learned, world);
  if (opt.print_model) std::printf("  model: %s\n", learned.to_json().c_str());

  // ---- evaluation: new routes the week after, an estimate every 30 s under each model
  const auto t_eval = Clock::now();
  const eta::Corrections identity{};
  std::array<HorizonOutcomes, kHorizonsMin.size()> outcomes;
  size_t estimates = 0, stops_judged = 0, eval_short = 0;
  double estimate_s = 0, shortest_min = INFINITY, longest_min = 0;
  double leg_free_flow_s = 0, leg_actual_s = 0, leg_m = 0;
  size_t leg_count = 0;
  for (uint64_t seed = kEvalFirstSeed; seed < kEvalFirstSeed + opt.routes; ++seed) {
    auto r =
        simulate(*router, depot, seed, (seed - kEvalFirstSeed) % kDrivers.size(), kEvalStops, kHistoryWeeks);
    if (!r) return 1;
    if (r->plan.stops.size() < kEvalStops) ++eval_short;
    const double minutes = static_cast<double>(r->drive.end.ms - r->plan.start.ms) / 60'000.0;
    shortest_min = std::min(shortest_min, minutes);
    for (const sim::LegTruth& l : r->drive.legs) {
      leg_free_flow_s += l.planned_free_flow_s;
      leg_actual_s += static_cast<double>(l.arrived.ms - l.departed.ms) / 1000.0;
      leg_m += l.planned_distance_m;
      ++leg_count;
    }
    longest_min = std::max(longest_min, minutes);
    Estimates without, with;
    const auto t_est = Clock::now();
    estimates += estimate_route(*r, legs, identity, learned, without, with);
    estimate_s += seconds_since(t_est);
    for (size_t i = 0; i < r->drive.stops.size(); ++i) {
      const core::Timestamp actual = r->drive.stops[i].arrived;
      ++stops_judged;
      for (size_t h = 0; h < kHorizonsMin.size(); ++h) {
        const core::Timestamp target{actual.ms - int64_t{kHorizonsMin[h]} * 60'000};
        const auto a = judge(without, i, target, actual);
        const auto b = judge(with, i, target, actual);
        if (!a || !b) continue;
        outcomes[h].without.push_back(*a);
        outcomes[h].with.push_back(*b);
      }
    }
  }
  const double eval_s = seconds_since(t_eval);
  std::printf(
      " evaluation: %zu routes x %zu stops (seeds %llu..%llu, %zu with fewer stops), the week after, drives "
      "of "
      "%.0f-%.0f min; %zu stops, %zu estimates per model (every 30 s from the latest ping, %.0f µs per "
      "estimate), %.2f s\n",
      opt.routes, kEvalStops, static_cast<unsigned long long>(kEvalFirstSeed),
      static_cast<unsigned long long>(kEvalFirstSeed + opt.routes - 1), eval_short, shortest_min, longest_min,
      stops_judged, estimates,
      estimates == 0 ? 0.0 : estimate_s * 1e6 / (2.0 * static_cast<double>(estimates)), eval_s);
  if (leg_count > 0)
    std::printf("  legs: mean %.0f m, free flow %.0f s, driven %.0f s\n",
                leg_m / static_cast<double>(leg_count), leg_free_flow_s / static_cast<double>(leg_count),
                leg_actual_s / static_cast<double>(leg_count));
  std::printf(
      "  the stops not yet departed and the stop being served come from the simulator's truth: they stand in "
      "for the geofence\n");
  bool missing = false;
  for (size_t h = 0; h < kHorizonsMin.size(); ++h) {
    row(std::to_string(kHorizonsMin[h]) + " min before arrival", stats(outcomes[h].without),
        stats(outcomes[h].with));
    missing = missing || outcomes[h].with.empty();
  }
  std::printf(" eta_sim_bench: %.1f s in all\n", seconds_since(t_all));
  if (missing) {
    std::fprintf(stderr, "eta_sim_bench: a horizon has no prediction (routes too short?)\n");
    return 1;
  }
  return 0;
}
