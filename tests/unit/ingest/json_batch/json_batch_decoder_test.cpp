#include "ingest/protocols/json_batch/json_batch_decoder.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lastmile::ingest::json_batch {
namespace {

using core::ErrorCode;

// A batch as the driver app uploads it: one full point with an ISO time, one minimal with epoch ms.
constexpr std::string_view kAppBatch =
    R"([{"t":"2024-05-01T09:30:00.000Z","lat":52.52,"lon":13.405,"speed":8.3,"heading":90,)"
    R"("accuracy":5,"battery":71,"altitude":34.5},)"
    R"({"t":1714555860000,"lat":52.521,"lon":13.406}])";

void expect_error(const core::Result<std::vector<UnsafePing>>& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

std::string point(std::string_view body) { return "[" + std::string(body) + "]"; }

// Three good points followed by `bad`, which is therefore element [3].
std::string batch_with_bad_fourth(std::string_view bad) {
  std::string good = R"({"t":1714555800000,"lat":1,"lon":2})";
  return "[" + good + "," + good + "," + good + "," + std::string(bad) + "]";
}

TEST(JsonBatchDecoder, AppBatchIsDecodedInOrder) {
  auto r = decode(kAppBatch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  const UnsafePing& a = (*r)[0];
  EXPECT_TRUE(a.device_id.empty());
  EXPECT_EQ(a.t.ms, 1714555800000);
  EXPECT_DOUBLE_EQ(a.position.lat, 52.52);
  EXPECT_DOUBLE_EQ(a.position.lon, 13.405);
  EXPECT_DOUBLE_EQ(*a.speed_mps, 8.3);  // already m/s
  EXPECT_DOUBLE_EQ(*a.heading_deg, 90);
  EXPECT_DOUBLE_EQ(*a.accuracy_m, 5);
  EXPECT_DOUBLE_EQ(*a.battery_pct, 71);
  EXPECT_DOUBLE_EQ(*a.altitude_m, 34.5);
  EXPECT_FALSE(a.charging.has_value());
  EXPECT_TRUE(a.attributes.empty());

  const UnsafePing& b = (*r)[1];
  EXPECT_EQ(b.t.ms, 1714555860000);
  EXPECT_DOUBLE_EQ(b.position.lat, 52.521);
  EXPECT_FALSE(b.speed_mps || b.heading_deg || b.accuracy_m || b.battery_pct || b.altitude_m);
}

TEST(JsonBatchDecoder, APointWithAnExtraKeyDecodesToTheSameFix) {
  // Points with only mapped keys take a shorter path than points with attributes; both agree.
  const std::string fields = R"("t":"2024-05-01T09:30:00.250Z","lat":52.52,"lon":13.405,"speed":8.3,)"
                             R"("heading":null,"accuracy":5,"battery":71,"altitude":-34.5)";
  auto plain = decode(point("{" + fields + "}"));
  auto extra = decode(point("{" + fields + R"(,"provider":"gps"})"));
  ASSERT_TRUE(plain.ok() && extra.ok());
  const UnsafePing& a = plain->front();
  const UnsafePing& b = extra->front();
  EXPECT_EQ(a.t, b.t);
  EXPECT_EQ(a.position.lat, b.position.lat);
  EXPECT_EQ(a.position.lon, b.position.lon);
  EXPECT_EQ(a.speed_mps, b.speed_mps);
  EXPECT_EQ(a.heading_deg, b.heading_deg);
  EXPECT_FALSE(a.heading_deg);
  EXPECT_EQ(a.accuracy_m, b.accuracy_m);
  EXPECT_EQ(a.battery_pct, b.battery_pct);
  EXPECT_EQ(a.altitude_m, b.altitude_m);
  EXPECT_TRUE(a.attributes.empty());
  ASSERT_EQ(b.attributes.size(), 1u);
  EXPECT_EQ(b.attributes[0].second, "gps");
}

TEST(JsonBatchDecoder, IsoTimeWithOffsetAndWithoutZone) {
  auto r = decode(R"([{"t":"2024-05-01T11:30:00+02:00","lat":1,"lon":2},{"t":"2024-05-01T09:30:00","lat":1,"lon":2}])");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].t.ms, 1714555800000);
  EXPECT_EQ((*r)[1].t.ms, 1714555800000);  // no offset means UTC
}

TEST(JsonBatchDecoder, FractionalEpochMillisecondsAreRounded) {
  auto r = decode(point(R"({"t":1714555800000.6,"lat":1,"lon":2})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].t.ms, 1714555800001);
}

TEST(JsonBatchDecoder, NullOptionalsAreAbsentAndUnknownKeysKept) {
  auto r = decode(point(R"({"t":0,"lat":1,"lon":2,"speed":null,"provider":"gps","mock":false})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const UnsafePing& p = (*r)[0];
  EXPECT_FALSE(p.speed_mps.has_value());
  ASSERT_EQ(p.attributes.size(), 2u);
  EXPECT_EQ(p.attributes[0], (std::pair<std::string, std::string>{"provider", "gps"}));
  EXPECT_EQ(p.attributes[1], (std::pair<std::string, std::string>{"mock", "false"}));
}

TEST(JsonBatchDecoder, RangesAreNotCheckedHere) {
  auto r = decode(point(R"({"t":0,"lat":-91,"lon":181,"battery":140,"heading":-5})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(*(*r)[0].battery_pct, 140);
}

TEST(JsonBatchDecoder, ExactlyMaxPointsIsAccepted) {
  std::string body = "[";
  for (int i = 0; i < 3; ++i) body += std::string(i ? "," : "") + R"({"t":1,"lat":1,"lon":2})";
  body += "]";
  auto r = decode(body, 3);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->size(), 3u);
}

TEST(JsonBatchDecoderErrors, MalformedJson) {
  expect_error(decode(R"([{"t":1,"lat":1,"lon")"), ErrorCode::kInvalidJson, "");
  expect_error(decode(""), ErrorCode::kInvalidJson, "");
  expect_error(decode(point(R"({"t":1,"lat":NaN,"lon":2})")), ErrorCode::kInvalidJson, "");
  expect_error(decode(point(R"({"t":1,"lat":-Infinity,"lon":2})")), ErrorCode::kInvalidJson, "");
  expect_error(decode(std::string(100, '[') + std::string(100, ']')), ErrorCode::kInvalidJson, "");
}

TEST(JsonBatchDecoderErrors, NotAnArray) {
  expect_error(decode(R"({"t":1,"lat":1,"lon":2})"), ErrorCode::kInvalidJson, "");
  expect_error(decode(R"("points")"), ErrorCode::kInvalidJson, "");
}

TEST(JsonBatchDecoderErrors, EmptyArray) { expect_error(decode("[]"), ErrorCode::kInvalidField, ""); }

TEST(JsonBatchDecoderErrors, TooManyPoints) {
  std::string body = "[";
  for (int i = 0; i < 4; ++i) body += std::string(i ? "," : "") + R"({"t":1,"lat":1,"lon":2})";
  body += "]";
  expect_error(decode(body, 3), ErrorCode::kTooLarge, "");
}

TEST(JsonBatchDecoderErrors, DefaultLimitIsAThousand) {
  std::string body = "[";
  for (int i = 0; i < 1001; ++i) body += std::string(i ? "," : "") + R"({"t":1,"lat":1,"lon":2})";
  body += "]";
  expect_error(decode(body), ErrorCode::kTooLarge, "");
}

TEST(JsonBatchDecoderErrors, PointNotAnObject) {
  expect_error(decode(batch_with_bad_fourth("[1,2]")), ErrorCode::kWrongType, "[3]");
}

TEST(JsonBatchDecoderErrors, MissingFieldsNameTheElement) {
  expect_error(decode(batch_with_bad_fourth(R"({"t":1,"lon":2})")), ErrorCode::kMissingField, "[3].lat");
  expect_error(decode(batch_with_bad_fourth(R"({"t":1,"lat":2})")), ErrorCode::kMissingField, "[3].lon");
  expect_error(decode(batch_with_bad_fourth(R"({"lat":1,"lon":2})")), ErrorCode::kMissingField, "[3].t");
  expect_error(decode(batch_with_bad_fourth(R"({"t":null,"lat":1,"lon":2})")), ErrorCode::kMissingField, "[3].t");
}

TEST(JsonBatchDecoderErrors, WrongTypesNameTheElement) {
  expect_error(decode(batch_with_bad_fourth(R"({"t":true,"lat":1,"lon":2})")), ErrorCode::kWrongType, "[3].t");
  expect_error(decode(batch_with_bad_fourth(R"({"t":1,"lat":"1","lon":2})")), ErrorCode::kWrongType, "[3].lat");
  expect_error(decode(batch_with_bad_fourth(R"({"t":1,"lat":1,"lon":2,"speed":"fast"})")), ErrorCode::kWrongType,
               "[3].speed");
  expect_error(decode(batch_with_bad_fourth(R"({"t":1,"lat":1,"lon":2,"battery":{}})")), ErrorCode::kWrongType,
               "[3].battery");
}

TEST(JsonBatchDecoderErrors, BadTime) {
  expect_error(decode(point(R"({"t":"yesterday","lat":1,"lon":2})")), ErrorCode::kInvalidField, "[0].t");
  expect_error(decode(point(R"({"t":"2024-02-30T00:00:00Z","lat":1,"lon":2})")), ErrorCode::kInvalidField, "[0].t");
  expect_error(decode(point(R"({"t":-1,"lat":1,"lon":2})")), ErrorCode::kInvalidField, "[0].t");
}

// Found by json_batch_fuzz: an ISO time before 1970 came out as a negative timestamp.
TEST(JsonBatchDecoderErrors, IsoTimeBeforeEpochIsRefused) {
  expect_error(decode(point(R"({"t":"1012-05-01T11:30:00+02:00","lat":1,"lon":2})")), ErrorCode::kInvalidField,
               "[0].t");
  expect_error(decode(point(R"({"t":"1969-12-31T23:59:59.999Z","lat":1,"lon":2})")), ErrorCode::kInvalidField,
               "[0].t");
  auto epoch = decode(point(R"({"t":"1970-01-01T00:00:00Z","lat":1,"lon":2})"));
  ASSERT_TRUE(epoch.ok()) << epoch.error().message;
  EXPECT_EQ((*epoch)[0].t.ms, 0);
  expect_error(decode(point(R"({"t":1e20,"lat":1,"lon":2})")), ErrorCode::kInvalidField, "[0].t");
}

TEST(JsonBatchDecoderErrors, HugeNumbers) {
  expect_error(decode(batch_with_bad_fourth(R"({"t":1,"lat":1e10,"lon":2})")), ErrorCode::kInvalidField, "[3].lat");
  expect_error(decode(point(R"({"t":1,"lat":1,"lon":2,"altitude":-1e300})")), ErrorCode::kInvalidField,
               "[0].altitude");
  auto r = decode(point(R"({"t":1,"lat":1,"lon":1e400})"));
  ASSERT_FALSE(r.ok());  // overflow: refused by the parser or the decoder, never Inf out
  EXPECT_TRUE(r.error().code == ErrorCode::kInvalidField || r.error().code == ErrorCode::kInvalidJson);
}

TEST(JsonBatchDecoderErrors, OneBadPointRefusesTheWholeBatch) {
  auto r = decode(batch_with_bad_fourth(R"({"t":1,"lat":1})"));
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace lastmile::ingest::json_batch
