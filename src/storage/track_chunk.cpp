#include "storage/track_chunk.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>

namespace lastmile::storage {
namespace {

constexpr uint8_t kVersion = 1;
constexpr size_t kMinPointBytes = 5;  // four one-byte deltas and the mask

struct Optional {
  uint8_t bit;
  std::optional<double> ingest::Ping::*field;
};
constexpr Optional kOptionals[] = {
    {1, &ingest::Ping::speed_mps},   {2, &ingest::Ping::heading_deg}, {4, &ingest::Ping::accuracy_m},
    {8, &ingest::Ping::altitude_m},  {16, &ingest::Ping::battery_pct},
};
constexpr uint8_t kKnownBits = 31;
constexpr uint64_t kRawDouble = 7;
constexpr std::array<double, 7> kPow10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
constexpr double kMaxExact = 9007199254740992.0;  // 2^53

uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t u) { return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1); }
// Differences in two's complement (wrapping): exact for any pair of int64 values.
int64_t wrapping_sub(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); }
int64_t wrapping_add(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_number(std::string& out, double v) {
  for (uint64_t k = 0; k < kPow10.size(); ++k) {
    const double scaled = v * kPow10[k];
    if (!(std::fabs(scaled) < kMaxExact)) break;
    const auto n = static_cast<int64_t>(std::llround(scaled));
    if (static_cast<double>(n) / kPow10[k] == v && !(v == 0 && std::signbit(v))) {
      put_varint(out, (zigzag(n) << 3) | k);
      return;
    }
  }
  put_varint(out, kRawDouble);
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool byte(uint8_t& b) {
    if (pos_ == data_.size()) return false;
    b = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  bool varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = 0;
      if (!byte(b)) return false;
      if (shift == 63 && b > 1) return false;  // more than 64 bits
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
  bool delta(int64_t& acc) {
    uint64_t u = 0;
    if (!varint(u)) return false;
    acc = wrapping_add(acc, unzigzag(u));
    return true;
  }
  bool number(double& v) {
    uint64_t h = 0;
    if (!varint(h)) return false;
    const uint64_t k = h & 7;
    if (k == kRawDouble) {
      if (h != kRawDouble || data_.size() - pos_ < 8) return false;
      uint64_t bits = 0;
      for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
      pos_ += 8;
      std::memcpy(&v, &bits, sizeof v);
    } else {
      v = static_cast<double>(unzigzag(h >> 3)) / kPow10[k];
    }
    return std::isfinite(v);
  }
  bool at_end() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

core::Error damaged(std::string_view what) {
  return core::Error{core::ErrorCode::kInternal, "damaged track chunk: " + std::string(what), ""};
}

}  // namespace

TrackKey track_key(const ingest::Ping& p) {
  return {p.t.ms, std::llround(p.position.lat() * 1e7), std::llround(p.position.lon() * 1e7)};
}

std::string encode_track_chunk(std::span<const ingest::Ping> points) {
  std::vector<const ingest::Ping*> refs;
  refs.reserve(points.size());
  for (const auto& p : points) refs.push_back(&p);
  return encode_track_chunk(refs);
}

std::string encode_track_chunk(std::span<const ingest::Ping* const> points) {
  std::string out;
  out.reserve(8 + points.size() * 32);
  out.push_back(static_cast<char>(kVersion));
  put_varint(out, points.size());
  int64_t t = 0, lat = 0, lon = 0, received = 0;
  for (const ingest::Ping* ref : points) {
    const ingest::Ping& p = *ref;
    const TrackKey k = track_key(p);
    put_varint(out, zigzag(wrapping_sub(k.t_ms, t)));
    put_varint(out, zigzag(wrapping_sub(k.lat_e7, lat)));
    put_varint(out, zigzag(wrapping_sub(k.lon_e7, lon)));
    put_varint(out, zigzag(wrapping_sub(p.received_at.ms, received)));
    t = k.t_ms, lat = k.lat_e7, lon = k.lon_e7, received = p.received_at.ms;
    uint8_t mask = 0;
    for (const Optional& o : kOptionals)
      if (p.*o.field) mask |= o.bit;
    out.push_back(static_cast<char>(mask));
    for (const Optional& o : kOptionals)
      if (p.*o.field) put_number(out, *(p.*o.field));
  }
  return out;
}

core::Result<std::vector<ingest::Ping>> decode_track_chunk(std::string_view data, const core::DriverId& driver) {
  Reader r(data);
  uint8_t version = 0;
  uint64_t count = 0;
  if (!r.byte(version) || !r.varint(count)) return damaged("truncated header");
  if (version != kVersion) return damaged("unknown version " + std::to_string(version));
  if (count > kMaxChunkPoints || count > r.remaining() / kMinPointBytes) return damaged("impossible point count");
  std::vector<ingest::Ping> points;
  points.reserve(count);
  int64_t t = 0, lat = 0, lon = 0, received = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint8_t mask = 0;
    if (!r.delta(t) || !r.delta(lat) || !r.delta(lon) || !r.delta(received) || !r.byte(mask))
      return damaged("truncated point");
    if ((mask & ~kKnownBits) != 0) return damaged("unknown field bits");
    auto position = core::LatLon::from_unsafe({static_cast<double>(lat) / 1e7, static_cast<double>(lon) / 1e7});
    if (!position) return damaged("position out of range");
    ingest::Ping p;
    p.driver_id = driver;
    p.t = core::Timestamp{t};
    p.position = *position;
    p.received_at = core::Timestamp{received};
    for (const Optional& o : kOptionals) {
      if ((mask & o.bit) == 0) continue;
      double v = 0;
      if (!r.number(v)) return damaged("bad field value");
      p.*o.field = v;
    }
    points.push_back(std::move(p));
  }
  if (!r.at_end()) return damaged("trailing bytes");
  return points;
}

std::vector<std::vector<const ingest::Ping*>> plan_track_chunks(std::span<const ingest::Ping> points,
                                                                size_t max_points) {
  std::vector<const ingest::Ping*> sorted;
  sorted.reserve(points.size());
  for (const auto& p : points) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->t < b->t; });
  // Drop repeats of the same fix (same time and position; after the sort, equal times are adjacent).
  std::vector<const ingest::Ping*> unique;
  unique.reserve(sorted.size());
  for (const ingest::Ping* p : sorted) {
    const TrackKey k = track_key(*p);
    bool repeat = false;
    for (auto it = unique.rbegin(); it != unique.rend() && (*it)->t == p->t && !repeat; ++it)
      repeat = track_key(**it) == k;
    if (!repeat) unique.push_back(p);
  }
  std::vector<std::vector<const ingest::Ping*>> chunks;
  max_points = std::clamp<size_t>(max_points, 1, kMaxChunkPoints);
  for (const ingest::Ping* p : unique) {
    if (chunks.empty() || chunks.back().size() >= max_points || p->t.ms - chunks.back().front()->t.ms > kMaxChunkSpanMs)
      chunks.emplace_back();
    chunks.back().push_back(p);
  }
  return chunks;
}

}  // namespace lastmile::storage
