#pragma once
// Reads an OpenStreetMap file (.osm.pbf, .osm XML, also .osm.bz2/.osm.gz; the format follows the
// file name's suffix) into a GraphBuilder, through libosmium. The only file that includes osmium
// headers is osm_reader.cpp.
//
// Two passes: ways and restriction relations first, then the locations of the nodes the drivable
// ways use, so memory grows with the road network, not with the whole file.

#include <cstdint>
#include <string>

#include "map/address_book.hpp"
#include "map/graph_builder.hpp"
#include "map/map_error.hpp"
#include "map/progress.hpp"

namespace lastmile::map {

struct OsmReadStats {
  uint64_t nodes = 0;                     // nodes in the file
  uint64_t ways = 0;                      // ways in the file
  uint64_t relations = 0;                 // relations in the file
  uint64_t drivable_ways = 0;             // ways the car profile accepts
  uint64_t restrictions = 0;              // via-node no_*/only_* restrictions handed to the builder
  uint64_t restrictions_via_way = 0;      // via-way restrictions: skipped (not supported yet)
  uint64_t restrictions_skipped = 0;      // malformed, for other vehicles, or excepting motorcars
  uint64_t addresses = 0;                 // address points found (when asked for)
  uint64_t named_streets = 0;             // named road pieces found (when asked for)
};

// With `addresses`, also collects the file's addresses and named roads (address_collector.hpp).
// Errors: kFileNotFound (no such file), kInvalidOsm (unreadable, unknown format, truncated or
// corrupt data, with libosmium's message).
Result<OsmReadStats> read_osm(const std::string& path, GraphBuilder& builder, Progress& progress,
                              AddressData* addresses = nullptr);

}  // namespace lastmile::map
