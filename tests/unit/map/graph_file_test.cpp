// The .lmgraph file: a round trip, and every way a file can be wrong ends in its own error code.
#include "map/graph_file.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

class GraphFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Progress quiet("test", Progress::Mode::kQuiet);
    path_ = dir_.file("grid.lmgraph");
    auto report = import_map(test::fixture("restrictions.osm"), path_, quiet);
    ASSERT_TRUE(report.ok()) << report.error().message;
    bytes_ = test::read_bytes(path_);
  }
  ErrorCode open_error(const std::string& bytes) {
    const std::string p = dir_.file("bad.lmgraph");
    test::write_bytes(p, bytes);
    auto g = Graph::open(p);
    EXPECT_FALSE(g.ok());
    return g.ok() ? ErrorCode::kIoError : g.error().code;
  }
  test::TempDir dir_;
  std::string path_;
  std::string bytes_;
};

TEST_F(GraphFileTest, RoundTripKeepsEverything) {
  auto g = Graph::open(path_);
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->node_count(), 9u);
  EXPECT_EQ(g->edge_count(), 24u);  // 12 two-way segments
  EXPECT_EQ(g->restriction_count(), 2u);
  EXPECT_EQ(g->name(0), "");
  bool named_sud = false;
  for (uint32_t e = 0; e < g->edge_count(); ++e) named_sud = named_sud || g->name(g->edge(e).name) == "Sud";
  EXPECT_TRUE(named_sud);
  EXPECT_EQ(bytes_.size() % 8, 0u);
  EXPECT_EQ(bytes_.substr(0, 8), std::string("LMGRAPH\0", 8));
}

TEST_F(GraphFileTest, MissingFile) {
  auto g = Graph::open(dir_.file("nope.lmgraph"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::kFileNotFound);
  EXPECT_EQ(code_name(g.error().code), "file_not_found");
}

TEST_F(GraphFileTest, AFolderIsAnIoError) {
  auto g = Graph::open(test::source_dir().string());
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::kIoError);
}

TEST_F(GraphFileTest, EmptyAndShortFilesAreTruncated) {
  EXPECT_EQ(open_error(""), ErrorCode::kTruncated);
  EXPECT_EQ(open_error("LMGR"), ErrorCode::kTruncated);
  EXPECT_EQ(open_error(bytes_.substr(0, 40)), ErrorCode::kTruncated);
}

TEST_F(GraphFileTest, TruncatedFile) {
  for (size_t keep : {size_t{64}, size_t{100}, bytes_.size() / 2, bytes_.size() - 1}) {
    EXPECT_EQ(open_error(bytes_.substr(0, keep)), ErrorCode::kTruncated) << keep;
  }
}

TEST_F(GraphFileTest, GarbageAndOtherFilesAreNotAGraph) {
  EXPECT_EQ(open_error(std::string(4096, '\x5a')), ErrorCode::kNotAGraph);
  EXPECT_EQ(open_error(test::read_bytes(test::fixture("oneway.osm"))), ErrorCode::kNotAGraph);
}

TEST_F(GraphFileTest, WrongVersion) {
  std::string b = bytes_;
  b[8] = static_cast<char>(kGraphFormatVersion + 1);
  EXPECT_EQ(open_error(b), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(code_name(ErrorCode::kUnsupportedVersion), "unsupported_version");
}

// Version 1 files have no road class in the edge flags: refused with the version error, which
// tells the operator to re-import.
TEST_F(GraphFileTest, VersionOneFileFromBeforeRoadClassesIsRefused) {
  ASSERT_EQ(kGraphFormatVersion, 2u);
  std::string b = bytes_;
  b[8] = 1;
  const std::string p = dir_.file("v1.lmgraph");
  test::write_bytes(p, b);
  auto g = Graph::open(p);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupportedVersion);
  EXPECT_NE(g.error().message.find("graph format version 1, this build reads version 2 (re-run import-map)"),
            std::string::npos)
      << g.error().message;
}

TEST_F(GraphFileTest, EveryFlippedPayloadByteIsCaught) {
  for (size_t i = 64; i < bytes_.size(); i += 7) {
    std::string b = bytes_;
    b[i] = static_cast<char>(b[i] ^ 0x40);
    EXPECT_EQ(open_error(b), ErrorCode::kCorrupt) << "byte " << i;
  }
}

TEST_F(GraphFileTest, TrailingBytesAreCorrupt) { EXPECT_EQ(open_error(bytes_ + "xx"), ErrorCode::kCorrupt); }

