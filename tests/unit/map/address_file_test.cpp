// The address file next to a graph: round trip, and every way a file can be refused.
#include "map/address_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST(AddressFileTest, RoundTripKeepsEveryFieldAndCleansTabs) {
  test::TempDir dir;
  AddressData d;
  d.points = {{"12bis", "Avenue\tPrincesse Grace", "98000", "Monaco", {437452000, 74352000}},
              {"3", "Rue Grimaldi", "", "", {-437340000, -74200000}}};
  d.streets = {{"Boulevard du Larvotto", {437480000, 74380000}}};
  const std::string path = dir.file("x.addresses");
  ASSERT_TRUE(write_address_file(d, path).ok());
  auto back = read_address_file(path);
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->points.size(), 2u);
  EXPECT_EQ(back->points[0].street, "Avenue Princesse Grace");
  EXPECT_EQ(back->points[0].house_number, "12bis");
  EXPECT_EQ(back->points[1].at.lat_e7, -437340000);
  ASSERT_EQ(back->streets.size(), 1u);
  EXPECT_EQ(back->streets[0].name, "Boulevard du Larvotto");
  EXPECT_EQ(address_file_path("/a/monaco.lmgraph"), "/a/monaco.lmgraph.addresses");
}

TEST(AddressFileTest, BadFilesAreRefusedWithTheirCode) {
  test::TempDir dir;
  const std::string path = dir.file("bad.addresses");
  EXPECT_EQ(read_address_file(dir.file("missing")).error().code, ErrorCode::kFileNotFound);
  write_text(path, "LMGRAPH\n");
  EXPECT_EQ(read_address_file(path).error().code, ErrorCode::kNotAGraph);
  write_text(path, "lastmile-addresses 9\nend 0 0\n");
  EXPECT_EQ(read_address_file(path).error().code, ErrorCode::kUnsupportedVersion);
  write_text(path, "lastmile-addresses 1\nA\t1\tRue\t\t\t1\t2\n");  // cut: no end line
  EXPECT_EQ(read_address_file(path).error().code, ErrorCode::kCorrupt);
  write_text(path, "lastmile-addresses 1\nA\t1\tRue\t\t\t1\t2\nend 2 0\n");  // counts differ
  EXPECT_EQ(read_address_file(path).error().code, ErrorCode::kCorrupt);
  write_text(path, "lastmile-addresses 1\nA\t1\tRue\t\t1\t2\nend 1 0\n");  // a field missing
  EXPECT_EQ(read_address_file(path).error().code, ErrorCode::kCorrupt);
  write_text(path, "lastmile-addresses 1\nS\tRue\t950000000\t2\nend 0 1\n");  // latitude out of range
  EXPECT_EQ(read_address_file(path).error().code, ErrorCode::kCorrupt);
  write_text(path, "lastmile-addresses 1\nS\tRue\t1x\t2\nend 0 1\n");
  auto e = read_address_file(path);
  EXPECT_EQ(e.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(e.error().message.find(":2:"), std::string::npos) << e.error().message;
  write_text(path, "lastmile-addresses 1\nend 0 0\nA\t1\tRue\t\t\t1\t2\n");
  EXPECT_EQ(read_address_file(path).error().code, ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace lastmile::map
