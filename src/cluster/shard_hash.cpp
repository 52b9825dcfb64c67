#include "cluster/shard_hash.hpp"

namespace lastmile::cluster {

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

uint32_t shard_of(std::string_view driver_id, uint32_t shards) {
  return static_cast<uint32_t>(fnv1a64(driver_id) % shards);
}

std::string ping_subject(uint32_t shard) { return "lastmile.pings." + std::to_string(shard); }

}  // namespace lastmile::cluster
