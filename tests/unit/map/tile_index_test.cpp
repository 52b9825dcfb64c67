// The tile index and service: roads chained and drawn once, clipped to the buffered tile, empty
// tiles outside the map and outside the content zooms, ETags, the LRU; and the bundled Monaco
// extract, whose central z16 tile must carry its real street names (read back from the MVT bytes).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "map/graph_file.hpp"
#include "map/tile_index.hpp"
#include "map/tile_mvt.hpp"
#include "map/tile_service.hpp"
#include "map_test_support.hpp"
#include "mvt_test_decoder.hpp"

namespace lastmile::map {
namespace {

NodeCoord at(double lat, double lon) {
  return {static_cast<int32_t>(std::lround(lat * 1e7)), static_cast<int32_t>(std::lround(lon * 1e7))};
}

Edge edge(uint32_t s, uint32_t t, uint32_t name, RoadClass c, uint32_t twin) {
  Edge e;
  e.source = s;
  e.target = t;
  e.duration_ms = 1000;
  e.weight_ms = 1000;
  e.length_m = 80;
  e.name = name;
  e.twin = twin;
  e.flags = road_class_flags(c);
  return e;
}

// Rue A runs east, two-way, n0 - n1 - n2 - n4 (n1 is a junction); Rue B is one-way from n1 north to
// n3. Everything lies in one z16 tile.
//
//        n3
//        ^
//   n0 - n1 - n2 - n4
GraphData small_town() {
  GraphData d;
  d.nodes = {at(43.7300, 7.4200), at(43.7300, 7.4205), at(43.7300, 7.4210), at(43.7305, 7.4205),
             at(43.7300, 7.4215)};
  d.osm_node_ids = {1, 2, 3, 4, 5};
  const RoadClass res = RoadClass::kResidential;
  d.edges = {
      edge(0, 1, 1, res, 1),                     // 0
      edge(1, 0, 1, res, 0),                     // 1
      edge(1, 2, 1, res, 4),                     // 2
      edge(1, 3, 2, RoadClass::kPrimary, kNoEdge),  // 3, one-way
      edge(2, 1, 1, res, 2),                     // 4
      edge(2, 4, 1, res, 6),                     // 5
      edge(4, 2, 1, res, 5),                     // 6
  };
  d.first_out = {0, 1, 4, 6, 6, 7};
  d.name_chars = "Rue ARue B";
  d.name_offsets = {0, 0, 5, 10};
  return d;
}

TileId tile_of(double lat, double lon, uint32_t z) { return tile_at(project(lat, lon), z); }

TEST(TileIndex, ChainsRoadsDrawsTwoWaySegmentsOnceAndKeepsOneWayDirection) {
  const GraphData data = small_town();
  const TileIndex index(Graph::borrow(data));
  // Rue A west of the junction, Rue A east of it (n1 - n2 - n4 in one chain), Rue B.
  EXPECT_EQ(index.chain_count(), 3u);
  const auto features = index.features(tile_of(43.7302, 7.4207, 16));
  ASSERT_EQ(features.size(), 3u);
  int rue_a = 0;
  for (const TileFeature& f : features) {
    ASSERT_EQ(f.parts.size(), 1u);
    if (f.name == "Rue A") {
      ++rue_a;
      EXPECT_EQ(f.road_class, RoadClass::kResidential);
      EXPECT_FALSE(f.oneway);
    } else {
      EXPECT_EQ(f.name, "Rue B");
      EXPECT_EQ(f.road_class, RoadClass::kPrimary);
      EXPECT_TRUE(f.oneway);
      // Drawn in the direction of travel: north, so y decreases.
      EXPECT_GT(f.parts[0].front().y, f.parts[0].back().y);
    }
  }
  EXPECT_EQ(rue_a, 2);
}

TEST(TileIndex, ClipsToTheTilePlusItsBuffer) {
  const GraphData data = small_town();
  const TileIndex index(Graph::borrow(data));
  // At z18 the roads cross several tiles: every point stays within the buffer.
  const TileId t = tile_of(43.7300, 7.4205, 18);
  const auto features = index.features(t);
  ASSERT_FALSE(features.empty());
  bool touches_buffer = false;
  for (const TileFeature& f : features) {
    for (const auto& part : f.parts) {
      ASSERT_GE(part.size(), 2u);
      for (const TilePoint& p : part) {
        EXPECT_GE(p.x, -static_cast<int32_t>(kTileBuffer));
        EXPECT_LE(p.x, static_cast<int32_t>(kTileExtent + kTileBuffer));
        EXPECT_GE(p.y, -static_cast<int32_t>(kTileBuffer));
        EXPECT_LE(p.y, static_cast<int32_t>(kTileExtent + kTileBuffer));
        touches_buffer |= p.x == -static_cast<int32_t>(kTileBuffer) ||
                          p.x == static_cast<int32_t>(kTileExtent + kTileBuffer);
      }
    }
  }
  EXPECT_TRUE(touches_buffer);  // Rue A is cut at the buffer's edge
}

TEST(TileIndex, EmptyOutsideTheMapAndOutsideContentZooms) {
  const GraphData data = small_town();
  const TileIndex index(Graph::borrow(data));
  EXPECT_TRUE(index.features(tile_of(48.85, 2.35, 16)).empty());  // Paris
  EXPECT_TRUE(index.features(TileId{16, 0, 0}).empty());
  EXPECT_TRUE(index.features(tile_of(43.7300, 7.4205, 11)).empty());  // below kMinContentZoom
  EXPECT_TRUE(index.features(tile_of(43.7300, 7.4205, 19)).empty());  // above kMaxContentZoom
  EXPECT_FALSE(index.features(tile_of(43.7300, 7.4205, 12)).empty());
  EXPECT_NEAR(index.bounds().west, 7.4200, 1e-7);
  EXPECT_NEAR(index.bounds().north, 43.7305, 1e-7);
}

TEST(TileService, CachesTilesAndTagsThemByGraphAndAddress) {
  const GraphData data = small_town();
  TileServiceOptions options;
  options.graph_checksum = 42;
  const TileService tiles(Graph::borrow(data), options);
  const TileId t = tile_of(43.7302, 7.4207, 16);
  auto first = tiles.mvt(t);
  auto again = tiles.mvt(t);
  EXPECT_EQ(first.get(), again.get());  // the cached bytes
  EXPECT_EQ(tiles.cache_stats().hits, 1u);
  EXPECT_EQ(tiles.cache_stats().misses, 1u);
  EXPECT_TRUE(tiles.mvt(TileId{16, 0, 0})->empty());

  const std::string etag = tiles.etag(t, TileFormat::kMvt);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  EXPECT_EQ(etag, tiles.etag(t, TileFormat::kMvt));
  EXPECT_NE(etag, tiles.etag(t, TileFormat::kGeoJson));
  EXPECT_NE(etag, tiles.etag(TileId{t.z, t.x + 1, t.y}, TileFormat::kMvt));
  options.graph_checksum = 43;
  const TileService other_map(Graph::borrow(data), options);
  EXPECT_NE(etag, other_map.etag(t, TileFormat::kMvt));
}

TEST(TileService, TheCacheStaysWithinItsByteBudget) {
  const GraphData data = small_town();
  TileServiceOptions options;
  options.cache_bytes = 1;  // smaller than any non-empty tile
  const TileService tiles(Graph::borrow(data), options);
  const TileId t = tile_of(43.7302, 7.4207, 16);
  EXPECT_FALSE(tiles.mvt(t)->empty());
  EXPECT_FALSE(tiles.mvt(t)->empty());
  EXPECT_EQ(tiles.cache_stats().misses, 2u);
  EXPECT_LE(tiles.cache_stats().bytes, 1u);
}

TEST(TileService, ReadsTheChecksumOfAGraphFile) {
  test::TempDir dir;
  const GraphData data = small_town();
  auto written = write_graph(data, dir.file("town.lmgraph"));
  ASSERT_TRUE(written.ok());
  auto checksum = read_graph_checksum(dir.file("town.lmgraph"));
  ASSERT_TRUE(checksum.ok());
  EXPECT_NE(*checksum, 0u);
  EXPECT_EQ(read_graph_checksum(dir.file("missing")).error().code, ErrorCode::kFileNotFound);
  test::write_bytes(dir.file("short"), "LMGRAPH");
  EXPECT_EQ(read_graph_checksum(dir.file("short")).error().code, ErrorCode::kTruncated);
  test::write_bytes(dir.file("other"), std::string(64, 'x'));
  EXPECT_EQ(read_graph_checksum(dir.file("other")).error().code, ErrorCode::kNotAGraph);
}

// ---- Monaco --------------------------------------------------------------------------------------

class MonacoTilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto g = test::monaco_graph();
    ASSERT_TRUE(g.ok()) << g.error().message;
    const auto t0 = std::chrono::steady_clock::now();
    tiles_ = new TileService(*g, {});
    std::printf("monaco tiles: %zu roads indexed in %.1f ms\n", tiles_->index().chain_count(),
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  static void TearDownTestSuite() {
    delete tiles_;
  }
  static TileService* tiles_;
};
TileService* MonacoTilesTest::tiles_ = nullptr;

// Monte-Carlo, near Avenue de la Costa.
constexpr double kCentreLat = 43.7384;
constexpr double kCentreLon = 7.4246;

TEST_F(MonacoTilesTest, TheCentralZ16TileNamesMonacosStreets) {
  ASSERT_NE(tiles_, nullptr);
  const TileId t = tile_of(kCentreLat, kCentreLon, 16);
  const std::string bytes = *tiles_->mvt(t);
  auto layers = test::decode_mvt(bytes);
  ASSERT_EQ(layers.size(), 1u);
  std::set<std::string> names;
  std::set<std::string> classes;
  std::set<uint64_t> ids;
  for (const auto& f : layers[0].features) {
    EXPECT_EQ(f.type, 2u);
    EXPECT_TRUE(ids.insert(f.id).second) << "feature id " << f.id << " twice";
    if (auto it = f.properties.find("name"); it != f.properties.end()) names.insert(std::get<std::string>(it->second));
    classes.insert(std::get<std::string>(f.properties.at("class")));
    EXPECT_TRUE(f.properties.contains("oneway"));
    for (const auto& line : f.lines) {
      EXPECT_GE(line.size(), 2u);
      for (const auto& p : line) {
        EXPECT_GE(p.x, -64);
        EXPECT_LE(p.x, 4160);
        EXPECT_GE(p.y, -64);
        EXPECT_LE(p.y, 4160);
      }
    }
  }
  std::string shown;
  for (const auto& n : names) shown += n + "; ";
  std::printf("monaco z16 %u/%u: %zu features, %zu bytes, names: %s\n", t.x, t.y, layers[0].features.size(),
              bytes.size(), shown.c_str());
  EXPECT_TRUE(names.contains("Avenue de la Costa")) << shown;
  EXPECT_TRUE(names.contains("Boulevard Albert 1er")) << shown;
  EXPECT_GE(classes.size(), 2u);
}

TEST_F(MonacoTilesTest, EncodesZ14AndZ16TilesQuickly) {
  ASSERT_NE(tiles_, nullptr);
  for (uint32_t z : {14u, 16u}) {
    const TileId t = tile_of(kCentreLat, kCentreLon, z);
    const auto t0 = std::chrono::steady_clock::now();
    const auto features = tiles_->index().features(t);
    const std::string bytes = encode_roads_mvt(features);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("monaco z%u %u/%u: %zu features, %zu bytes, encoded in %.2f ms\n", z, t.x, t.y, features.size(),
                bytes.size(), ms);
    EXPECT_FALSE(features.empty());
    EXPECT_LT(bytes.size(), 512u * 1024);  // MapLibre's guidance: well under 500 KB
  }
}

TEST_F(MonacoTilesTest, EveryRoadIsDrawnInTheZ16TilesOverTheMapWithoutZeroLengthSteps) {
  ASSERT_NE(tiles_, nullptr);
  const MapBounds& b = tiles_->bounds();
  const TileId nw = tile_of(b.north, b.west, 16);
  const TileId se = tile_of(b.south, b.east, 16);
  std::set<uint64_t> ids;
  size_t tiles = 0;
  for (uint32_t x = nw.x; x <= se.x; ++x) {
    for (uint32_t y = nw.y; y <= se.y; ++y) {
      const std::string bytes = *tiles_->mvt(TileId{16, x, y});
      ++tiles;
      if (bytes.empty()) continue;
      const auto layers = test::decode_mvt(bytes);
      ASSERT_EQ(layers.size(), 1u);
      for (const auto& f : layers[0].features) {
        ids.insert(f.id);
        for (const auto& line : f.lines)
          for (size_t i = 1; i < line.size(); ++i) EXPECT_FALSE(line[i] == line[i - 1]) << "feature " << f.id;
      }
    }
  }
  std::printf("monaco z16: %zu tiles, %zu of %zu roads drawn\n", tiles, ids.size(), tiles_->index().chain_count());
  // Ids are chain numbers + 1: every road of the map, each once per tile.
  EXPECT_EQ(ids.size(), tiles_->index().chain_count());
  EXPECT_EQ(*ids.begin(), 1u);
  EXPECT_EQ(*ids.rbegin(), tiles_->index().chain_count());
}

TEST_F(MonacoTilesTest, TilesOutsideMonacoAreEmpty) {
  ASSERT_NE(tiles_, nullptr);
  EXPECT_TRUE(tiles_->mvt(tile_of(43.60, 7.30, 16))->empty());  // at sea, south-west
  EXPECT_TRUE(tiles_->mvt(tile_of(kCentreLat, kCentreLon, 10))->empty());
  const MapBounds& b = tiles_->bounds();
  EXPECT_LT(b.west, kCentreLon);
  EXPECT_GT(b.east, kCentreLon);
  EXPECT_LT(b.south, kCentreLat);
  EXPECT_GT(b.north, kCentreLat);
}

}  // namespace
}  // namespace lastmile::map
