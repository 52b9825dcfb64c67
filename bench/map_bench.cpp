// map_bench: the road-network benchmark (bench/run.sh, "Road network" in bench/README.md).
//
//   map_bench [--pbf FILE] [--queries N] [--astar-queries N] [--matrix-runs N] [--seed S] [--strict]
//
// In one process, on the bundled Monaco extract (data/osm/monaco.osm.pbf by default):
//   1. import + preprocess (libosmium read, graph build, contraction hierarchy, write, re-open check)
//      into a temporary .lmgraph, its size; then opening it and building the Router;
//   2. N point-to-point routes (Router::route with the contraction hierarchy: snapping both ends,
//      the search, unpacking and the geometry) between random coordinates inside the map's bounding
//      box that snap to a road (seeded, so every run asks the same pairs); p50/p99/mean latency;
//   3. the same pairs with A* (the first --astar-queries of them), for comparison;
//   4. a 100×100 Router::matrix between random snapped coordinates: the median of --matrix-runs runs
//      (after one warm-up run).
// Prints one line per result, each with its goal (p50 < 50 µs per CH query; 100×100 matrix < 20 ms).
// Exit status: 0, 1 when an operation fails, or 1 with --strict when a goal is not met.
// Single-threaded: the figures are per core.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.hpp"
#include "map/graph.hpp"
#include "map/import_map.hpp"
#include "map/router.hpp"

namespace {

using lastmile::core::LatLon;
using lastmile::map::Graph;
using lastmile::map::Router;
using Clock = std::chrono::steady_clock;

constexpr double kQueryP50GoalUs = 50;
constexpr double kMatrixGoalMs = 20;
constexpr size_t kMatrixSide = 100;

struct Options {
  std::string pbf = "data/osm/monaco.osm.pbf";
  size_t queries = 10'000;
  size_t astar_queries = 10'000;
  size_t matrix_runs = 10;
  uint32_t seed = 20261130;
  bool strict = false;
};

[[noreturn]] void usage_error(const std::string& what) {
  std::fprintf(
      stderr,
      "map_bench: %s\nusage: map_bench [--pbf FILE] [--queries N] [--astar-queries N] [--matrix-runs N] "
      "[--seed S] [--strict]\n",
      what.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error("missing value after " + std::string(arg));
      return argv[++i];
    };
    auto number = [&]() -> unsigned long {
      const std::string v = value();
      char* end = nullptr;
      const unsigned long n = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0') usage_error("not a number: " + v);
      return n;
    };
    if (arg == "--pbf") {
      o.pbf = value();
    } else if (arg == "--queries") {
      o.queries = number();
    } else if (arg == "--astar-queries") {
      o.astar_queries = number();
    } else if (arg == "--matrix-runs") {
      o.matrix_runs = std::max<unsigned long>(1, number());
    } else if (arg == "--seed") {
      o.seed = static_cast<uint32_t>(number());
    } else if (arg == "--strict") {
      o.strict = true;
    } else {
      usage_error("unknown argument " + std::string(arg));
    }
  }
  return o;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The p-th percentile (0..100) of `v` (nearest rank); sorts v.
double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

// Random coordinates inside the graph's bounding box that snap to a road (the sea and the hills
// around Monaco do not); the same sequence for the same seed.
class PointSampler {
 public:
  PointSampler(const Router& router, uint32_t seed) : router_(router), rng_(seed) {
    const Graph& g = router.graph();
    for (uint32_t n = 0; n < g.node_count(); ++n) {
      const LatLon c = g.coord(n);
      min_lat_ = std::min(min_lat_, c.lat());
      max_lat_ = std::max(max_lat_, c.lat());
      min_lon_ = std::min(min_lon_, c.lon());
      max_lon_ = std::max(max_lon_, c.lon());
    }
  }
  LatLon next() {
    std::uniform_real_distribution<double> lat(min_lat_, max_lat_), lon(min_lon_, max_lon_);
    for (;;) {
      const auto p = LatLon::from_unsafe({lat(rng_), lon(rng_)});
      if (p && router_.snap(*p).ok()) return *p;
    }
  }

 private:
  const Router& router_;
  std::mt19937_64 rng_;
  double min_lat_ = 90, max_lat_ = -90, min_lon_ = 180, max_lon_ = -180;
};

struct QueryStats {
  size_t routed = 0;
  size_t no_route = 0;
  double p50_us = 0;
  double p99_us = 0;
  double mean_us = 0;
};

QueryStats time_routes(const Router& router, const std::vector<std::pair<LatLon, LatLon>>& pairs,
                       size_t count, Router::Search search) {
  QueryStats s;
  std::vector<double> us;
  us.reserve(count);
  double total = 0;
  for (size_t i = 0; i < count && i < pairs.size(); ++i) {
    const auto t0 = Clock::now();
    auto r = router.route(pairs[i].first, pairs[i].second, search);
    const double t = seconds_since(t0) * 1e6;
    us.push_back(t);
    total += t;
    if (r.ok()) {
      ++s.routed;
    } else if (r.error().code == lastmile::map::ErrorCode::kNoRoute) {
      ++s.no_route;
    } else {
      std::fprintf(stderr, "map_bench: route %zu failed: %s\n", i, r.error().message.c_str());
      std::exit(1);
    }
  }
  s.mean_us = us.empty() ? 0 : total / static_cast<double>(us.size());
  s.p99_us = percentile(us, 99);
  s.p50_us = percentile(us, 50);
  return s;
}

const char* met(bool ok) { return ok ? "met" : "NOT met"; }

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("lastmile-map-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string out = (dir / "map.lmgraph").string();
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};

