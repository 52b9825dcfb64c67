// Track chunks: the stored form of a driver's history — lossless, compact, and safe to decode when
// damaged.
#include "storage/track_chunk.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace lastmile::storage {
namespace {

const core::DriverId kDriver("drv_chunk");

ingest::Ping fix(int64_t t_ms, double lat, double lon) {
  ingest::Ping p;
  p.driver_id = kDriver;
  p.t = core::Timestamp{t_ms};
  p.position = *core::LatLon::from_unsafe({lat, lon});
  p.received_at = core::Timestamp{t_ms + 800};
  return p;
}

void expect_same(const ingest::Ping& a, const ingest::Ping& b) {
  EXPECT_EQ(a.driver_id, b.driver_id);
  EXPECT_EQ(a.t, b.t);
  EXPECT_EQ(std::llround(a.position.lat() * 1e7), std::llround(b.position.lat() * 1e7));
  EXPECT_EQ(std::llround(a.position.lon() * 1e7), std::llround(b.position.lon() * 1e7));
  EXPECT_EQ(a.received_at, b.received_at);
  EXPECT_EQ(a.speed_mps, b.speed_mps);
  EXPECT_EQ(a.heading_deg, b.heading_deg);
  EXPECT_EQ(a.accuracy_m, b.accuracy_m);
  EXPECT_EQ(a.altitude_m, b.altitude_m);
  EXPECT_EQ(a.battery_pct, b.battery_pct);
}

TEST(TrackChunk, EveryFieldComesBackExactly) {
  std::vector<ingest::Ping> in;
  auto a = fix(1'700'000'000'123, 43.7384176, 7.4246158);
  a.speed_mps = 12.3;
  a.heading_deg = 359.99;
  a.accuracy_m = 4.2;
  a.altitude_m = -12.5;
  a.battery_pct = 85;
  in.push_back(a);
  auto b = fix(1'700'000'001'124, -90, 180);  // extremes, and values no decimal form holds
  b.speed_mps = 1.0 / 3.0;
  b.altitude_m = 1e300;
  b.accuracy_m = 0.000001;
  in.push_back(b);
  auto c = fix(0, 90, -180);  // time going back (late fixes are not re-sorted by the codec)
  c.received_at = core::Timestamp{std::numeric_limits<int64_t>::max()};
  c.heading_deg = -0.0;
  in.push_back(c);

  auto out = decode_track_chunk(encode_track_chunk(in), kDriver);
  ASSERT_TRUE(out.ok()) << out.error().message;
  ASSERT_EQ(out->size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) expect_same((*out)[i], in[i]);
  EXPECT_TRUE(std::signbit(*(*out)[2].heading_deg)) << "-0 stays -0";
}

TEST(TrackChunk, ATypicalPhoneTrackTakesAboutTwentyBytesPerFix) {
  // A fix a second along a street, as the driver app sends them: speed and heading with one
  // decimal, accuracy in whole metres, altitude with one decimal, battery in percent.
  std::vector<ingest::Ping> in;
  for (int i = 0; i < 100; ++i) {
    auto p = fix(1'700'000'000'000 + i * 1000, 43.7384176 + i * 0.0000731, 7.4246158 + i * 0.0000517);
    p.received_at = core::Timestamp{1'700'000'100'000};
    p.speed_mps = 8.3 + (i % 7) * 0.1;
    p.heading_deg = 42.5 + (i % 3);
    p.accuracy_m = 5 + i % 4;
    p.altitude_m = 31.2 + (i % 5) * 0.1;
    p.battery_pct = 80 - i / 20;
    in.push_back(p);
  }
  const std::string data = encode_track_chunk(in);
  EXPECT_LE(data.size(), 100u * 22) << data.size() << " bytes";
  auto out = decode_track_chunk(data, kDriver);
  ASSERT_TRUE(out.ok());
  for (size_t i = 0; i < in.size(); ++i) expect_same((*out)[i], in[i]);
}

TEST(TrackChunk, AnEmptyChunkRoundTrips) {
  auto out = decode_track_chunk(encode_track_chunk(std::span<const ingest::Ping>{}), kDriver);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
}

TEST(TrackChunk, EveryTruncationIsAnErrorNeverACrash) {
  auto p = fix(1'700'000'000'000, 43.7, 7.4);
  p.speed_mps = 1.0 / 7.0;
  p.battery_pct = 55;
  const std::string data = encode_track_chunk(std::vector{p, fix(1'700'000'001'000, 43.71, 7.41)});
  for (size_t n = 0; n < data.size(); ++n) {
    auto r = decode_track_chunk(std::string_view(data).substr(0, n), kDriver);
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes";
    EXPECT_EQ(r.error().code, core::ErrorCode::kInternal);
    EXPECT_NE(r.error().message.find("damaged track chunk"), std::string::npos);
  }
}

TEST(TrackChunk, DamagedChunksAreRefusedWithAReason) {
  const std::string good = encode_track_chunk(std::vector{fix(1000, 43.7, 7.4)});
  auto message = [](std::string data) {
    auto r = decode_track_chunk(data, kDriver);
    return r.ok() ? std::string("decoded") : r.error().message;
  };
  std::string version = good;
  version[0] = 9;
  EXPECT_EQ(message(version), "damaged track chunk: unknown version 9");
  EXPECT_EQ(message(good + "x"), "damaged track chunk: trailing bytes");
  std::string count = good;
  count[1] = 0x7f;  // 127 fixes in a few bytes
  EXPECT_EQ(message(count), "damaged track chunk: impossible point count");
  std::string bits = good;
  bits.back() = static_cast<char>(0x40);  // the mask is the last byte of a fix without optionals
  EXPECT_EQ(message(bits), "damaged track chunk: unknown field bits");
  // Latitude delta 91° (zigzag varint of 910,000,000).
  std::string far;
  far.push_back(1);
  far.push_back(1);
  far.push_back(0);  // t
  uint64_t v = 910'000'000ULL << 1;
  while (v >= 0x80) {
    far.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  far.push_back(static_cast<char>(v));
  far += std::string("\0\0\0", 3);  // lon, received, mask
  EXPECT_EQ(message(far), "damaged track chunk: position out of range");
  EXPECT_EQ(message(std::string("\x01\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 13)),
            "damaged track chunk: truncated point") << "an over-long varint";
}

TEST(TrackChunk, PlanningSortsDropsRepeatsAndSplitsLongSpans) {
  std::vector<ingest::Ping> in = {fix(3000, 43.7, 7.4), fix(1000, 43.7, 7.4), fix(3000, 43.7, 7.4),
                                  fix(3000, 43.8, 7.4), fix(1000 + kMaxChunkSpanMs + 1, 43.7, 7.4)};
  auto chunks = plan_track_chunks(in);
  ASSERT_EQ(chunks.size(), 2u);
  ASSERT_EQ(chunks[0].size(), 3u) << "the repeat of (3000, 43.7, 7.4) is dropped, the other place kept";
  EXPECT_EQ(chunks[0][0]->t.ms, 1000);
  EXPECT_EQ(chunks[0][1]->t.ms, 3000);
  EXPECT_EQ(chunks[0][1], &in[0]) << "the first of the repeats is kept";
  EXPECT_EQ(chunks[1].size(), 1u) << "more than an hour after the chunk's first fix";

  std::vector<ingest::Ping> many;
  for (int i = 0; i < 25; ++i) many.push_back(fix(i, 43.7, 7.4));
  auto small = plan_track_chunks(many, 10);
  ASSERT_EQ(small.size(), 3u);
  EXPECT_EQ(small[2].size(), 5u);
}

}  // namespace
}  // namespace lastmile::storage
