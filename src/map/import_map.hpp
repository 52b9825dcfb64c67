#pragma once
// `lastmile import-map IN -o OUT`: OSM file → car routing graph file, and the map's addresses next
// to it (OUT.addresses, address_file.hpp) for the geocoder.

#include <cstdint>
#include <string>

#include "map/graph_builder.hpp"
#include "map/map_error.hpp"
#include "map/osm_reader.hpp"
#include "map/progress.hpp"

namespace lastmile::map {

struct ImportReport {
  OsmReadStats read;
  BuildStats build;
  uint64_t shortcuts = 0;    // contraction hierarchy shortcuts
  double ch_seconds = 0;     // time spent building the hierarchy
  uint64_t file_bytes = 0;
  double seconds = 0;
};

// Reads `in`, builds the graph and its contraction hierarchy, writes `out` and opens it again to
// check it. Reports each stage on
// `progress`. Errors: those of read_osm, kEmptyMap (no drivable road with located nodes), those of
// write_graph and Graph::open. On error no file is left at `out` by this call.
Result<ImportReport> import_map(const std::string& in, const std::string& out, Progress& progress);

// The subcommand: runs import_map with progress on stderr; prints the error's code and message on
// failure. Returns the process exit code (0, or 1 on error).
int import_map_command(const std::string& in, const std::string& out);

}  // namespace lastmile::map
