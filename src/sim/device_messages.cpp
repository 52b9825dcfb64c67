#include "sim/device_messages.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace lastmile::sim {
namespace {

constexpr double kKnotsPerMps = 3600.0 / 1852.0;

// `v` with `decimals` digits after the point ("-0" never appears: the sign of a zero is dropped).
std::string fixed(double v, int decimals) {
  char buf[64];
  if (v == 0) v = 0;  // -0.0 → 0.0
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return std::string(buf, r.ptr);
}

std::string integer(double v) { return std::to_string(std::llround(v)); }

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string query_value(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

int64_t epoch_s(core::Timestamp t) { return t.ms >= 0 ? t.ms / 1000 : -((-t.ms + 999) / 1000); }

}  // namespace

std::string json_batch_body(const std::vector<SimPing>& pings, int battery_pct) {
  std::string out = "[";
  for (const SimPing& p : pings) {
    if (out.size() > 1) out += ',';
    out += "{\"t\":" + std::to_string(p.t.ms) + ",\"lat\":" + fixed(p.position.lat(), 7) +
           ",\"lon\":" + fixed(p.position.lon(), 7) + ",\"speed\":" + fixed(p.speed_mps, 2) +
           ",\"heading\":" + fixed(p.heading_deg, 1) + ",\"accuracy\":" + fixed(p.accuracy_m, 0) +
           ",\"battery\":" + std::to_string(battery_pct) + "}";
  }
  return out + "]";
}

std::string osmand_target(std::string_view device_id, std::string_view token, const SimPing& p,
                          int battery_pct) {
  return "/?id=" + query_value(device_id) + "&timestamp=" + std::to_string(epoch_s(p.t)) +
         "&lat=" + fixed(p.position.lat(), 7) + "&lon=" + fixed(p.position.lon(), 7) +
         "&speed=" + fixed(p.speed_mps * kKnotsPerMps, 1) + "&bearing=" + fixed(p.heading_deg, 1) +
         "&altitude=0.0&accuracy=" + fixed(p.accuracy_m, 1) + "&batt=" + std::to_string(battery_pct) +
         "&token=" + query_value(token);
}

std::string owntracks_location(const SimPing& p, std::string_view tid, int battery_pct) {
  return "{\"_type\":\"location\",\"tid\":" + json_string(tid) + ",\"tst\":" + std::to_string(epoch_s(p.t)) +
         ",\"lat\":" + fixed(p.position.lat(), 7) + ",\"lon\":" + fixed(p.position.lon(), 7) +
         ",\"acc\":" + integer(p.accuracy_m) + ",\"vel\":" + integer(p.speed_mps * 3.6) +
         ",\"cog\":" + integer(p.heading_deg) + ",\"batt\":" + std::to_string(battery_pct) +
         ",\"bs\":1,\"conn\":\"m\"}";
}

std::string owntracks_topic(std::string_view device_id) { return "owntracks/" + std::string(device_id); }

int phone_battery_pct(core::Timestamp start, core::Timestamp t) {
  const double hours = static_cast<double>(std::max<int64_t>(0, t.ms - start.ms)) / 3'600'000.0;
  return std::max(20, static_cast<int>(std::lround(95.0 - 5.0 * hours)));
}

}  // namespace lastmile::sim
