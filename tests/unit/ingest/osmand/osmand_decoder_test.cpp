// Replays the request formats of OsmAnd / Traccar Client (query string, form body, JSON body of
// Traccar Client 9+) through the decoder, and walks every error path with its code and field.
#include "ingest/protocols/osmand/osmand_decoder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace lastmile::ingest::osmand {
namespace {

using core::ErrorCode;
using core::Timestamp;

constexpr Timestamp kNow{1700000000000};
constexpr std::string_view kForm = "application/x-www-form-urlencoded";
constexpr std::string_view kJson = "application/json";

core::Result<UnsafePing> query(std::string_view q, Options options = {}) {
  return decode(q, "", "", kNow, options);
}

void expect_error(const core::Result<UnsafePing>& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok()) << "expected " << core::code_name(code);
  EXPECT_EQ(r.error().code, code) << core::code_name(r.error().code) << ": " << r.error().message;
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

using Attributes = std::vector<std::pair<std::string, std::string>>;

// ---- form variant: real requests ------------------------------------------------------------

TEST(OsmandDecoder, TraccarClientQuery) {
  auto r = query("id=123456&timestamp=1377177267&lat=44.506477&lon=-89.302635&speed=0.0&bearing=0.0"
                 "&altitude=0.0&accuracy=0.0&batt=100");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->device_id, "123456");
  EXPECT_EQ(r->device_secret, "");
  EXPECT_EQ(r->t.ms, 1377177267000);
  EXPECT_DOUBLE_EQ(r->position.lat, 44.506477);
  EXPECT_DOUBLE_EQ(r->position.lon, -89.302635);
  EXPECT_EQ(r->speed_mps, 0.0);
  EXPECT_EQ(r->heading_deg, 0.0);
  EXPECT_EQ(r->altitude_m, 0.0);
  EXPECT_EQ(r->accuracy_m, 0.0);
  EXPECT_EQ(r->battery_pct, 100.0);
  EXPECT_FALSE(r->charging);
  EXPECT_FALSE(r->valid);
  EXPECT_TRUE(r->attributes.empty());
}

TEST(OsmandDecoder, AllMappedKeys) {
  auto r = query("id=abc&lat=1.5&lon=2.5&heading=270&charge=true&valid=0&token=s3cret&batt=42.5");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->heading_deg, 270.0);
  EXPECT_EQ(r->charging, true);
  EXPECT_EQ(r->valid, false);
  EXPECT_EQ(r->device_secret, "s3cret");
  EXPECT_EQ(r->battery_pct, 42.5);
  EXPECT_EQ(r->t, kNow);  // no timestamp: the server time
}

TEST(OsmandDecoder, BooleanForms) {
  for (auto [text, want] : std::vector<std::pair<std::string, bool>>{
           {"true", true}, {"TRUE", true}, {"1", true}, {"false", false}, {"False", false}, {"0", false}}) {
    auto r = query("id=1&lat=0&lon=0&valid=" + text + "&charge=" + text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r->valid, want) << text;
    EXPECT_EQ(r->charging, want) << text;
  }
}

TEST(OsmandDecoder, DeviceIdAlias) {
  auto r = query("deviceid=902064&lat=42.06288&lon=-88.23412");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->device_id, "902064");
}

TEST(OsmandDecoder, LocationPair) {
  auto r = query("id=1&location=52.52,13.405");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->position.lat, 52.52);
  EXPECT_DOUBLE_EQ(r->position.lon, 13.405);
  auto encoded = query("id=1&location=52.52%2C13.405");
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  EXPECT_DOUBLE_EQ(encoded->position.lon, 13.405);
}

TEST(OsmandDecoder, SpeedInKnotsByDefault) {
  auto r = query("id=1&lat=0&lon=0&speed=10");
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(*r->speed_mps, 5.14444, 1e-9);
  auto mps = query("id=1&lat=0&lon=0&speed=10", Options{.speed_in_knots = false});
  ASSERT_TRUE(mps.ok());
  EXPECT_EQ(mps->speed_mps, 10.0);
}

TEST(OsmandDecoder, TimestampSeconds) {
  auto r = query("id=1&lat=0&lon=0&timestamp=1377177267");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->t.ms, 1377177267000);
}

