#include "ingest/protocols/owntracks/owntracks_decoder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace lastmile::ingest::owntracks {
namespace {

using core::ErrorCode;

// Location message as the iOS app publishes it (booklet example, MQTT mode).
constexpr std::string_view kIosLocation =
    R"({"_type":"location","tid":"JJ","tst":1497476456,"lat":48.858331,"lon":2.294481,"acc":14,)"
    R"("alt":100,"batt":99,"bs":2,"vel":12,"cog":270,"vac":3,"p":101.325,"t":"u","conn":"w",)"
    R"("SSID":"office","BSSID":"a0:b1:c2:d3:e4:f5","topic":"owntracks/jane/phone",)"
    R"("inregions":["home"]})";

// Location message as the Android app publishes it in HTTP mode (no vel/cog while still).
constexpr std::string_view kAndroidLocation =
    R"({"_type":"location","acc":18,"alt":41,"batt":57,"bs":1,"conn":"m","created_at":1716798760,)"
    R"("lat":51.5007,"lon":-0.1246,"m":1,"t":"p","tid":"ap","tst":1716798759,"vac":4})";

std::optional<std::string> attribute(const UnsafePing& p, std::string_view key) {
  for (const auto& [k, v] : p.attributes)
    if (k == key) return v;
  return std::nullopt;
}

void expect_error(const core::Result<std::optional<UnsafePing>>& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

TEST(OwntracksDecoder, IosLocationIsDecodedWithUnitsNormalised) {
  auto r = decode(kIosLocation, "jane", "phone");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->has_value());
  const UnsafePing& p = **r;
  EXPECT_EQ(p.device_id, "jane/phone");
  EXPECT_TRUE(p.device_secret.empty());
  EXPECT_EQ(p.t.ms, 1497476456000);
  EXPECT_DOUBLE_EQ(p.position.lat, 48.858331);
  EXPECT_DOUBLE_EQ(p.position.lon, 2.294481);
  EXPECT_DOUBLE_EQ(*p.accuracy_m, 14);
  EXPECT_DOUBLE_EQ(*p.altitude_m, 100);
  EXPECT_DOUBLE_EQ(*p.battery_pct, 99);
  EXPECT_NEAR(*p.speed_mps, 12 / 3.6, 1e-12);  // km/h → m/s
  EXPECT_DOUBLE_EQ(*p.heading_deg, 270);
  EXPECT_EQ(p.charging, true);
  EXPECT_FALSE(p.valid.has_value());
}

TEST(OwntracksDecoder, UnmappedFieldsAreKeptAsAttributes) {
  auto r = decode(kIosLocation, "jane", "phone");
  ASSERT_TRUE(r.ok() && r->has_value());
  const UnsafePing& p = **r;
  EXPECT_EQ(attribute(p, "tid"), "JJ");
  EXPECT_EQ(attribute(p, "t"), "u");
  EXPECT_EQ(attribute(p, "conn"), "w");
  EXPECT_EQ(attribute(p, "SSID"), "office");
  EXPECT_EQ(attribute(p, "BSSID"), "a0:b1:c2:d3:e4:f5");
  EXPECT_EQ(attribute(p, "vac"), "3");
  EXPECT_EQ(attribute(p, "inregions"), R"(["home"])");
  EXPECT_EQ(attribute(p, "topic"), "owntracks/jane/phone");
  // Mapped fields are not duplicated as attributes.
  EXPECT_FALSE(attribute(p, "_type"));
  EXPECT_FALSE(attribute(p, "lat"));
  EXPECT_FALSE(attribute(p, "vel"));
  EXPECT_FALSE(attribute(p, "bs"));
}

TEST(OwntracksDecoder, AndroidLocationWithoutSpeedOrCourse) {
  auto r = decode(kAndroidLocation, "bob", "pixel");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->has_value());
  const UnsafePing& p = **r;
  EXPECT_EQ(p.device_id, "bob/pixel");
  EXPECT_EQ(p.t.ms, 1716798759000);
  EXPECT_DOUBLE_EQ(p.position.lon, -0.1246);
  EXPECT_FALSE(p.speed_mps.has_value());
  EXPECT_FALSE(p.heading_deg.has_value());
  EXPECT_EQ(p.charging, false);  // bs 1 = unplugged
  EXPECT_EQ(attribute(p, "created_at"), "1716798760");
  EXPECT_EQ(attribute(p, "m"), "1");
}

