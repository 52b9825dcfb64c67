// POST /v1/optimize's drivers[i].breaks: what is read, and every refusal with its code and field.
#include "api/plan_breaks.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

namespace json = boost::json;
using core::ErrorCode;

core::Timestamp at(const char* iso) { return *core::parse_iso8601(iso); }

core::Result<std::vector<PlanBreak>> parse(std::string_view text) {
  return parse_breaks(json::parse(text).as_array(), "drivers[0].breaks", at("2026-11-23T08:00:00Z"),
                      at("2026-11-23T14:00:00Z"));
}

void expect_error(const core::Result<std::vector<PlanBreak>>& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

TEST(PlanBreaksTest, ReadsIdDurationAndWindows) {
  const auto r = parse(R"([{"id":"lunch","duration_s":1800,"windows":[
      {"start":"2026-11-23T11:00:00Z","end":"2026-11-23T11:30:00Z"},
      {"start":"2026-11-23T12:00:00Z","end":"2026-11-23T13:00:00Z"}]},
    {"id":"coffee","duration_s":600,"windows":[{"start":"2026-11-23T07:00:00Z","end":"2026-11-23T09:00:00Z"}]}])");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].id, "lunch");
  EXPECT_EQ((*r)[0].duration_s, 1800);
  ASSERT_EQ((*r)[0].windows.size(), 2u);
  EXPECT_EQ((*r)[0].windows[1].start.ms, at("2026-11-23T12:00:00Z").ms);
  EXPECT_EQ((*r)[0].windows[1].end.ms, at("2026-11-23T13:00:00Z").ms);
  EXPECT_EQ((*r)[1].id, "coffee");  // a window starting before the shift is fine while it overlaps it
  EXPECT_TRUE(parse("[]").ok());
}

TEST(PlanBreaksTest, BadBreaksHaveStableCodesAndFields) {
  const std::string w = R"({"start":"2026-11-23T11:00:00Z","end":"2026-11-23T12:00:00Z"})";
  const std::string one = R"({"id":"b","duration_s":60,"windows":[)" + w + "]}";
  expect_error(parse("[" + one + "," + one + "," + one + "," + one + "]"), ErrorCode::kTooLarge, "drivers[0].breaks");
  expect_error(parse(R"([{"id":"b","duration_s":60,"windows":[)" + w + "," + w + "," + w + "," + w + "," + w + "]}]"),
               ErrorCode::kTooLarge, "drivers[0].breaks[0].windows");
  expect_error(parse(R"(["lunch"])"), ErrorCode::kWrongType, "drivers[0].breaks[0]");
  expect_error(parse(R"([{"duration_s":60,"windows":[)" + w + "]}]"), ErrorCode::kMissingField,
               "drivers[0].breaks[0].id");
  expect_error(parse(R"([{"id":"","duration_s":60,"windows":[)" + w + "]}]"), ErrorCode::kInvalidField,
               "drivers[0].breaks[0].id");
  expect_error(parse(R"([{"id":"b","windows":[)" + w + "]}]"), ErrorCode::kMissingField,
               "drivers[0].breaks[0].duration_s");
  expect_error(parse(R"([{"id":"b","duration_s":0,"windows":[)" + w + "]}]"), ErrorCode::kInvalidField,
               "drivers[0].breaks[0].duration_s");
  expect_error(parse(R"([{"id":"b","duration_s":60}])"), ErrorCode::kMissingField, "drivers[0].breaks[0].windows");
  expect_error(parse(R"([{"id":"b","duration_s":60,"windows":[]}])"), ErrorCode::kInvalidField,
               "drivers[0].breaks[0].windows");
  expect_error(parse(R"([{"id":"b","duration_s":60,"windows":[{"start":"2026-11-23T12:00:00Z","end":"2026-11-23T11:00:00Z"}]}])"),
               ErrorCode::kInvalidField, "drivers[0].breaks[0].windows[0].end");
  expect_error(parse(R"([{"id":"b","duration_s":60,"windows":[{"start":"noon","end":"2026-11-23T11:00:00Z"}]}])"),
               ErrorCode::kInvalidField, "drivers[0].breaks[0].windows[0].start");
  expect_error(parse(R"([{"id":"b","duration_s":60,"windows":[{"start":"2026-11-23T14:00:00Z","end":"2026-11-23T15:00:00Z"}]}])"),
               ErrorCode::kInvalidField, "drivers[0].breaks[0].windows[0]");  // from the shift's end on
  expect_error(parse(R"([{"id":"b","duration_s":60,"windows":[)" + w +
                     R"(,{"start":"2026-11-23T11:59:00Z","end":"2026-11-23T13:00:00Z"}]}])"),
               ErrorCode::kInvalidField, "drivers[0].breaks[0].windows[1].start");
  expect_error(parse("[" + one + "," + one + "]"), ErrorCode::kInvalidField, "drivers[0].breaks[1].id");
}

}  // namespace
}  // namespace lastmile::api