TEST(OsmandDecoder, TimestampMilliseconds) {
  auto r = query("id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579&hdop=6.0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->t.ms, 1442068686579);
}

TEST(OsmandDecoder, TimestampIso8601Encoded) {
  auto r = query("id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->t, core::parse_iso8601("2016-01-27T18:55:47Z"));
  auto offset = query("id=1&lat=0&lon=0&timestamp=2016-01-27T20:55:47.250%2B02:00");
  ASSERT_TRUE(offset.ok()) << offset.error().message;
  EXPECT_EQ(offset->t.ms, core::parse_iso8601("2016-01-27T18:55:47Z")->ms + 250);
}

TEST(OsmandDecoder, TimestampDateTimeUtc) {
  const auto want = core::parse_iso8601("2016-01-27T18:55:47Z");
  for (std::string_view ts : {"2016-01-27%2018:55:47", "2016-01-27+18:55:47", "2016-01-27%2018%3A55%3A47"}) {
    auto r = query("id=1&lat=0&lon=0&timestamp=" + std::string(ts));
    ASSERT_TRUE(r.ok()) << ts << ": " << r.error().message;
    EXPECT_EQ(r->t, want) << ts;
  }
}

TEST(OsmandDecoder, UnknownKeysKeptInOrder) {
  auto r = query("id=1&hdop=6.0&lat=0&cell=257%2C02%2C16%2C2224&lon=0&driverUniqueId=x+y&flag");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->attributes, (Attributes{{"hdop", "6.0"}, {"cell", "257,02,16,2224"},
                                       {"driverUniqueId", "x y"}, {"flag", ""}}));
}

TEST(OsmandDecoder, FormBodyMergedWithQuery) {
  auto r = decode("id=777&token=abc", "application/x-www-form-urlencoded; charset=UTF-8",
                  "lat=44.5&lon=-89.3&timestamp=1377177267&speed=1&extra=1", kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->device_id, "777");
  EXPECT_EQ(r->device_secret, "abc");
  EXPECT_EQ(r->position.lat, 44.5);
  EXPECT_EQ(r->t.ms, 1377177267000);
  EXPECT_EQ(r->attributes, (Attributes{{"extra", "1"}}));
}

TEST(OsmandDecoder, FormBodyOnly) {
  auto r = decode("", kForm, "id=123456&timestamp=1377177267&lat=44.506477&lon=-89.302635", kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->device_id, "123456");
}

TEST(OsmandDecoder, BodyIgnoredUnlessForm) {
  auto r = decode("id=1&lat=1&lon=2", "text/plain", "lat=9&garbage%zz", kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->position.lat, 1.0);
}

TEST(OsmandDecoder, LastRepeatedKeyWins) {
  auto r = decode("id=1&lat=1&lon=2", kForm, "lat=3", kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->position.lat, 3.0);
}

// Inputs are views, not C strings: a query that is a prefix of a longer buffer decodes only the prefix.
// (The fuzzer found Boost.URL 1.81 parse_query reading past a view's end up to a NUL, boostorg/url#946;
// the overread itself shows only under ASan, so the fuzz build is its real regression test.)
TEST(OsmandDecoder, QueryViewNotNulTerminated) {
  const std::string buffer = "id=1&lat=1&lon=2&lat=5&id=2";
  std::string_view prefix = std::string_view(buffer).substr(0, 16);
  auto r = decode(prefix, kForm, std::string_view(buffer).substr(0, 0), kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->device_id, "1");
  EXPECT_EQ(r->position.lat, 1.0);
  auto body = decode("", kForm, prefix, kNow);
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(body->position.lat, 1.0);
}

// ---- form variant: errors -------------------------------------------------------------------

TEST(OsmandDecoderErrors, MissingDeviceId) {
  expect_error(query("timestamp=1377177267&lat=60.0&lon=30.0"), ErrorCode::kMissingField, "id");
  expect_error(query("id=&lat=60.0&lon=30.0"), ErrorCode::kMissingField, "id");
}

TEST(OsmandDecoderErrors, MissingCoordinates) {
  expect_error(query("id=1&lon=30.0"), ErrorCode::kMissingField, "lat");
  expect_error(query("id=1&lat=60.0"), ErrorCode::kMissingField, "lon");
  expect_error(query(""), ErrorCode::kMissingField, "id");
}

TEST(OsmandDecoderErrors, NumbersThatDoNotParse) {
  for (std::string_view bad : {"abc", "1e999", "-1e999", "nan", "NaN", "inf", "-inf", "infinity", "", "1.5x",
                               "%201", "1,5"}) {
    SCOPED_TRACE(bad);
    const std::string v(bad);
    expect_error(query("id=1&lat=" + v + "&lon=0"), ErrorCode::kInvalidField, "lat");
    expect_error(query("id=1&lat=0&lon=" + v), ErrorCode::kInvalidField, "lon");
    expect_error(query("id=1&lat=0&lon=0&speed=" + v), ErrorCode::kInvalidField, "speed");
    expect_error(query("id=1&lat=0&lon=0&bearing=" + v), ErrorCode::kInvalidField, "bearing");
    expect_error(query("id=1&lat=0&lon=0&heading=" + v), ErrorCode::kInvalidField, "heading");
    expect_error(query("id=1&lat=0&lon=0&altitude=" + v), ErrorCode::kInvalidField, "altitude");
    expect_error(query("id=1&lat=0&lon=0&accuracy=" + v), ErrorCode::kInvalidField, "accuracy");
    expect_error(query("id=1&lat=0&lon=0&batt=" + v), ErrorCode::kInvalidField, "batt");
  }
}

TEST(OsmandDecoderErrors, BadLocationPair) {
  for (std::string_view bad : {"52.5", "52.5,", ",13.4", "52.5;13.4", "nan,1", "1,1e999", "1,2,3"}) {
    expect_error(query("id=1&location=" + std::string(bad)), ErrorCode::kInvalidField, "location");
  }
}

TEST(OsmandDecoderErrors, BadBoolean) {
  expect_error(query("id=1&lat=0&lon=0&charge=yes"), ErrorCode::kInvalidField, "charge");
  expect_error(query("id=1&lat=0&lon=0&valid=2"), ErrorCode::kInvalidField, "valid");
}

TEST(OsmandDecoderErrors, BadTimestamp) {
  for (std::string_view bad : {"yesterday", "2016-13-27T18:55:47Z", "2016-01-27", "2016-01-27%2018:55",
                               "2016-01-27%2018:55:47Z", "1e999", "nan", "1e300", ""}) {
    expect_error(query("id=1&lat=0&lon=0&timestamp=" + std::string(bad)), ErrorCode::kInvalidField,
                 "timestamp");
  }
}

TEST(OsmandDecoderErrors, MalformedPercentEncoding) {
  expect_error(query("id=1&lat=0&lon=0&x=%zz"), ErrorCode::kInvalidField, "query");
  expect_error(decode("id=1", kForm, "lat=0&lon=%G0", kNow), ErrorCode::kInvalidField, "body");
}

TEST(OsmandDecoderErrors, TooLarge) {
  std::string body = "id=1&lat=0&lon=0&pad=" + std::string(kMaxBytes, 'a');
  expect_error(decode("", kForm, body, kNow), ErrorCode::kTooLarge, "");
  expect_error(decode("", kJson, body, kNow), ErrorCode::kTooLarge, "");
  expect_error(query(body), ErrorCode::kTooLarge, "");

  std::string many = "id=1&lat=0&lon=0";
  for (size_t i = 3; i < kMaxParams; ++i) many += "&k" + std::to_string(i) + "=v";
  ASSERT_TRUE(query(many).ok());  // exactly kMaxParams
  expect_error(query(many + "&one=more"), ErrorCode::kTooLarge, "");
  expect_error(decode(many, kForm, "one=more", kNow), ErrorCode::kTooLarge, "");
}

// ---- JSON variant (Traccar Client 9+) -------------------------------------------------------

constexpr std::string_view kClientJson = R"({
  "device_id": "123456",
  "location": {
    "timestamp": "2024-01-01T00:00:00.000Z",
    "coords": {"latitude": 44.506477, "longitude": -89.302635, "accuracy": 12.5, "speed": 3.2,
               "heading": 181.5, "altitude": 230.1},
    "is_moving": true,
    "odometer": 1234.5,
    "event": "motionchange",
    "battery": {"level": 0.85, "is_charging": false},
    "activity": {"type": "in_vehicle"},
    "extras": {}
  }
})";

