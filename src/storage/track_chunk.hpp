#pragma once
// Track chunks: how a driver's GPS history is stored. One row per written batch (a chunk) instead
// of one row per fix, so a batch of 100 fixes is one insert of one ~2–3 KiB value, not 100 inserts
// into a B-tree and its unique index (bench/README.md has the ingest figures before and after).
//
// A chunk holds the fixes of one driver, sorted by time, spanning at most kMaxChunkSpanMs (longer
// batches — an offline queue of hours — are split), so reads seek on the chunk's last time: every
// fix of [from, to) is in a chunk with t_max in [from, to + kMaxChunkSpanMs) and t_min < to. A
// writer in time order finds no chunk with t_max at or after its first fix, so checking a new batch
// for fixes already stored (a re-sent batch) costs one index seek.
//
// Binary layout (version 1), compact and lossless (unit tests measure the size of typical fixes):
//   u8 version (1) · varint count · count × point
//   point: zigzag varint deltas from the previous fix of the chunk (the first from 0) of
//          t_ms, lat_e7, lon_e7 and received_at_ms · u8 mask · one number per bit set in mask, in
//          this order: speed (1), heading (2), accuracy (4), altitude (8), battery (16)
//   number: varint h; k = h & 7; k < 7: the value is zigzag(h >> 3) / 10^k, exactly (used when that
//           gives back the very same double, true of any reading with at most 6 decimals);
//           k = 7: the IEEE-754 double follows, 8 bytes little-endian.
// Positions are kept in 1e-7 degrees (≈1 cm).
//
// Pure functions; decode validates everything (a damaged value is an error, never a crash).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "ingest/ping.hpp"

namespace lastmile::storage {

inline constexpr int64_t kMaxChunkSpanMs = 60LL * 60 * 1000;  // one hour
inline constexpr uint32_t kMaxChunkPoints = 100'000;          // decode refuses more

// A fix's identity in the history: the same driver, time and position (1e-7°) is the same fix.
struct TrackKey {
  int64_t t_ms = 0;
  int64_t lat_e7 = 0;
  int64_t lon_e7 = 0;
  bool operator==(const TrackKey&) const = default;
  auto operator<=>(const TrackKey&) const = default;
};
TrackKey track_key(const ingest::Ping& p);

// Encodes `points` (REQUIRES: sorted by t; at most kMaxChunkPoints).
std::string encode_track_chunk(std::span<const ingest::Ping* const> points);
std::string encode_track_chunk(std::span<const ingest::Ping> points);

// Decodes a chunk of `driver`. Errors: kInternal ("damaged track chunk: …") on any inconsistency.
core::Result<std::vector<ingest::Ping>> decode_track_chunk(std::string_view data, const core::DriverId& driver);

// Sorts `points` by time (stable), drops repeats of the same TrackKey (keeping the first), and cuts
// the result into runs that each span at most kMaxChunkSpanMs and hold at most `max_points`. The
// runs point into `points`, which must outlive them.
std::vector<std::vector<const ingest::Ping*>> plan_track_chunks(std::span<const ingest::Ping> points,
                                                                size_t max_points = 1000);

}  // namespace lastmile::storage
