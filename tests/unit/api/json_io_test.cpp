// Request-body reading (JsonReader) and response writing (to_json).
#include "api/json_io.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

namespace json = boost::json;
using core::ErrorCode;

TEST(ToJson, WritesCoordinatesAsPeopleWriteThem) {
  EXPECT_EQ(to_json(json::object{{"lat", 43.7384}, {"lon", 7.4246}}), R"({"lat":43.7384,"lon":7.4246})");
  EXPECT_EQ(to_json(json::value(1.0)), "1");
  EXPECT_EQ(to_json(json::value(-0.5)), "-0.5");
  EXPECT_EQ(to_json(json::value(1e21)), "1e+21");
}

TEST(ToJson, RoundTripsEveryKindAndEscapesStrings) {
  json::value v = json::object{{"s", "quote\" backslash\\ newline\n tab\t ctl\x01 é"},
                               {"i", -42},
                               {"u", 18446744073709551615ull},
                               {"b", true},
                               {"n", nullptr},
                               {"a", json::array{1, 2.5, "x", json::object{}}}};
  auto text = to_json(v);
  EXPECT_EQ(json::parse(text), v);
  EXPECT_NE(text.find(R"(\")"), std::string::npos);
  EXPECT_NE(text.find(R"(\u0001)"), std::string::npos);
}

TEST(JsonReader, ReportsTheFirstProblemWithItsPath) {
  auto obj = json::parse(R"({"a":{"b":"x","c":5}})").as_object();
  JsonReader top(obj);
  const json::object* a = top.object("a", true);
  ASSERT_NE(a, nullptr);
  JsonReader r(*a, "a");
  r.string("c");                             // wrong type: the first problem
  r.string("missing", {.required = true});   // ignored: a problem is already recorded
  ASSERT_TRUE(r.error());
  EXPECT_EQ(r.error()->code, ErrorCode::kWrongType);
  EXPECT_EQ(r.error()->field, "a.c");
}

TEST(JsonReader, NumbersRespectTheirRange) {
  auto obj = json::parse(R"({"n":1e400,"k":3.5,"big":1e30})").as_object();
  // 1e400 does not fit a double: Boost.JSON refuses it at parse time only in strict mode, so check range.
  JsonReader r(obj);
  EXPECT_FALSE(r.integer("k", 0, 10));
  EXPECT_EQ(r.error()->code, ErrorCode::kWrongType);
  JsonReader r2(obj);
  EXPECT_FALSE(r2.number("big", 0, 1e6));
  EXPECT_EQ(r2.error()->code, ErrorCode::kInvalidField);
  EXPECT_EQ(r2.error()->field, "big");
}

TEST(JsonReader, NullCountsAsAbsent) {
  auto obj = json::parse(R"({"name":null})").as_object();
  JsonReader r(obj);
  EXPECT_EQ(r.string("name"), "");
  EXPECT_FALSE(r.error());
  JsonReader r2(obj);
  r2.string("name", {.required = true});
  EXPECT_EQ(r2.error()->code, ErrorCode::kMissingField);
}

TEST(ParseObject, EmptyBodyIsAnEmptyObjectAndScalarsAreRefused) {
  EXPECT_TRUE(parse_object("").ok());
  EXPECT_EQ(parse_object("42").error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(parse_object("{\"a\":").error().code, ErrorCode::kInvalidJson);
}

}  // namespace
}  // namespace lastmile::api
