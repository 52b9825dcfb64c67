#include "cluster/ping_codec.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace lastmile::cluster {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

void put_optional(json::object& o, const char* key, const std::optional<double>& v) {
  if (v && std::isfinite(*v)) o[key] = *v;
}

// A finite JSON number as a double: integers too. An exponent too large for a double (1e400) parses
// to infinity: refused, as the encoder could not write it back.
std::optional<double> number(const json::value& v) {
  if (v.is_double()) {
    if (!std::isfinite(v.get_double())) return std::nullopt;
    return v.get_double();
  }
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

core::Result<int64_t> integer(const json::object& o, std::string_view key, const std::string& path) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return Error::missing_field(path + std::string(key));
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(v->get_uint64());
  return Error::wrong_type(path + std::string(key), "an integer");
}

core::Result<std::optional<double>> optional_number(const json::object& o, std::string_view key,
                                                    const std::string& path) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::optional<double>();
  auto n = number(*v);
  if (!n) return Error::wrong_type(path + std::string(key), "a finite number");
  return n;
}

core::Result<std::optional<bool>> optional_bool(const json::object& o, std::string_view key, const std::string& path) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) return Error::wrong_type(path + std::string(key), "a boolean");
  return std::optional<bool>(v->get_bool());
}

core::Result<std::string> id_field(const json::object& o, std::string_view key, std::string_view prefix) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return Error::missing_field(std::string(key));
  if (!v->is_string()) return Error::wrong_type(std::string(key), "a string");
  std::string s(v->get_string());
  if (s.size() > 64 || !s.starts_with(prefix)) return Error::invalid_field(std::string(key), "not an id of this kind");
  return s;
}

core::Result<ingest::UnsafePing> decode_ping(const json::value& v, size_t i) {
  const std::string path = "pings[" + std::to_string(i) + "].";
  if (!v.is_object()) return Error::wrong_type("pings[" + std::to_string(i) + "]", "an object");
  const auto& o = v.get_object();
  ingest::UnsafePing p;
  auto t = integer(o, "t", path);
  if (!t) return t.error();
  p.t = core::Timestamp{*t};
  for (auto [key, out] : {std::pair{"lat", &p.position.lat}, std::pair{"lon", &p.position.lon}}) {
    const auto* f = o.if_contains(key);
    if (f == nullptr) return Error::missing_field(path + key);
    auto n = number(*f);
    if (!n) return Error::wrong_type(path + key, "a finite number");
    *out = *n;
  }
  const std::pair<const char*, std::optional<double>*> optionals[] = {
      {"speed", &p.speed_mps},     {"heading", &p.heading_deg}, {"accuracy", &p.accuracy_m},
      {"altitude", &p.altitude_m}, {"battery", &p.battery_pct}};
  for (auto [key, out] : optionals) {
    auto n = optional_number(o, key, path);
    if (!n) return n.error();
    *out = *n;
  }
  auto charging = optional_bool(o, "charging", path);
  if (!charging) return charging.error();
  p.charging = *charging;
  auto valid = optional_bool(o, "valid", path);
  if (!valid) return valid.error();
  p.valid = *valid;
  return p;
}

}  // namespace

std::string encode_ping_batch(const PingBatch& batch) {
  json::array pings;
  pings.reserve(batch.pings.size());
  for (const auto& p : batch.pings) {
    json::object o;
    o["t"] = p.t.ms;
    o["lat"] = p.position.lat;
    o["lon"] = p.position.lon;
    put_optional(o, "speed", p.speed_mps);
    put_optional(o, "heading", p.heading_deg);
    put_optional(o, "accuracy", p.accuracy_m);
    put_optional(o, "altitude", p.altitude_m);
    put_optional(o, "battery", p.battery_pct);
    if (p.charging) o["charging"] = *p.charging;
    if (p.valid) o["valid"] = *p.valid;
    pings.push_back(std::move(o));
  }
  return json::serialize(json::object{{"v", kPingFormatVersion},
                                      {"tenant", batch.tenant.str()},
                                      {"driver", batch.driver.str()},
                                      {"received_at", batch.received_at.ms},
                                      {"pings", std::move(pings)}});
}

core::Result<PingBatch> decode_ping_batch(std::string_view text) {
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec) return Error{ErrorCode::kInvalidJson, "ping message is not JSON: " + ec.message(), ""};
  if (!doc.is_object()) return Error::wrong_type("", "an object");
  const auto& o = doc.get_object();
  auto version = integer(o, "v", "");
  if (!version) return version.error();
  if (*version != kPingFormatVersion)
    return Error::invalid_field("v", "unknown ping message version " + std::to_string(*version));
  auto tenant = id_field(o, "tenant", core::TenantId::prefix());
  if (!tenant) return tenant.error();
  auto driver = id_field(o, "driver", core::DriverId::prefix());
  if (!driver) return driver.error();
  auto received = integer(o, "received_at", "");
  if (!received) return received.error();
  const auto* pings = o.if_contains("pings");
  if (pings == nullptr) return Error::missing_field("pings");
  if (!pings->is_array()) return Error::wrong_type("pings", "an array");
  const auto& arr = pings->get_array();
  if (arr.empty()) return Error::invalid_field("pings", "a ping message carries at least one ping");
  if (arr.size() > kMaxPingsPerMessage)
    return Error{ErrorCode::kTooLarge, "more than " + std::to_string(kMaxPingsPerMessage) + " pings", "pings"};
  PingBatch batch{core::TenantId(std::move(*tenant)), core::DriverId(std::move(*driver)), core::Timestamp{*received}, {}};
  batch.pings.reserve(arr.size());
  for (size_t i = 0; i < arr.size(); ++i) {
    auto p = decode_ping(arr[i], i);
    if (!p) return p.error();
    batch.pings.push_back(std::move(*p));
  }
  return batch;
}

}  // namespace lastmile::cluster
