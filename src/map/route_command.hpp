#pragma once
// `lastmile route FILE.lmgraph --from lat,lon --to lat,lon`: the fastest car route's duration and
// distance, for checking a graph file from the shell.

#include <iosfwd>
#include <string>

namespace lastmile::map {

// Opens `graph_file`, routes `from` → `to` ("lat,lon" each) and prints one line to `out`:
// "duration_s=312.4 distance_m=2345.6 points=57 load_ms=12.3 query_ms=0.21". On failure prints
// "route: error <code>: <message>" to `err` (codes of map::code_name, or invalid_coordinate).
// Returns the process exit code: 0, or 1 on any error.
int route_command(const std::string& graph_file, const std::string& from, const std::string& to,
                  std::ostream& out, std::ostream& err);

}  // namespace lastmile::map
