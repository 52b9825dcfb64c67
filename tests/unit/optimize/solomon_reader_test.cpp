#include "optimize/solomon_reader.hpp"

#include <gtest/gtest.h>

#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

constexpr const char* kTiny =
    "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2         50\n\nCUSTOMER\n"
    "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
    "    0      0         0          0          0       100          0\n"
    "    1      3         4         10          5        50         10\n";

TEST(SolomonReaderTest, ReadsC101) {
  const auto p = test::solomon("C101");
  EXPECT_EQ(p.name, "C101");
  ASSERT_EQ(p.vehicles.size(), 25u);
  EXPECT_EQ(p.vehicles[0].capacity, Amount{200});
  EXPECT_DOUBLE_EQ(p.vehicles[0].shift.end, 1236);
  ASSERT_EQ(p.jobs.size(), 100u);
  EXPECT_EQ(p.jobs[0].id.value, 1);
  EXPECT_EQ(p.jobs[0].delivery, Amount{10});
  EXPECT_DOUBLE_EQ(p.jobs[0].windows[0].start, 912);
  EXPECT_DOUBLE_EQ(p.jobs[0].service, 90);
  EXPECT_EQ(p.matrix.size, 101u);
}

TEST(SolomonReaderTest, EuclideanMatrixWithoutRounding) {
  auto p = read_solomon(kTiny);
  ASSERT_TRUE(p.ok()) << p.error().describe();
  EXPECT_DOUBLE_EQ(p.value().matrix.distance(LocationIndex{0}, LocationIndex{1}), 5.0);
  EXPECT_DOUBLE_EQ(p.value().matrix.duration(LocationIndex{1}, LocationIndex{0}), 5.0);
  EXPECT_EQ(p.value().vehicles.size(), 2u);
}

struct BadCase {
  const char* name;
  std::string text;
  ErrorCode code;
  int line;
};

class SolomonReaderErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(SolomonReaderErrorTest, ReturnsTheCodeAndLine) {
  auto p = read_solomon(GetParam().text);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, GetParam().code) << p.error().describe();
  EXPECT_EQ(p.error().line, GetParam().line) << p.error().describe();
}

std::string tiny_with(const std::string& from, const std::string& to) {
  std::string t = kTiny;
  t.replace(t.find(from), from.size(), to);
  return t;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SolomonReaderErrorTest,
    ::testing::Values(
        BadCase{"empty", "", ErrorCode::kMissingField, 1},
        BadCase{"no_vehicle_section", "X\nCUSTOMER\n0 0 0 0 0 1 0\n", ErrorCode::kMissingField, 0},
        BadCase{"vehicle_line_not_numbers", tiny_with("  2         50", "  two       50"), ErrorCode::kParseError, 5},
        BadCase{"zero_vehicles", tiny_with("  2         50", "  0         50"), ErrorCode::kInvalidValue, 5},
        BadCase{"no_customer_section", tiny_with("CUSTOMER", "CLIENTS"), ErrorCode::kMissingField, 0},
        BadCase{"short_row", tiny_with("    1      3         4         10          5        50         10",
                                       "    1      3         4"), ErrorCode::kParseError, 11},
        BadCase{"not_a_number", tiny_with("         10          5", "         1x          5"), ErrorCode::kParseError, 11},
        BadCase{"fractional_demand", tiny_with("         10          5", "        1.5          5"), ErrorCode::kParseError, 11},
        BadCase{"negative_demand", tiny_with("         10          5", "        -10          5"), ErrorCode::kInvalidValue, 11},
        BadCase{"due_before_ready", tiny_with("        50         10", "         1         10"), ErrorCode::kInvalidValue, 11},
        BadCase{"depot_not_zero", tiny_with("    0      0         0", "    5      0         0"), ErrorCode::kInvalidValue, 10},
        BadCase{"no_depot_row", tiny_with("    0      0         0          0          0       100          0\n"
                                          "    1      3         4         10          5        50         10\n", ""),
                ErrorCode::kMissingField, 0}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace lastmile::optimize
