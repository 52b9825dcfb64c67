#pragma once
// The addresses of an imported map, stored next to its graph: `import-map … -o X.lmgraph` writes
// `X.lmgraph.addresses`, and `serve --map X.lmgraph` reads it when present (docs/geocoding.md).
//
// Format: UTF-8 text, one record per line, fields separated by tabs (tabs and line breaks inside
// OSM values are written as spaces):
//   lastmile-addresses 1
//   A <house number> <street> <postcode> <city> <lat e7> <lon e7>     (one per address point)
//   S <street name> <lat e7> <lon e7>                                 (one per named road)
//   end <number of A lines> <number of S lines>
// A file without its end line, with a count that differs, or with a malformed line is refused
// (kCorrupt, naming the line), so a cut or edited file is never half-used.

#include <string>

#include "map/address_book.hpp"
#include "map/map_error.hpp"

namespace lastmile::map {

// The sidecar path of a graph file.
std::string address_file_path(const std::string& graph_path);

// Writes through a temporary file renamed into place. Errors: kIoError.
Result<uint64_t> write_address_file(const AddressData& data, const std::string& path);

// Errors: kFileNotFound, kIoError, kNotAGraph (not an address file), kUnsupportedVersion, kCorrupt.
Result<AddressData> read_address_file(const std::string& path);

}  // namespace lastmile::map