TEST(OwntracksDecoder, MinimalLocationHasOnlyRequiredFields) {
  auto r = decode(R"({"_type":"location","lat":51.5,"lon":-0.1,"tst":1234567890})", "u", "d");
  ASSERT_TRUE(r.ok() && r->has_value());
  const UnsafePing& p = **r;
  EXPECT_EQ(p.t.ms, 1234567890000);
  EXPECT_FALSE(p.accuracy_m || p.altitude_m || p.battery_pct || p.speed_mps || p.heading_deg);
  EXPECT_FALSE(p.charging.has_value());
  EXPECT_TRUE(p.attributes.empty());
}

TEST(OwntracksDecoder, BatteryStatusMapsToCharging) {
  auto with_bs = [](int bs) {
    std::string msg = R"({"_type":"location","lat":1,"lon":2,"tst":3,"bs":)" + std::to_string(bs) + "}";
    auto r = decode(msg, "u", "d");
    EXPECT_TRUE(r.ok() && r->has_value());
    return (*r)->charging;
  };
  EXPECT_EQ(with_bs(0), std::nullopt);  // unknown
  EXPECT_EQ(with_bs(1), false);         // unplugged
  EXPECT_EQ(with_bs(2), true);          // charging
  EXPECT_EQ(with_bs(3), true);          // full (plugged in)
}

TEST(OwntracksDecoder, NullOptionalFieldIsAbsent) {
  auto r = decode(R"({"_type":"location","lat":1,"lon":2,"tst":3,"vel":null})", "u", "d");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_FALSE((*r)->speed_mps.has_value());
}

TEST(OwntracksDecoder, FractionalTstIsRoundedToMilliseconds) {
  auto r = decode(R"({"_type":"location","lat":1,"lon":2,"tst":1497476456.1234})", "u", "d");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->t.ms, 1497476456123);
}

TEST(OwntracksDecoder, RangesAreNotCheckedHere) {
  auto r = decode(R"({"_type":"location","lat":123,"lon":-500,"tst":1,"batt":250})", "u", "d");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_DOUBLE_EQ((*r)->position.lat, 123);
}

TEST(OwntracksDecoder, TransitionIsIgnored) {
  auto r = decode(R"({"_type":"transition","wtst":1425042603,"lat":12.34,"lon":44.5,"tst":1427634603,)"
                  R"("acc":130,"tid":"JP","event":"enter","desc":"Restaurant","t":"c"})",
                  "jane", "phone");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->has_value());
}

TEST(OwntracksDecoder, LwtIsIgnored) {
  auto r = decode(R"({"_type":"lwt","tst":1497476456})", "jane", "phone");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->has_value());
}

TEST(OwntracksDecoder, OtherTypesAreIgnored) {
  for (std::string_view msg : {R"({"_type":"card","name":"Jane","face":"iVBORw0KGgo="})",
                               R"({"_type":"waypoint","desc":"Home","lat":1,"lon":2,"rad":50,"tst":3})",
                               R"({"_type":"status","android":{"hib":1}})",
                               R"({"_type":"encrypted","data":"c2VjcmV0"})"}) {
    auto r = decode(msg, "u", "d");
    ASSERT_TRUE(r.ok()) << msg;
    EXPECT_FALSE(r->has_value()) << msg;
  }
}

TEST(OwntracksDecoderErrors, MalformedJson) {
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"ts)", "u", "d"), ErrorCode::kInvalidJson, "");
  expect_error(decode("", "u", "d"), ErrorCode::kInvalidJson, "");
  expect_error(decode(R"({"_type":"location","lat":NaN,"lon":2,"tst":3})", "u", "d"),
               ErrorCode::kInvalidJson, "");
  expect_error(decode(R"({"_type":"location","lat":Infinity,"lon":2,"tst":3})", "u", "d"),
               ErrorCode::kInvalidJson, "");
}

TEST(OwntracksDecoderErrors, NotAnObject) {
  expect_error(decode(R"([{"_type":"location"}])", "u", "d"), ErrorCode::kInvalidJson, "");
  expect_error(decode("42", "u", "d"), ErrorCode::kInvalidJson, "");
}

TEST(OwntracksDecoderErrors, TooDeeplyNested) {
  std::string deep = R"({"_type":"location","x":)" + std::string(100, '[') + std::string(100, ']') + "}";
  expect_error(decode(deep, "u", "d"), ErrorCode::kInvalidJson, "");
}

