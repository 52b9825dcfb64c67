// lastmile import-map: OSM in, graph file out; every bad input ends in a stable error code.
#include "map/import_map.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

class ImportMapTest : public ::testing::Test {
 protected:
  Result<ImportReport> import(const std::string& in) {
    Progress quiet("test", Progress::Mode::kQuiet);
    return import_map(in, out_, quiet);
  }
  test::TempDir dir_;
  std::string out_ = dir_.file("out.lmgraph");
};

TEST_F(ImportMapTest, FixtureCounts) {
  auto r = import(test::fixture("restrictions.osm"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->read.nodes, 9u);
  EXPECT_EQ(r->read.ways, 12u);
  EXPECT_EQ(r->read.drivable_ways, 12u);
  EXPECT_EQ(r->read.restrictions, 2u);
  EXPECT_EQ(r->build.restrictions_applied, 2u);
  EXPECT_EQ(r->build.nodes, 9u);
  EXPECT_EQ(r->build.edges, 24u);
  EXPECT_EQ(r->build.names, 5u);  // "" and Sud, Nord, Ouest, Est
  EXPECT_GT(r->file_bytes, 64u);
  EXPECT_TRUE(std::filesystem::exists(out_));
}

TEST_F(ImportMapTest, PrivateAndFootwaysAreLeftOut) {
  auto r = import(test::fixture("access_private.osm"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->read.drivable_ways, 3u);
  EXPECT_EQ(r->build.edges, 6u);
}

TEST_F(ImportMapTest, OnewaysHaveOneEdgeRoundaboutToo) {
  auto r = import(test::fixture("roundabout.osm"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->build.edges, 4u + 3u * 2u);  // four one-way roundabout segments, three two-way arms
}

TEST_F(ImportMapTest, MissingFile) {
  auto r = import(dir_.file("nope.osm.pbf"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFileNotFound);
  EXPECT_FALSE(std::filesystem::exists(out_));
}

TEST_F(ImportMapTest, GarbagePbf) {
  const std::string in = dir_.file("garbage.osm.pbf");
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>((i * 7919) % 251));
  test::write_bytes(in, junk);
  auto r = import(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidOsm);
  EXPECT_EQ(code_name(r.error().code), "invalid_osm");
}

TEST_F(ImportMapTest, GarbageXml) {
  const std::string in = dir_.file("garbage.osm");
  test::write_bytes(in, "<osm><node id=\"1\" lat=\"x\"");
  auto r = import(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidOsm);
}

TEST_F(ImportMapTest, TruncatedPbf) {
  const std::string whole = test::read_bytes(test::monaco_pbf());
  ASSERT_GT(whole.size(), 100000u);
  for (size_t keep : {size_t{10}, size_t{5000}, whole.size() / 2}) {
    const std::string in = dir_.file("cut" + std::to_string(keep) + ".osm.pbf");
    test::write_bytes(in, whole.substr(0, keep));
    auto r = import(in);
    ASSERT_FALSE(r.ok()) << keep;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidOsm) << keep;
  }
}

// Found by osm_import_fuzz: a PBF blob header whose type field is absent. libosmium 2.19 then
// compares the expected type with a null pointer (length 0); the import must end in invalid_osm.
// Under the sanitizer builds this also checks that osm_reader.cpp is built without UBSan's
// nonnull-attribute check (src/CMakeLists.txt), which would abort inside libosmium.
TEST_F(ImportMapTest, RegressionBlobHeaderWithoutTypeIsInvalidOsm) {
  auto r = import(test::fixture("regressions/blob_header_without_type.osm.pbf"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidOsm);
}

TEST_F(ImportMapTest, EmptyFileAndMapWithoutRoads) {
  const std::string in = dir_.file("empty.osm.pbf");
  test::write_bytes(in, "");
  auto empty = import(in);
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.error().code == ErrorCode::kEmptyMap || empty.error().code == ErrorCode::kInvalidOsm)
      << code_name(empty.error().code);
  auto no_roads = import(test::fixture("no_roads.osm"));
  ASSERT_FALSE(no_roads.ok());
  EXPECT_EQ(no_roads.error().code, ErrorCode::kEmptyMap);
  EXPECT_EQ(code_name(no_roads.error().code), "empty_map");
  EXPECT_FALSE(std::filesystem::exists(out_));
}

TEST_F(ImportMapTest, UnknownFormat) {
  const std::string in = dir_.file("roads.txt");
  test::write_bytes(in, "not a map");
  auto r = import(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidOsm);
}

TEST_F(ImportMapTest, CommandEndToEnd) {
  EXPECT_EQ(import_map_command(test::fixture("oneway.osm"), out_), 0);
  auto g = Graph::open(out_);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->node_count(), 4u);
  EXPECT_EQ(import_map_command(dir_.file("nope.osm"), dir_.file("x.lmgraph")), 1);
}

}  // namespace
}  // namespace lastmile::map
