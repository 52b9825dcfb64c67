#include "eta/history_trace.hpp"

#include <gtest/gtest.h>

#include "trace_data.hpp"

namespace lastmile::eta {
namespace {

using core::ErrorCode;

core::Error error_of(const std::string& json) {
  auto r = parse_barefoot_trace(json);
  EXPECT_FALSE(r.ok());
  return r.ok() ? core::Error::internal() : r.error();
}

TEST(BarefootTrace, ReadsPointsAndLocalTimes) {
  auto r = parse_barefoot_trace(
      R"j([{"point":"POINT(11.5643 48.1635)","time":"2014-09-10 06:54:07+0200","id":"\\x0001"},)j"
      R"j({"point":"POINT(11.5642 48.1636)","time":"2014-09-10 06:54:08+02:00"}])j");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_DOUBLE_EQ((*r)[0].where.lat(), 48.1635);
  EXPECT_DOUBLE_EQ((*r)[0].where.lon(), 11.5643);
  EXPECT_EQ(core::format_iso8601((*r)[0].time), "2014-09-10T04:54:07.000Z");
  EXPECT_EQ((*r)[1].time.ms - (*r)[0].time.ms, 1000);
  EXPECT_TRUE(parse_barefoot_trace("[]")->empty());
}

TEST(BarefootTrace, ErrorsNameTheElementAndField) {
  EXPECT_EQ(error_of("[{").code, ErrorCode::kInvalidJson);
  EXPECT_EQ(error_of("{}").code, ErrorCode::kWrongType);
  auto e = error_of("[1]");
  EXPECT_EQ(e.code, ErrorCode::kWrongType);
  EXPECT_EQ(e.field, "[0]");
  e = error_of(R"j([{"time":"2014-09-10 06:54:07+0200"}])j");
  EXPECT_EQ(e.code, ErrorCode::kMissingField);
  EXPECT_EQ(e.field, "[0].point");
  e = error_of(R"j([{"point":"POINT(1 2)"}])j");
  EXPECT_EQ(e.code, ErrorCode::kMissingField);
  EXPECT_EQ(e.field, "[0].time");
  e = error_of(R"j([{"point":5,"time":"2014-09-10 06:54:07+0200"}])j");
  EXPECT_EQ(e.code, ErrorCode::kWrongType);
  EXPECT_EQ(e.field, "[0].point");
  e = error_of(R"j([{"point":"POINT(1 2)","time":7}])j");
  EXPECT_EQ(e.code, ErrorCode::kWrongType);
  EXPECT_EQ(e.field, "[0].time");
  for (const char* bad : {"POINT(1)", "POINT(x 2)", "LINESTRING(1 2)", "POINT(1 2", "POINT(200 2)", "POINT(1 95)"}) {
    e = error_of(std::string(R"j([{"point":")j") + bad + R"j(","time":"2014-09-10 06:54:07+0200"}])j");
    EXPECT_EQ(e.code, ErrorCode::kInvalidField) << bad;
    EXPECT_EQ(e.field, "[0].point") << bad;
  }
  e = error_of(R"j([{"point":"POINT(1 2)","time":"10.09.2014 06:54"}])j");
  EXPECT_EQ(e.code, ErrorCode::kInvalidField);
  EXPECT_EQ(e.field, "[0].time");
  e = error_of(R"j([{"point":"POINT(1 2)","time":"2014-09-10 06:54:07+0200"},)j"
               R"j({"point":"POINT(1 2)","time":"2014-09-10 06:54:06+0200"}])j");
  EXPECT_EQ(e.code, ErrorCode::kInvalidField);
  EXPECT_EQ(e.field, "[1].time");
}

TEST(BarefootTrace, ReadsTheRealMunichTrip) {
  const std::string json = test::read_trace(test::kMunichJson);
  ASSERT_FALSE(json.empty()) << "missing " << test::kMunichJson;
  auto r = parse_barefoot_trace(json);
  ASSERT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
  ASSERT_EQ(r->size(), 1194u);
  EXPECT_EQ(core::format_iso8601(r->front().time), "2014-09-10T04:54:07.000Z");
  EXPECT_EQ(core::format_iso8601(r->back().time), "2014-09-10T05:14:02.000Z");
}

}  // namespace
}  // namespace lastmile::eta
