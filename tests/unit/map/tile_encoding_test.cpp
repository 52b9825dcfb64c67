// Tile addresses, clipping, simplification and the MVT encoder, each checked against hand-computed
// answers; the encoder's output is read back with the test's own decoder (mvt_test_decoder.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "map/tile_geometry.hpp"
#include "map/tile_id.hpp"
#include "map/tile_mvt.hpp"
#include "mvt_test_decoder.hpp"

namespace lastmile::map {
namespace {

// ---- tile paths ----------------------------------------------------------------------------------

TEST(TilePath, ParsesMvtAndGeoJson) {
  auto mvt = parse_tile_path("14", "8529", "5975.mvt");
  ASSERT_TRUE(mvt.ok());
  EXPECT_EQ(mvt->id, (TileId{14, 8529, 5975}));
  EXPECT_EQ(mvt->format, TileFormat::kMvt);
  auto geojson = parse_tile_path("0", "0", "0.geojson");
  ASSERT_TRUE(geojson.ok());
  EXPECT_EQ(geojson->format, TileFormat::kGeoJson);
  EXPECT_EQ(tile_path(*mvt), "14/8529/5975.mvt");
  EXPECT_EQ(tile_path(*geojson), "0/0/0.geojson");
}

TEST(TilePath, AcceptsTheLastTileOfTheHighestZoom) {
  const std::string last = std::to_string((1u << 22) - 1);
  auto r = parse_tile_path("22", last, last + ".mvt");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id.x, (1u << 22) - 1);
}

TEST(TilePath, RejectsEachBadPartWithInvalidTileNamingIt) {
  struct Case {
    const char* z;
    const char* x;
    const char* y;
    const char* field;
  };
  const Case cases[] = {
      {"23", "0", "0.mvt", "z"},          // beyond the highest zoom
      {"-1", "0", "0.mvt", "z"},          // a sign
      {"", "0", "0.mvt", "z"},            // empty
      {"014", "0", "0.mvt", "z"},         // a leading zero: one tile, one URL
      {"1e1", "0", "0.mvt", "z"},         // not plain digits
      {"99999999999", "0", "0.mvt", "z"}, // too long
      {"2", "4", "0.mvt", "x"},           // x >= 2^z
      {"0", "1", "0.mvt", "x"},
      {"2", " 1", "0.mvt", "x"},
      {"2", "0", "4.mvt", "y"},           // y >= 2^z
      {"2", "0", "1.png", "y"},           // unknown format
      {"2", "0", "1", "y"},               // no format
      {"2", "0", ".mvt", "y"},
      {"2", "0", "1.mvt.mvt", "y"},
      {"2", "0", "1.MVT", "y"},
  };
  for (const Case& c : cases) {
    auto r = parse_tile_path(c.z, c.x, c.y);
    ASSERT_FALSE(r.ok()) << c.z << "/" << c.x << "/" << c.y;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidTile);
    EXPECT_EQ(core::code_name(r.error().code), "invalid_tile");
    EXPECT_EQ(r.error().field, c.field) << c.z << "/" << c.x << "/" << c.y;
  }
}

TEST(TileMath, ProjectsAndUnprojectsMonaco) {
  const WorldPoint p = project(43.7384, 7.4246);
  const TileId t = tile_at(p, 16);
  // Checked against the usual slippy-map formula: x = floor((lon + 180) / 360 * 2^z).
  EXPECT_EQ(t.x, static_cast<uint32_t>(std::floor((7.4246 + 180) / 360 * 65536)));
  EXPECT_EQ(t, (TileId{16, 34119, 23896}));
  const core::LatLon back = unproject(p);
  EXPECT_NEAR(back.lat(), 43.7384, 1e-9);
  EXPECT_NEAR(back.lon(), 7.4246, 1e-9);
  EXPECT_EQ(tile_at(project(89.9, 180), 3), (TileId{3, 7, 0}));  // clamped into the world
}

// ---- clipping and simplification ----------------------------------------------------------------

TEST(TileClip, CutsALineThatLeavesAndReentersIntoTwoPieces) {
  // In, out through the right border (x = 10) and back in.
  const std::vector<TileVec> line = {{0, 5}, {20, 5}, {20, 8}, {5, 8}};
  auto pieces = clip_polyline(line, -1, 10);
  ASSERT_EQ(pieces.size(), 2u);
  ASSERT_EQ(pieces[0].size(), 2u);
  EXPECT_DOUBLE_EQ(pieces[0][1].x, 10);
  EXPECT_DOUBLE_EQ(pieces[0][1].y, 5);
  ASSERT_EQ(pieces[1].size(), 2u);
  EXPECT_DOUBLE_EQ(pieces[1][0].x, 10);
  EXPECT_DOUBLE_EQ(pieces[1][0].y, 8);
  EXPECT_DOUBLE_EQ(pieces[1][1].x, 5);
}