TEST(OwntracksDecoderErrors, MissingType) {
  expect_error(decode(R"({"lat":1,"lon":2,"tst":3})", "u", "d"), ErrorCode::kMissingField, "_type");
}

TEST(OwntracksDecoderErrors, TypeNotAString) {
  expect_error(decode(R"({"_type":7,"lat":1,"lon":2,"tst":3})", "u", "d"), ErrorCode::kWrongType, "_type");
}

TEST(OwntracksDecoderErrors, MissingRequiredLocationFields) {
  expect_error(decode(R"({"_type":"location","lon":2,"tst":3})", "u", "d"), ErrorCode::kMissingField, "lat");
  expect_error(decode(R"({"_type":"location","lat":1,"tst":3})", "u", "d"), ErrorCode::kMissingField, "lon");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2})", "u", "d"), ErrorCode::kMissingField, "tst");
  expect_error(decode(R"({"_type":"location","lat":null,"lon":2,"tst":3})", "u", "d"),
               ErrorCode::kMissingField, "lat");
}

TEST(OwntracksDecoderErrors, WrongTypes) {
  expect_error(decode(R"({"_type":"location","lat":"48.8","lon":2,"tst":3})", "u", "d"),
               ErrorCode::kWrongType, "lat");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":"1497476456"})", "u", "d"),
               ErrorCode::kWrongType, "tst");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":3,"vel":"12"})", "u", "d"),
               ErrorCode::kWrongType, "vel");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":3,"bs":true})", "u", "d"),
               ErrorCode::kWrongType, "bs");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":3,"batt":[99]})", "u", "d"),
               ErrorCode::kWrongType, "batt");
}

TEST(OwntracksDecoderErrors, HugeNumbers) {
  expect_error(decode(R"({"_type":"location","lat":1e10,"lon":2,"tst":3})", "u", "d"),
               ErrorCode::kInvalidField, "lat");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":-2e9,"tst":3})", "u", "d"),
               ErrorCode::kInvalidField, "lon");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":3,"acc":1e300})", "u", "d"),
               ErrorCode::kInvalidField, "acc");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":3,"alt":18446744073709551615})", "u", "d"),
               ErrorCode::kInvalidField, "alt");
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":1e13})", "u", "d"),
               ErrorCode::kInvalidField, "tst");
}

TEST(OwntracksDecoderErrors, OverflowingLiteralIsNeverInfinite) {
  // 1e400 overflows a double: either the parser refuses it or the decoder does; never Inf out.
  auto r = decode(R"({"_type":"location","lat":1e400,"lon":2,"tst":3})", "u", "d");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().code == ErrorCode::kInvalidField || r.error().code == ErrorCode::kInvalidJson);
}

TEST(OwntracksDecoderErrors, NegativeTst) {
  expect_error(decode(R"({"_type":"location","lat":1,"lon":2,"tst":-1})", "u", "d"),
               ErrorCode::kInvalidField, "tst");
}

TEST(OwntracksDecoderErrors, PayloadTooLarge) {
  std::string big = R"({"_type":"location","lat":1,"lon":2,"tst":3,"pad":")" + std::string(kMaxPayloadBytes, 'x') + "\"}";
  expect_error(decode(big, "u", "d"), ErrorCode::kTooLarge, "");
  // Exactly kMaxPayloadBytes is accepted (whitespace padding keeps it valid JSON).
  const std::string head = R"({"_type":"location","lat":1,"lon":2,)";
  const std::string tail = R"("tst":3})";
  std::string just_fits = head + std::string(kMaxPayloadBytes - head.size() - tail.size(), ' ') + tail;
  ASSERT_EQ(just_fits.size(), kMaxPayloadBytes);
  auto ok = decode(just_fits, "u", "d");
  EXPECT_TRUE(ok.ok()) << ok.error().message;
}

TEST(OwntracksDecoderErrors, BadUserOrDevice) {
  expect_error(decode(kIosLocation, "", "phone"), ErrorCode::kInvalidField, "user");
  expect_error(decode(kIosLocation, "jane", ""), ErrorCode::kInvalidField, "device");
  expect_error(decode(kIosLocation, "ja/ne", "phone"), ErrorCode::kInvalidField, "user");
  expect_error(decode(kIosLocation, "jane", "ph/one"), ErrorCode::kInvalidField, "device");
}

}  // namespace
}  // namespace lastmile::ingest::owntracks
