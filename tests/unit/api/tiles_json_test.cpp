// The basemap's JSON documents: a tile's GeoJSON (tile units back to WGS84), TileJSON 3.0.0 and the
// MapLibre style, with and without a raster template and a map.
#include "api/tiles_json.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

namespace json = boost::json;

TEST(TileGeoJson, ConvertsTileUnitsToLonLatAndSplitsPiecesIntoAMultiLine) {
  std::vector<map::TileFeature> features(2);
  features[0].id = 3;
  features[0].name = "Avenue de la Costa";
  features[0].road_class = map::RoadClass::kSecondary;
  features[0].oneway = true;
  features[0].parts = {{{0, 0}, {4096, 4096}}};
  features[1].id = 4;
  features[1].parts = {{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}}};
  // Tile 1/1/0: the north-east quarter of the world, from (0°, 85.05°) to (180°, 0°).
  auto doc = json::parse(tile_geojson(features, map::TileId{1, 1, 0})).as_object();
  EXPECT_EQ(doc.at("type").as_string(), "FeatureCollection");
  const auto& list = doc.at("features").as_array();
  ASSERT_EQ(list.size(), 2u);
  const auto& a = list[0].as_object();
  EXPECT_EQ(a.at("id").to_number<int>(), 3);
  EXPECT_EQ(a.at("geometry").at("type").as_string(), "LineString");
  const auto& line = a.at("geometry").at("coordinates").as_array();
  EXPECT_NEAR(line[0].at(0).to_number<double>(), 0, 1e-7);
  EXPECT_NEAR(line[0].at(1).to_number<double>(), 85.0511288, 1e-7);
  EXPECT_NEAR(line[1].at(0).to_number<double>(), 180, 1e-7);
  EXPECT_NEAR(line[1].at(1).to_number<double>(), 0, 1e-7);
  EXPECT_EQ(a.at("properties").at("name").as_string(), "Avenue de la Costa");
  EXPECT_EQ(a.at("properties").at("class").as_string(), "secondary");
  EXPECT_EQ(a.at("properties").at("oneway").as_bool(), true);
  const auto& b = list[1].as_object();
  EXPECT_EQ(b.at("geometry").at("type").as_string(), "MultiLineString");
  EXPECT_EQ(b.at("geometry").at("coordinates").as_array().size(), 2u);
  EXPECT_FALSE(b.at("properties").as_object().contains("name"));
  EXPECT_EQ(b.at("properties").at("class").as_string(), "unknown");
}

BasemapOptions monaco(std::string raster = "") {
  BasemapOptions o;
  o.public_url = "https://track.example";
  o.raster_tiles_url = std::move(raster);
  o.bounds = map::MapBounds{7.40, 43.72, 7.44, 43.75};
  return o;
}

TEST(TileJson, DescribesTheVectorTilesAtThePublicUrl) {
  auto doc = json::parse(tilejson(monaco())).as_object();
  EXPECT_EQ(doc.at("tilejson").as_string(), "3.0.0");
  EXPECT_EQ(doc.at("tiles").at(0).as_string(), "https://track.example/v1/tiles/{z}/{x}/{y}.mvt");
  EXPECT_EQ(doc.at("minzoom").to_number<int>(), 12);
  EXPECT_EQ(doc.at("maxzoom").to_number<int>(), 18);
  EXPECT_EQ(doc.at("bounds").as_array(), (json::array{7.40, 43.72, 7.44, 43.75}));
  EXPECT_EQ(doc.at("attribution").as_string(), "© OpenStreetMap contributors");
  EXPECT_EQ(doc.at("vector_layers").at(0).at("id").as_string(), "roads");
  EXPECT_FALSE(doc.contains("raster_tiles"));
  auto with_raster = json::parse(tilejson(monaco("https://t.example/{z}/{x}/{y}.png"))).as_object();
  EXPECT_EQ(with_raster.at("raster_tiles").at(0).as_string(), "https://t.example/{z}/{x}/{y}.png");
}

const json::object& layer(const json::object& style, std::string_view id) {
  for (const auto& l : style.at("layers").as_array())
    if (l.at("id").as_string() == id) return l.as_object();
  static const json::object none;
  ADD_FAILURE() << "no layer " << id;
  return none;
}

TEST(MapStyle, DrawsRoadsByClassWithTheRasterHiddenBehindThem) {
  auto style = json::parse(map_style(monaco("https://t.example/{z}/{x}/{y}.png"))).as_object();
  EXPECT_EQ(style.at("version").to_number<int>(), 8);
  EXPECT_EQ(style.at("sources").at("roads").at("url").as_string(), "https://track.example/v1/tiles.json");
  EXPECT_EQ(style.at("layers").at(0).at("type").as_string(), "background");
  EXPECT_EQ(layer(style, "raster").at("layout").at("visibility").as_string(), "none");
  EXPECT_EQ(layer(style, "roads").at("source-layer").as_string(), "roads");
  EXPECT_FALSE(style.contains("glyphs"));
  // The colour depends on the class.
  const auto& colour = layer(style, "roads").at("paint").at("line-color").as_array();
  EXPECT_EQ(colour.at(0).as_string(), "match");
}

TEST(MapStyle, WithoutAMapShowsTheRasterOnly) {
  BasemapOptions o = monaco("https://t.example/{z}/{x}/{y}.png");
  o.bounds.reset();
  auto style = json::parse(map_style(o)).as_object();
  EXPECT_FALSE(style.at("sources").as_object().contains("roads"));
  EXPECT_EQ(layer(style, "raster").at("layout").at("visibility").as_string(), "visible");
}

}  // namespace
}  // namespace lastmile::api
