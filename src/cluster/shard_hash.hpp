#pragma once
// Which ping-stream shard a driver belongs to (docs/cluster.md). Stable across processes, builds and
// platforms (FNV-1a 64 of the id's bytes, unlike std::hash), because every node must agree on it.

#include <cstdint>
#include <string>
#include <string_view>

namespace lastmile::cluster {

inline constexpr uint32_t kDefaultShards = 16;

uint64_t fnv1a64(std::string_view bytes);
// REQUIRES: shards > 0. Returns a value in [0, shards).
uint32_t shard_of(std::string_view driver_id, uint32_t shards);
// "lastmile.pings.<shard>"
std::string ping_subject(uint32_t shard);

}  // namespace lastmile::cluster
