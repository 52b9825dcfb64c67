#include "cluster/ping_codec.hpp"

#include <gtest/gtest.h>

namespace lastmile::cluster {
namespace {

PingBatch sample() {
  PingBatch b{core::TenantId("ten_a"), core::DriverId("drv_b"), core::Timestamp{1'700'000'000'123}, {}};
  ingest::UnsafePing full;
  full.t = core::Timestamp{1'700'000'000'000};
  full.position = {52.5, 13.25};
  full.speed_mps = 8.5;
  full.heading_deg = 270;
  full.accuracy_m = 5;
  full.altitude_m = 34;
  full.battery_pct = 80;
  full.charging = true;
  full.valid = false;
  ingest::UnsafePing bare;
  bare.t = core::Timestamp{1'700'000'001'000};
  bare.position = {-33.9, 151.2};
  b.pings = {full, bare};
  return b;
}

TEST(PingCodecTest, RoundTripKeepsEveryField) {
  const PingBatch in = sample();
  auto out = decode_ping_batch(encode_ping_batch(in));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->tenant, in.tenant);
  EXPECT_EQ(out->driver, in.driver);
  EXPECT_EQ(out->received_at, in.received_at);
  ASSERT_EQ(out->pings.size(), 2u);
  const auto& p = out->pings[0];
  EXPECT_EQ(p.t, in.pings[0].t);
  EXPECT_DOUBLE_EQ(p.position.lat, 52.5);
  EXPECT_DOUBLE_EQ(p.position.lon, 13.25);
  EXPECT_EQ(p.speed_mps, 8.5);
  EXPECT_EQ(p.heading_deg, 270);
  EXPECT_EQ(p.accuracy_m, 5);
  EXPECT_EQ(p.altitude_m, 34);
  EXPECT_EQ(p.battery_pct, 80);
  EXPECT_EQ(p.charging, true);
  EXPECT_EQ(p.valid, false);
  const auto& q = out->pings[1];
  EXPECT_FALSE(q.speed_mps || q.heading_deg || q.accuracy_m || q.altitude_m || q.battery_pct);
  EXPECT_FALSE(q.charging || q.valid);
  EXPECT_DOUBLE_EQ(q.position.lat, -33.9);
}

TEST(PingCodecTest, OutOfRangeCoordinatesAreCarriedForTheFilterToJudge) {
  PingBatch in = sample();
  in.pings[0].position = {123, 500};
  auto out = decode_ping_batch(encode_ping_batch(in));
  ASSERT_TRUE(out);
  EXPECT_DOUBLE_EQ(out->pings[0].position.lat, 123);
}

core::ErrorCode code_of(std::string_view text) {
  auto r = decode_ping_batch(text);
  EXPECT_FALSE(r) << text;
  return r ? core::ErrorCode::kInternal : r.error().code;
}

TEST(PingCodecTest, RejectsBadInputWithStableCodes) {
  using core::ErrorCode;
  EXPECT_EQ(code_of("not json"), ErrorCode::kInvalidJson);
  EXPECT_EQ(code_of("[1]"), ErrorCode::kWrongType);
  EXPECT_EQ(code_of(R"({"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[]})"), ErrorCode::kMissingField);
  EXPECT_EQ(code_of(R"({"v":2,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[{"t":1,"lat":1,"lon":1}]})"),
            ErrorCode::kInvalidField);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"drv_a","driver":"drv_b","received_at":1,"pings":[{"t":1,"lat":1,"lon":1}]})"),
            ErrorCode::kInvalidField);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":7,"received_at":1,"pings":[{"t":1,"lat":1,"lon":1}]})"),
            ErrorCode::kWrongType);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1.5,"pings":[{"t":1,"lat":1,"lon":1}]})"),
            ErrorCode::kWrongType);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[]})"), ErrorCode::kInvalidField);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":{}})"), ErrorCode::kWrongType);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[{"t":1,"lat":1}]})"),
            ErrorCode::kMissingField);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[{"t":1,"lat":"1","lon":1}]})"),
            ErrorCode::kWrongType);
  EXPECT_EQ(
      code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[{"t":1,"lat":1,"lon":1,"charging":1}]})"),
      ErrorCode::kWrongType);
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[3]})"), ErrorCode::kWrongType);
}

TEST(PingCodecTest, ANumberTooLargeForADoubleIsRefusedNotCarriedAsInfinity) {
  // Found by the ping_message fuzzer: 10e01000100 parses to infinity, which the encoder cannot write back.
  auto lon = cluster::decode_ping_batch(
      R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[{"t":1,"lat":52.5,"lon":10e01000100}]})");
  ASSERT_FALSE(lon.ok());
  EXPECT_EQ(lon.error().code, core::ErrorCode::kWrongType);
  EXPECT_EQ(lon.error().field, "pings[0].lon");
  EXPECT_EQ(code_of(R"({"v":1,"tenant":"ten_a","driver":"drv_b","received_at":1,"pings":[{"t":1,"lat":1,"lon":1,"heading":-1e999}]})"),
            core::ErrorCode::kWrongType);
}

TEST(PingCodecTest, RejectsTooManyPings) {
  PingBatch in = sample();
  in.pings.assign(kMaxPingsPerMessage + 1, in.pings[1]);
  auto out = decode_ping_batch(encode_ping_batch(in));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, core::ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace lastmile::cluster
