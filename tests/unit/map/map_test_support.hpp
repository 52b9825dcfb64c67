#pragma once
// Shared helpers of the map tests: where the fixtures are, a scratch folder, importing a fixture.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/geo.hpp"
#include "map/graph.hpp"
#include "map/import_map.hpp"
#include "map/router.hpp"

namespace lastmile::map::test {

// The repository root: $LASTMILE_SOURCE_DIR, else the first ancestor of the test binary (or of the
// working directory) that holds tests/data/osm.
inline std::filesystem::path source_dir() {
  if (const char* env = std::getenv("LASTMILE_SOURCE_DIR")) return env;
  for (std::filesystem::path start : {std::filesystem::read_symlink("/proc/self/exe"), std::filesystem::current_path()}) {
    for (auto p = start; p.has_relative_path(); p = p.parent_path()) {
      if (std::filesystem::exists(p / "tests/data/osm/oneway.osm")) return p;
    }
  }
  return std::filesystem::current_path();
}

inline std::string fixture(const std::string& name) { return (source_dir() / "tests/data/osm" / name).string(); }
inline std::string monaco_pbf() { return (source_dir() / "data/osm/monaco.osm.pbf").string(); }

// A fresh folder under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("lastmile_map_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Imports an OSM fixture into a graph file in `dir` and opens it. Fails the test on error.
inline Graph import_fixture(const TempDir& dir, const std::string& name) {
  Progress quiet("test", Progress::Mode::kQuiet);
  const std::string out = dir.file(name + ".lmgraph");
  auto report = import_map(fixture(name), out, quiet);
  EXPECT_TRUE(report.ok()) << (report ? "" : report.error().message);
  auto graph = Graph::open(out);
  EXPECT_TRUE(graph.ok()) << (graph ? "" : graph.error().message);
  return *graph;
}

// The bundled Monaco extract imported once per test process (into a temp folder removed at exit)
// and opened: the import's error, or the graph. Callers ASSERT_TRUE(g.ok()).
inline Result<Graph> monaco_graph() {
  static const TempDir dir;
  static const Result<std::string> path = []() -> Result<std::string> {
    Progress quiet("test", Progress::Mode::kQuiet);
    const std::string out = dir.file("monaco.lmgraph");
    auto report = import_map(monaco_pbf(), out, quiet);
    if (!report.ok()) return report.error();
    return out;
  }();
  if (!path.ok()) return path.error();
  return Graph::open(*path);
}

// The point at `share` of the way from OSM node a to OSM node b of the graph.
inline core::LatLon between(const Graph& g, int64_t a, int64_t b, double share = 0.5) {
  auto find = [&](int64_t id) {
    for (uint32_t n = 0; n < g.node_count(); ++n) {
      if (g.osm_node_id(n) == id) return g.coord(n);
    }
    ADD_FAILURE() << "no node " << id;
    return g.coord(0);
  };
  const core::LatLon pa = find(a), pb = find(b);
  return *core::LatLon::from_unsafe(
      {pa.lat() + share * (pb.lat() - pa.lat()), pa.lon() + share * (pb.lon() - pa.lon())});
}

// The OSM ids of the nodes a route passes.
inline std::vector<int64_t> osm_nodes(const Graph& g, const Route& r) {
  std::vector<int64_t> ids;
  for (uint32_t n : r.nodes) ids.push_back(g.osm_node_id(n));
  return ids;
}

}  // namespace lastmile::map::test
