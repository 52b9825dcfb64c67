// Fuzzes `lastmile import-map` (libosmium reading, the car profile, graph building, contraction and
// the file writer) on mutated OSM input. The first byte picks the format the bytes are read as:
// even → .osm.pbf, odd → .osm XML; the rest is the file. Every input must end in a graph that
// opens, or in a map error (invalid_osm, empty_map, …) — never a crash, a hang or a leak.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "map/graph_file.hpp"
#include "map/import_map.hpp"
#include "map/progress.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lastmile::map;
  if (size == 0) return 0;
  const bool xml = (data[0] & 1) != 0;
  static const std::string base = "/tmp/lastmile_osm_fuzz_" + std::to_string(::getpid());
  const std::string in = base + (xml ? ".osm" : ".osm.pbf");
  const std::string out = base + ".lmgraph";
  {
    std::ofstream f(in, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
  }
  Progress quiet("fuzz", Progress::Mode::kQuiet);
  auto report = import_map(in, out, quiet);
  if (report.ok()) {
    auto graph = Graph::open(out);
    if (!graph.ok()) __builtin_trap();  // what import writes must open
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
  return 0;
}