TEST(OsmandDecoderJson, TraccarClientBody) {
  auto r = decode("", "application/json; charset=utf-8", kClientJson, kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->device_id, "123456");
  EXPECT_EQ(r->t, core::parse_iso8601("2024-01-01T00:00:00Z"));
  EXPECT_DOUBLE_EQ(r->position.lat, 44.506477);
  EXPECT_DOUBLE_EQ(r->position.lon, -89.302635);
  EXPECT_EQ(r->accuracy_m, 12.5);
  EXPECT_EQ(r->speed_mps, 3.2);  // already m/s: not converted from knots
  EXPECT_EQ(r->heading_deg, 181.5);
  EXPECT_EQ(r->altitude_m, 230.1);
  EXPECT_DOUBLE_EQ(*r->battery_pct, 85.0);
  EXPECT_EQ(r->charging, false);
  EXPECT_EQ(r->attributes,
            (Attributes{{"is_moving", "true"}, {"odometer", "1234.5"}, {"activity.type", "in_vehicle"}}));
}

TEST(OsmandDecoderJson, MinimalBodyAndUnknownValues) {
  auto r = decode("", kJson,
                  R"({"device_id":"d","location":{"coords":{"latitude":1,"longitude":2,"speed":-1,)"
                  R"("heading":-1,"accuracy":-1,"altitude":-5},"battery":{"level":-1,"is_charging":null}}})",
                  kNow);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->t, kNow);
  EXPECT_FALSE(r->speed_mps);
  EXPECT_FALSE(r->heading_deg);
  EXPECT_FALSE(r->accuracy_m);
  EXPECT_EQ(r->altitude_m, -5.0);  // below sea level is a real altitude
  EXPECT_FALSE(r->battery_pct);
  EXPECT_FALSE(r->charging);
  EXPECT_TRUE(r->attributes.empty());
}