TEST_F(GraphFileTest, ValidChecksumButBrokenStructureIsCorrupt) {
  // An edge whose target is out of range, with the checksum recomputed: only the structure check
  // can catch it. Edges are section 4 (the fourth entry of the section table).
  std::string b = bytes_;
  uint64_t edges_offset = 0;
  std::memcpy(&edges_offset, b.data() + 64 + 3 * 24 + 8, 8);
  const uint32_t bad_target = 1000;
  std::memcpy(b.data() + edges_offset + 4, &bad_target, 4);
  const uint64_t sum = checksum64({reinterpret_cast<const unsigned char*>(b.data()) + 64, b.size() - 64});
  std::memcpy(b.data() + 24, &sum, 8);
  EXPECT_EQ(open_error(b), ErrorCode::kCorrupt);
}

// Rewrites the checksum after a deliberate change, so that only the structure checks can object.
std::string with_checksum(std::string b) {
  const uint64_t sum = checksum64({reinterpret_cast<const unsigned char*>(b.data()) + 64, b.size() - 64});
  std::memcpy(b.data() + 24, &sum, 8);
  return b;
}

uint64_t section_offset(const std::string& b, int index) {
  uint64_t offset = 0;
  std::memcpy(&offset, b.data() + 64 + index * 24 + 8, 8);
  return offset;
}

TEST_F(GraphFileTest, RoadClassOutOfRangeOrUnknownFlagBitIsCorrupt) {
  // Edge flags are the last u32 of the first edge (section 4).
  const uint64_t flags_at = section_offset(bytes_, 3) + 28;
  for (uint32_t flags : {road_class_flags(static_cast<RoadClass>(kRoadClassCount)), uint32_t{0xFFu << 8},
                         uint32_t{2}, uint32_t{1u << 16}}) {
    std::string b = bytes_;
    std::memcpy(b.data() + flags_at, &flags, 4);
    EXPECT_EQ(open_error(with_checksum(b)), ErrorCode::kCorrupt) << flags;
  }
  // Every class with the small-component bit is valid.
  for (size_t c = 0; c < kRoadClassCount; ++c) {
    std::string b = bytes_;
    const uint32_t flags = road_class_flags(static_cast<RoadClass>(c)) | kEdgeInSmallComponent;
    std::memcpy(b.data() + flags_at, &flags, 4);
    const std::string p = dir_.file("class.lmgraph");
    test::write_bytes(p, with_checksum(b));
    auto g = Graph::open(p);
    ASSERT_TRUE(g.ok()) << g.error().message;
    EXPECT_EQ(edge_road_class(g->edge(0)), static_cast<RoadClass>(c));
  }
}

TEST_F(GraphFileTest, HierarchyArcPointingDownIsCorrupt) {
  auto g = Graph::open(path_);
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(g->has_contraction_hierarchy());
  // Give the first vertex with an up arc the highest rank of all: its arc now points down.
  uint32_t v = 0;
  while (g->ch_up_first()[v + 1] == g->ch_up_first()[v]) ++v;
  std::string b = bytes_;
  const uint32_t top = g->edge_count() + 5;
  std::memcpy(b.data() + section_offset(b, 7) + 4 * v, &top, 4);  // section 8: rank
  EXPECT_EQ(open_error(with_checksum(b)), ErrorCode::kCorrupt);
}

TEST_F(GraphFileTest, GraphWithoutHierarchyOpensAndRoutesWithAStar) {
  auto g = Graph::open(path_);
  ASSERT_TRUE(g.ok());
  GraphData data;
  data.nodes.assign(g->node_count(), {});
  for (uint32_t n = 0; n < g->node_count(); ++n) {
    data.nodes[n] = g->node(n);
    data.osm_node_ids.push_back(g->osm_node_id(n));
  }
  for (uint32_t n = 0; n <= g->node_count(); ++n) data.first_out.push_back(n < g->node_count() ? g->first_out(n) : g->edge_count());
  for (uint32_t e = 0; e < g->edge_count(); ++e) {
    data.edges.push_back(g->edge(e));
    data.edges.back().name = 0;  // no name table in this copy
  }
  const std::string plain = dir_.file("plain.lmgraph");
  ASSERT_TRUE(write_graph(data, plain).ok());
  auto reopened = Graph::open(plain);
  ASSERT_TRUE(reopened.ok()) << (reopened.ok() ? "" : reopened.error().message);
  EXPECT_FALSE(reopened->has_contraction_hierarchy());
  const Router router(*reopened);
  auto r = router.route(test::between(*reopened, 2, 5), test::between(*reopened, 5, 6));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(test::osm_nodes(*reopened, *r), (std::vector<int64_t>{5}));
}

TEST_F(GraphFileTest, WriteToAnUnwritablePlaceFails) {
  GraphData empty;
  empty.first_out = {0};
  auto r = write_graph(empty, dir_.file("no/such/folder/x.lmgraph"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIoError);
}

}  // namespace
}  // namespace lastmile::map
