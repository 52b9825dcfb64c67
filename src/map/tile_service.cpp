#include "map/tile_service.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>

#include "map/tile_mvt.hpp"

namespace lastmile::map {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

void fnv(uint64_t& h, const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= kFnvPrime;
  }
}

template <typename T>
void fnv_value(uint64_t& h, const T& v) {
  fnv(h, &v, sizeof v);
}

// A hash of what the tiles are made of, for graphs without a file checksum.
uint64_t content_hash(const Graph& g) {
  uint64_t h = kFnvOffset;
  for (uint32_t n = 0; n < g.node_count(); ++n) fnv_value(h, g.node(n));
  for (uint32_t e = 0; e < g.edge_count(); ++e) fnv_value(h, g.edge(e));
  for (uint32_t i = 0; i < g.name_count(); ++i) {
    const std::string_view name = g.name(i);
    fnv(h, name.data(), name.size());
    fnv_value(h, i);
  }
  return h;
}

uint64_t cache_key(TileId id) {
  return (uint64_t{id.z} << 48) | (uint64_t{id.x} << 24) | uint64_t{id.y};  // x, y < 2^22
}

}  // namespace

TileService::TileService(Graph graph, TileServiceOptions options)
    : index_(std::move(graph)),
      fingerprint_(options.graph_checksum != 0 ? options.graph_checksum : content_hash(index_.graph())),
      cache_bytes_(options.cache_bytes) {}

std::shared_ptr<const std::string> TileService::mvt(TileId id) const {
  const uint64_t key = cache_key(id);
  {
    std::lock_guard lock(mu_);
    if (auto it = by_key_.find(key); it != by_key_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      ++hits_;
      return it->second->second;
    }
    ++misses_;
  }
  const auto features = index_.features(id);
  auto tile = std::make_shared<const std::string>(encode_roads_mvt(features));
  if (tile->size() > cache_bytes_) return tile;

  std::lock_guard lock(mu_);
  if (by_key_.contains(key)) return tile;  // another thread encoded it meanwhile
  lru_.emplace_front(key, tile);
  by_key_[key] = lru_.begin();
  used_bytes_ += tile->size();
  while (used_bytes_ > cache_bytes_ && !lru_.empty()) {
    used_bytes_ -= lru_.back().second->size();
    by_key_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return tile;
}

std::string TileService::etag(TileId id, TileFormat format) const {
  uint64_t h = kFnvOffset;
  fnv_value(h, fingerprint_);
  fnv_value(h, kTileSchemaVersion);
  fnv_value(h, id.z);
  fnv_value(h, id.x);
  fnv_value(h, id.y);
  fnv_value(h, static_cast<uint32_t>(format));
  char text[24];
  std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(h));
  return text;
}

TileCacheStats TileService::cache_stats() const {
  std::lock_guard lock(mu_);
  return {hits_, misses_, lru_.size(), used_bytes_};
}

Result<uint64_t> read_graph_checksum(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kFileNotFound, "cannot open " + path};
  char header[32];
  if (!in.read(header, sizeof header)) return Error{ErrorCode::kTruncated, path + " is shorter than a graph header"};
  if (std::memcmp(header, "LMGRAPH\0", 8) != 0) return Error{ErrorCode::kNotAGraph, path + " is not a graph file"};
  uint64_t checksum = 0;
  std::memcpy(&checksum, header + 24, sizeof checksum);  // little-endian hosts only, as graph_file
  return checksum;
}

}  // namespace lastmile::map