TEST(TileClip, KeepsALineInsideAndDropsOneOutside) {
  const std::vector<TileVec> inside = {{1, 1}, {2, 2}, {3, 1}};
  auto kept = clip_polyline(inside, 0, 10);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].size(), 3u);
  const std::vector<TileVec> outside = {{20, 20}, {30, 30}};
  EXPECT_TRUE(clip_polyline(outside, 0, 10).empty());
  // A segment that passes through the box with both ends outside.
  const std::vector<TileVec> through = {{-10, 5}, {20, 5}};
  auto cut = clip_polyline(through, 0, 10);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_DOUBLE_EQ(cut[0][0].x, 0);
  EXPECT_DOUBLE_EQ(cut[0][1].x, 10);
}

TEST(TileSimplify, DropsPointsWithinTheToleranceAndMergesEqualRoundedPoints) {
  const std::vector<TileVec> nearly_straight = {{0, 0}, {10, 0.4}, {20, 0}, {30, 10}};
  auto s = simplify_line(nearly_straight, 1.0);
  EXPECT_EQ(s, (std::vector<TilePoint>{{0, 0}, {20, 0}, {30, 10}}));
  const std::vector<TileVec> tiny = {{5.1, 5.1}, {5.3, 4.9}, {4.8, 5.2}};
  EXPECT_LT(simplify_line(tiny, 1.0).size(), 2u);  // collapses: too small to draw
}

// ---- MVT -----------------------------------------------------------------------------------------

TEST(Mvt, ZigzagAndCommandIntegersFollowTheSpec) {
  EXPECT_EQ(zigzag32(0), 0u);
  EXPECT_EQ(zigzag32(-1), 1u);
  EXPECT_EQ(zigzag32(1), 2u);
  EXPECT_EQ(zigzag32(-2), 3u);
  EXPECT_EQ(zigzag32(2147483647), 4294967294u);
  EXPECT_EQ(zigzag32(-2147483647 - 1), 4294967295u);
  EXPECT_EQ(mvt_command(MvtCommand::kMoveTo, 1), 9u);
  EXPECT_EQ(mvt_command(MvtCommand::kLineTo, 3), 26u);
  EXPECT_EQ(mvt_command(MvtCommand::kClosePath, 1), 15u);
}

TEST(Mvt, EncodesOneLayerWithCommandsPropertiesAndSharedValues) {
  std::vector<TileFeature> features(2);
  features[0].id = 7;
  features[0].name = "Boulevard Albert 1er";
  features[0].road_class = RoadClass::kPrimary;
  features[0].oneway = true;
  features[0].parts = {{{2, 3}, {5, 3}, {5, -1}}, {{100, 100}, {101, 100}}};
  features[1].id = 8;
  features[1].road_class = RoadClass::kPrimary;  // no name: no name tag
  features[1].parts = {{{4100, 4100}, {-60, -60}}};
  const std::string tile = encode_roads_mvt(features);

  auto layers = test::decode_mvt(tile);
  ASSERT_EQ(layers.size(), 1u);
  const test::MvtLayer& layer = layers[0];
  EXPECT_EQ(layer.name, "roads");
  EXPECT_EQ(layer.version, 2u);
  EXPECT_EQ(layer.extent, 4096u);
  ASSERT_EQ(layer.features.size(), 2u);

  const test::MvtFeature& a = layer.features[0];
  EXPECT_EQ(a.id, 7u);
  EXPECT_EQ(a.type, 2u);  // LINESTRING
  // MoveTo(1) +2,+3; LineTo(2) +3,0 0,-4; MoveTo(1) from the cursor (5,-1) to (100,100); LineTo(1).
  EXPECT_EQ(a.raw_geometry, (std::vector<uint32_t>{9, 4, 6, 18, 6, 0, 0, 7, 9, 190, 202, 10, 2, 0}));
  ASSERT_EQ(a.lines.size(), 2u);
  EXPECT_EQ(a.lines[0], (std::vector<test::MvtPoint>{{2, 3}, {5, 3}, {5, -1}}));
  EXPECT_EQ(a.lines[1], (std::vector<test::MvtPoint>{{100, 100}, {101, 100}}));
  EXPECT_EQ(std::get<std::string>(a.properties.at("name")), "Boulevard Albert 1er");
  EXPECT_EQ(std::get<std::string>(a.properties.at("class")), "primary");
  EXPECT_EQ(std::get<bool>(a.properties.at("oneway")), true);

  const test::MvtFeature& b = layer.features[1];
  EXPECT_FALSE(b.properties.contains("name"));
  EXPECT_EQ(std::get<std::string>(b.properties.at("class")), "primary");
  EXPECT_EQ(std::get<bool>(b.properties.at("oneway")), false);
  EXPECT_EQ(b.lines[0], (std::vector<test::MvtPoint>{{4100, 4100}, {-60, -60}}));  // the buffer
}

TEST(Mvt, NoFeaturesIsAnEmptyTile) {
  EXPECT_TRUE(encode_roads_mvt({}).empty());
  EXPECT_TRUE(test::decode_mvt("").empty());
}

}  // namespace
}  // namespace lastmile::map
