// Drivers' breaks: POST /v1/optimize's drivers[i].breaks and POST /v1/routes's breaks (what is read,
// and every refusal with its code and field), and the breaks a day plan's route stores.
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

template <typename T>
void expect_error(const core::Result<T>& r, ErrorCode code, std::string_view field) {
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

core::Result<std::vector<domain::RouteBreak>> parse_route(std::string_view text) {
  return parse_route_breaks(json::parse(text).as_array(), "breaks", 3);
}

TEST(RouteBreaksTest, ReadsIdPlaceDurationAndOptionalWindow) {
  const auto r = parse_route(R"([{"id":"coffee","after_stops":0,"duration_s":600},
    {"id":"lunch","after_stops":2,"duration_s":1800,"window":{"start":"2026-11-23T12:00:00Z","end":"2026-11-23T13:00:00Z"}},
    {"id":"end","after_stops":3,"duration_s":60,"window":null}])");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].id, "coffee");
  EXPECT_EQ((*r)[0].after_stops, 0);
  EXPECT_EQ((*r)[0].duration_s, 600);
  EXPECT_FALSE((*r)[0].window.has_value());
  EXPECT_EQ((*r)[1].after_stops, 2);
  ASSERT_TRUE((*r)[1].window.has_value());
  EXPECT_EQ((*r)[1].window->start.ms, at("2026-11-23T12:00:00Z").ms);
  EXPECT_EQ((*r)[1].window->end.ms, at("2026-11-23T13:00:00Z").ms);
  EXPECT_EQ((*r)[2].after_stops, 3);  // after the last stop
  EXPECT_FALSE((*r)[2].window.has_value());

  const auto out = route_breaks_json(*r);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].as_object().at("window").as_object().at("start").as_string(), "2026-11-23T12:00:00.000Z");
  EXPECT_TRUE(out[0].as_object().at("window").is_null());
  EXPECT_EQ(out[1].as_object().at("after_stops").as_int64(), 2);
}

TEST(RouteBreaksTest, BadRouteBreaksHaveStableCodesAndFields) {
  const std::string one = R"({"id":"b","after_stops":1,"duration_s":60})";
  expect_error(parse_route("[" + one + "," + one + "," + one + "," + one + "]"), ErrorCode::kTooLarge, "breaks");
  expect_error(parse_route(R"([7])"), ErrorCode::kWrongType, "breaks[0]");
  expect_error(parse_route(R"([{"after_stops":1,"duration_s":60}])"), ErrorCode::kMissingField, "breaks[0].id");
  expect_error(parse_route(R"([{"id":"b","duration_s":60}])"), ErrorCode::kMissingField, "breaks[0].after_stops");
  expect_error(parse_route(R"([{"id":"b","after_stops":4,"duration_s":60}])"), ErrorCode::kInvalidField,
               "breaks[0].after_stops");  // the route has 3 stops
  expect_error(parse_route(R"([{"id":"b","after_stops":-1,"duration_s":60}])"), ErrorCode::kInvalidField,
               "breaks[0].after_stops");
  expect_error(parse_route(R"([{"id":"b","after_stops":"1","duration_s":60}])"), ErrorCode::kWrongType,
               "breaks[0].after_stops");
  expect_error(parse_route(R"([{"id":"b","after_stops":1,"duration_s":43201}])"), ErrorCode::kInvalidField,
               "breaks[0].duration_s");
  expect_error(parse_route(R"([{"id":"b","after_stops":1,"duration_s":60,"window":[]}])"), ErrorCode::kWrongType,
               "breaks[0].window");
  expect_error(parse_route(R"([{"id":"b","after_stops":1,"duration_s":60,"window":{"end":"2026-11-23T13:00:00Z"}}])"),
               ErrorCode::kMissingField, "breaks[0].window.start");
  expect_error(parse_route(R"([{"id":"b","after_stops":1,"duration_s":60,)"
                           R"("window":{"start":"2026-11-23T13:00:00Z","end":"2026-11-23T13:00:00Z"}}])"),
               ErrorCode::kInvalidField, "breaks[0].window.end");
  expect_error(parse_route("[" + one + "," + one + "]"), ErrorCode::kInvalidField, "breaks[1].id");
  expect_error(parse_route(R"([{"id":"a","after_stops":2,"duration_s":60},{"id":"b","after_stops":1,"duration_s":60}])"),
               ErrorCode::kInvalidField, "breaks[1].after_stops");
}

TEST(RouteBreaksTest, APlannedRouteStoresEachBreakWithTheWindowItStartsIn) {
  PlanDriver d;
  d.breaks.push_back({"lunch", 1800,
                      {{at("2026-11-23T11:00:00Z"), at("2026-11-23T11:30:00Z")},
                       {at("2026-11-23T12:00:00Z"), at("2026-11-23T13:00:00Z")}}});
  PlannedRoute route;
  PlannedBreak b;
  b.brk = 0;
  b.after_stops = 2;
  b.start_at = at("2026-11-23T12:10:00Z");
  b.end_at = at("2026-11-23T12:40:00Z");
  route.breaks.push_back(b);
  const auto stored = route_breaks(d, route);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].id, "lunch");
  EXPECT_EQ(stored[0].after_stops, 2);
  EXPECT_EQ(stored[0].duration_s, 1800);
  ASSERT_TRUE(stored[0].window.has_value());
  EXPECT_EQ(stored[0].window->start.ms, at("2026-11-23T12:00:00Z").ms);
  EXPECT_EQ(stored[0].window->end.ms, at("2026-11-23T13:00:00Z").ms);
}

}  // namespace
}  // namespace lastmile::api
