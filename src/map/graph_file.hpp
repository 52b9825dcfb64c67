#pragma once
// The .lmgraph file: a Graph (graph.hpp) stored so that Graph::open can mmap it and use it in place.
//
// Format, version 2 (version 1 had no road class in the edge flags). All integers little-endian (the build refuses big-endian hosts).
//
//   offset  size  field
//        0     8  magic "LMGRAPH\0"
//        8     4  u32 format version (kGraphFormatVersion)
//       12     4  u32 section count S
//       16     8  u64 file size in bytes
//       24     8  u64 checksum of bytes [64, file size) (checksum64 below)
//       32    32  reserved, zero
//       64  S*24  section table, one entry per section:
//                   u32 kind, u32 element size in bytes, u64 offset from the file start, u64 count
//   then the sections, each starting at a multiple of 8, padded with zeros.
//
// Sections (kind: element, count):
//   1 node coordinates: NodeCoord (i32 lat, i32 lon in 1e-7 degree), one per node
//   2 OSM node ids: i64, one per node
//   3 first_out: u32, nodes + 1 (CSR offsets into the edges)
//   4 edges: Edge (32 bytes: u32 source, target, duration_ms, weight_ms; f32 length_m;
//            u32 name, twin, flags), sorted by source; flags: bit 0 kEdgeInSmallComponent,
//            bits 8-15 the RoadClass (0..7), every other bit zero
//   5 turn restrictions: TurnRestriction (u32 from_edge, to_edge, kind 0 = no / 1 = only), sorted
//            by from_edge
//   6 name offsets: u32, names + 1, into section 7
//   7 name characters: bytes (UTF-8 as in OSM, not terminated)
//   The contraction hierarchy (contraction_hierarchy.hpp), over vertices = edges; sections 8-14
//   are all empty (count 0) when the graph has none:
//   8 rank: u32 per edge
//   9 up first: u32, edges + 1 (CSR offsets into section 10)
//  10 up arcs: ChArc (12 bytes: u32 other, weight_ms, middle or 0xFFFFFFFF)
//  11 down first: u32, edges + 1 (into section 12)
//  12 down arcs: ChArc
//  13 self loop weight: u32 per edge, 0xFFFFFFFF when none
//  14 self loop middle: u32 per edge, 0xFFFFFFFF when none
// Every section listed here is required; an unknown kind is an error in version 2. A reader of a
// later version must bump kGraphFormatVersion when it adds or changes a section.
//
// Graph::open checks, in order: the file opens (kFileNotFound), is at least 8 bytes and starts
// with the magic (kTruncated / kNotAGraph), the version (kUnsupportedVersion), the header's file
// size against the real one (shorter: kTruncated; longer: kCorrupt), the checksum, the section
// table, the GraphData invariants and the hierarchy's (kCorrupt). So a flipped byte, a cut file or a file of another
// kind never reaches the router.

#include <cstdint>
#include <span>
#include <string>

#include "map/graph.hpp"
#include "map/map_error.hpp"

namespace lastmile::map {

inline constexpr uint32_t kGraphFormatVersion = 2;

// Writes `data` to `path` (through a temporary file renamed into place, so a reader never sees a
// half-written graph). Returns the file size. Errors: kIoError.
Result<uint64_t> write_graph(const GraphData& data, const std::string& path);

// 64-bit FNV-1a over 8-byte little-endian words, then over the remaining bytes one at a time.
uint64_t checksum64(std::span<const unsigned char> bytes);

}  // namespace lastmile::map