TEST(OsmandDecoderJson, QueryIgnored) {
  auto r = decode("id=other&lat=9&lon=9", kJson,
                  R"({"device_id":"d","location":{"coords":{"latitude":1,"longitude":2}}})", kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->device_id, "d");
  EXPECT_EQ(r->position.lat, 1.0);
}

TEST(OsmandDecoderJsonErrors, MalformedJson) {
  std::string truncated(kClientJson.substr(0, kClientJson.size() / 2));
  expect_error(decode("", kJson, truncated, kNow), ErrorCode::kInvalidJson, "");
  expect_error(decode("", kJson, "", kNow), ErrorCode::kInvalidJson, "");
  expect_error(decode("", kJson, "[1,2]", kNow), ErrorCode::kInvalidJson, "");
  expect_error(decode("", kJson, "{\"device_id\":NaN}", kNow), ErrorCode::kInvalidJson, "");
  expect_error(decode("", kJson, std::string(40, '[') + std::string(40, ']'), kNow), ErrorCode::kInvalidJson,
               "");
}

TEST(OsmandDecoderJsonErrors, MissingFields) {
  expect_error(decode("", kJson, R"({"location":{"coords":{"latitude":1,"longitude":2}}})", kNow),
               ErrorCode::kMissingField, "device_id");
  expect_error(decode("", kJson, R"({"device_id":"d"})", kNow), ErrorCode::kMissingField, "location");
  expect_error(decode("", kJson, R"({"device_id":"d","location":{}})", kNow), ErrorCode::kMissingField,
               "location.coords");
  expect_error(decode("", kJson, R"({"device_id":"d","location":{"coords":{"longitude":2}}})", kNow),
               ErrorCode::kMissingField, "location.coords.latitude");
  expect_error(decode("", kJson, R"({"device_id":"d","location":{"coords":{"latitude":1,"longitude":null}}})",
                      kNow),
               ErrorCode::kMissingField, "location.coords.longitude");
  expect_error(decode("", kJson, R"({"device_id":"","location":{"coords":{"latitude":1,"longitude":2}}})", kNow),
               ErrorCode::kInvalidField, "device_id");
}

TEST(OsmandDecoderJsonErrors, WrongTypes) {
  const std::string head = R"({"device_id":"d","location":{)";
  const std::string coords = R"("coords":{"latitude":1,"longitude":2})";
  struct Case {
    std::string body;
    std::string field;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"device_id":123456,"location":{)" + coords + "}}", "device_id"},
           {R"({"device_id":"d","location":[]})", "location"},
           {head + R"("coords":"1,2"}})", "location.coords"},
           {head + R"("coords":{"latitude":"44.5","longitude":2}}})", "location.coords.latitude"},
           {head + R"("coords":{"latitude":1,"longitude":true}}})", "location.coords.longitude"},
           {head + R"("coords":{"latitude":1,"longitude":2,"speed":"fast"}}})", "location.coords.speed"},
           {head + coords + R"(,"timestamp":1704067200000}})", "location.timestamp"},
           {head + coords + R"(,"is_moving":"yes"}})", "location.is_moving"},
           {head + coords + R"(,"odometer":"12"}})", "location.odometer"},
           {head + coords + R"(,"battery":0.5}})", "location.battery"},
           {head + coords + R"(,"battery":{"level":"85%"}}})", "location.battery.level"},
           {head + coords + R"(,"battery":{"is_charging":1}}})", "location.battery.is_charging"},
           {head + coords + R"(,"activity":{"type":7}}})", "location.activity.type"},
       }) {
    expect_error(decode("", kJson, c.body, kNow), ErrorCode::kWrongType, c.field);
  }
}

TEST(OsmandDecoderJsonErrors, HugeNumbersNeverComeOut) {
  auto r = decode("", kJson, R"({"device_id":"d","location":{"coords":{"latitude":1e999,"longitude":2}}})",
                  kNow);
  ASSERT_FALSE(r.ok());
  // Boost.JSON may refuse the literal itself or yield infinity; either way it is an error.
  EXPECT_TRUE(r.error().code == ErrorCode::kInvalidJson ||
              (r.error().code == ErrorCode::kInvalidField && r.error().field == "location.coords.latitude"))
      << core::code_name(r.error().code) << " " << r.error().field;
}

TEST(OsmandDecoderJsonErrors, BadTimestamp) {
  expect_error(decode("", kJson,
                      R"({"device_id":"d","location":{"timestamp":"2024-01-01","coords":{"latitude":1,"longitude":2}}})",
                      kNow),
               ErrorCode::kInvalidField, "location.timestamp");
}

}  // namespace
}  // namespace lastmile::ingest::osmand
