#pragma once
// What the server's tile endpoints ask (GET /v1/tiles/{z}/{x}/{y}.mvt|.geojson): the tile index of
// the loaded road network, a bounded in-memory LRU of encoded vector tiles, and the ETag of a tile.
//
// ETag: a hash of the graph's fingerprint (the .lmgraph checksum when known), kTileSchemaVersion,
// the tile address and the format, so it changes when the map or the encoding changes and never
// otherwise; the server can answer If-None-Match without encoding anything.
//
// Thread safety: any thread may call any method concurrently (the cache has its own mutex; it is
// never held while a tile is encoded).

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "map/graph.hpp"
#include "map/map_error.hpp"
#include "map/tile_geometry.hpp"
#include "map/tile_id.hpp"
#include "map/tile_index.hpp"

namespace lastmile::map {

// Bumped whenever the encoded tiles change for the same graph (layers, properties, simplification).
inline constexpr uint32_t kTileSchemaVersion = 1;

struct TileServiceOptions {
  size_t cache_bytes = size_t{64} << 20;  // encoded tiles kept in memory; 0 disables the cache
  // Identifies the graph in ETags: the .lmgraph checksum (read_graph_checksum). 0: a hash of the
  // graph's nodes, edges and names is computed instead (in-memory graphs in tests).
  uint64_t graph_checksum = 0;
};

struct TileCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  size_t entries = 0;
  size_t bytes = 0;
};

class TileService {
 public:
  // Builds the tile index (TileIndex) now.
  TileService(Graph graph, TileServiceOptions options = {});

  // The Mapbox Vector Tile of `id` (tile_mvt.hpp; zero bytes when nothing is drawn there). Never null.
  std::shared_ptr<const std::string> mvt(TileId id) const;
  // The same roads as features (GeoJSON is written by the HTTP layer); not cached.
  std::vector<TileFeature> features(TileId id) const { return index_.features(id); }
  // A strong HTTP entity tag, quotes included: "\"3f2a…\"".
  std::string etag(TileId id, TileFormat format) const;

  const MapBounds& bounds() const { return index_.bounds(); }
  const TileIndex& index() const { return index_; }
  uint64_t fingerprint() const { return fingerprint_; }
  TileCacheStats cache_stats() const;

 private:
  using Entry = std::pair<uint64_t, std::shared_ptr<const std::string>>;

  TileIndex index_;
  uint64_t fingerprint_;
  size_t cache_bytes_;
  mutable std::mutex mu_;
  mutable std::list<Entry> lru_;                                               // GUARDED_BY(mu_), newest first
  mutable std::unordered_map<uint64_t, std::list<Entry>::iterator> by_key_;  // GUARDED_BY(mu_)
  mutable size_t used_bytes_ = 0;                                              // GUARDED_BY(mu_)
  mutable uint64_t hits_ = 0;                                                  // GUARDED_BY(mu_)
  mutable uint64_t misses_ = 0;                                                // GUARDED_BY(mu_)
};

// The checksum stored in a .lmgraph file's header (graph_file.hpp), without reading the rest.
// Errors: kFileNotFound, kTruncated (shorter than the header), kNotAGraph (no magic).
Result<uint64_t> read_graph_checksum(const std::string& path);

}  // namespace lastmile::map
