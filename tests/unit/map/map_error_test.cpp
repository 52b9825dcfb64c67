// The module's error codes are part of the CLI (and later HTTP) contract: names never change.
#include "map/map_error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

namespace lastmile::map {
namespace {

TEST(MapErrorCode, PublishedNamesAreStableAndDistinct) {
  const std::vector<std::pair<ErrorCode, std::string_view>> names = {
      {ErrorCode::kFileNotFound, "file_not_found"},   {ErrorCode::kIoError, "io_error"},
      {ErrorCode::kInvalidOsm, "invalid_osm"},        {ErrorCode::kEmptyMap, "empty_map"},
      {ErrorCode::kNotAGraph, "not_a_graph"},         {ErrorCode::kUnsupportedVersion, "unsupported_version"},
      {ErrorCode::kTruncated, "truncated"},           {ErrorCode::kCorrupt, "corrupt"},
      {ErrorCode::kOutsideMap, "outside_map"},        {ErrorCode::kNoRoute, "no_route"},
  };
  std::set<std::string_view> seen;
  for (const auto& [code, name] : names) {
    EXPECT_EQ(code_name(code), name);
    EXPECT_TRUE(seen.insert(name).second) << name;
  }
}

}  // namespace
}  // namespace lastmile::map