  lastmile::map::Progress quiet("map_bench", lastmile::map::Progress::Mode::kQuiet);
  auto report = lastmile::map::import_map(opt.pbf, out, quiet);
  if (!report) {
    std::fprintf(stderr, "map_bench: import %s: error %s: %s\n", opt.pbf.c_str(),
                 std::string(lastmile::map::code_name(report.error().code)).c_str(),
                 report.error().message.c_str());
    return 1;
  }
  const auto t_open = Clock::now();
  auto graph = Graph::open(out);
  if (!graph) {
    std::fprintf(stderr, "map_bench: open: %s\n", graph.error().message.c_str());
    return 1;
  }
  const Router router(*graph);
  const double open_ms = seconds_since(t_open) * 1000;
  std::printf(
      "map import %s: %.0f ms (contraction hierarchy %.0f ms), graph file %llu bytes; %llu nodes, %llu "
      "edges, "
      "%llu shortcuts; open + router %.1f ms\n",
      fs::path(opt.pbf).filename().c_str(), report->seconds * 1000, report->ch_seconds * 1000,
      static_cast<unsigned long long>(report->file_bytes),
      static_cast<unsigned long long>(report->build.nodes),
      static_cast<unsigned long long>(report->build.edges),
      static_cast<unsigned long long>(report->shortcuts), open_ms);

  PointSampler sampler(router, opt.seed);
  std::vector<std::pair<LatLon, LatLon>> pairs;
  pairs.reserve(std::max(opt.queries, opt.astar_queries));
  while (pairs.size() < std::max(opt.queries, opt.astar_queries)) {
    const LatLon a = sampler.next();
    pairs.emplace_back(a, sampler.next());
  }
  // Warm-up: page in the mapping and the router's grid.
  time_routes(router, pairs, std::min<size_t>(200, pairs.size()), Router::Search::kContractionHierarchy);

  {
    std::vector<double> us;
    us.reserve(opt.queries);
    for (size_t i = 0; i < opt.queries && i < pairs.size(); ++i) {
      const auto t0 = Clock::now();
      const auto s = router.snap(pairs[i].first);
      us.push_back(seconds_since(t0) * 1e6);
      if (!s) return 1;
    }
    const double p99 = percentile(us, 99);
    std::printf("map snap (part of each route, twice): p50 %.2f µs, p99 %.2f µs\n", percentile(us, 50), p99);
  }
  const QueryStats ch = time_routes(router, pairs, opt.queries, Router::Search::kContractionHierarchy);
  const bool ch_met = ch.p50_us < kQueryP50GoalUs;
  std::printf(
      "map route, contraction hierarchy: %zu random pairs (%zu routed, %zu no_route): p50 %.1f µs, p99 %.1f "
      "µs, "
      "mean %.1f µs   (goal p50 < %.0f µs: %s)\n",
      opt.queries, ch.routed, ch.no_route, ch.p50_us, ch.p99_us, ch.mean_us, kQueryP50GoalUs, met(ch_met));
  if (opt.astar_queries > 0) {
    const QueryStats astar = time_routes(router, pairs, opt.astar_queries, Router::Search::kAStar);
    std::printf(
        "map route, A* (comparison): %zu of the same pairs (%zu routed, %zu no_route): p50 %.1f µs, p99 %.1f "
        "µs, "
        "mean %.1f µs\n",
        opt.astar_queries, astar.routed, astar.no_route, astar.p50_us, astar.p99_us, astar.mean_us);
  }

  std::vector<LatLon> sources, destinations;
  for (size_t i = 0; i < kMatrixSide; ++i) sources.push_back(sampler.next());
  for (size_t i = 0; i < kMatrixSide; ++i) destinations.push_back(sampler.next());
  std::vector<double> matrix_ms;
  size_t unreachable = 0;
  for (size_t run = 0; run <= opt.matrix_runs; ++run) {  // run 0 warms up
    const auto t0 = Clock::now();
    auto m = router.matrix(sources, destinations);
    const double ms = seconds_since(t0) * 1000;
    if (!m) {
      std::fprintf(stderr, "map_bench: matrix: %s\n", m.error().message.c_str());
      return 1;
    }
    if (run == 0) {
      for (double d : m->duration_s) unreachable += d == lastmile::map::Matrix::kUnreachable ? 1 : 0;
      continue;
    }
    matrix_ms.push_back(ms);
  }
  const double matrix_min = *std::min_element(matrix_ms.begin(), matrix_ms.end());
  const double matrix_max = *std::max_element(matrix_ms.begin(), matrix_ms.end());
  const double matrix_median = percentile(matrix_ms, 50);
  const bool matrix_met = matrix_median < kMatrixGoalMs;
  std::printf(
      "map matrix %zux%zu: median %.2f ms of %zu runs (min %.2f, max %.2f; %zu cells unreachable)   "
      "(goal < %.0f ms: %s)\n",
      kMatrixSide, kMatrixSide, matrix_median, opt.matrix_runs, matrix_min, matrix_max, unreachable,
      kMatrixGoalMs, met(matrix_met));
  return opt.strict && !(ch_met && matrix_met) ? 1 : 0;
}
