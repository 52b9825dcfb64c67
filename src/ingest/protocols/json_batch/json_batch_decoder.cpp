#include "ingest/protocols/json_batch/json_batch_decoder.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <cmath>
#include <cstddef>
#include <string>

#include "core/json_reader.hpp"
#include "ingest/protocols/json_fields.hpp"

namespace lastmile::ingest::json_batch {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr double kMaxEpochMs = json_fields::kMaxEpochSeconds * 1000.0 + 999.0;

core::Result<core::Timestamp> decode_time(const json::object& point, const std::string& prefix) {
  const std::string path = prefix + ".t";
  auto it = point.find("t");
  if (it == point.end() || it->value().is_null()) return Error::missing_field(path);
  const json::value& v = it->value();
  if (v.is_string()) {
    auto t = core::parse_iso8601(v.as_string());
    if (!t) return Error::invalid_field(path, "field '" + path + "' must be an ISO 8601 time");
    if (t->ms < 0) return Error::invalid_field(path, "field '" + path + "' must not be before 1970");
    return *t;
  }
  if (!v.is_number()) return Error::wrong_type(path, "an ISO 8601 string or epoch milliseconds");
  auto ms = json_fields::number_field(point, "t", path, true, kMaxEpochMs);
  if (!ms) return ms.error();
  if (**ms < 0) return Error::invalid_field(path, "field '" + path + "' must not be negative");
  return core::Timestamp{static_cast<int64_t>(std::llround(**ms))};
}

core::Result<UnsafePing> decode_point(const json::value& v, size_t index) {
  const std::string prefix = "[" + std::to_string(index) + "]";
  if (!v.is_object()) return Error::wrong_type(prefix, "an object");
  const json::object& point = v.as_object();
  UnsafePing ping;

  auto t = decode_time(point, prefix);
  if (!t) return t.error();
  ping.t = *t;
  auto lat = json_fields::number_field(point, "lat", prefix + ".lat", true);
  if (!lat) return lat.error();
  auto lon = json_fields::number_field(point, "lon", prefix + ".lon", true);
  if (!lon) return lon.error();
  ping.position = {**lat, **lon};

  struct Optional {
    const char* key;
    std::optional<double> UnsafePing::*target;
  };
  static constexpr Optional kOptionals[] = {
      {"speed", &UnsafePing::speed_mps},     {"heading", &UnsafePing::heading_deg},
      {"accuracy", &UnsafePing::accuracy_m}, {"altitude", &UnsafePing::altitude_m},
      {"battery", &UnsafePing::battery_pct},
  };
  for (const Optional& field : kOptionals) {
    auto value = json_fields::number_field(point, field.key, prefix + "." + field.key, false);
    if (!value) return value.error();
    ping.*field.target = *value;
  }

  json_fields::keep_unmapped(point, {"t", "lat", "lon", "speed", "heading", "accuracy", "altitude", "battery"},
                             ping.attributes);
  return ping;
}

// A number decode_point accepts: finite and |x| <= max_abs.
bool plain_number(const json::value& v, double max_abs, double& out) {
  if (!v.is_number()) return false;
  out = v.to_number<double>();
  return std::isfinite(out) && std::fabs(out) <= max_abs;
}

// The common case without building an error path: a point whose members are all mapped and valid
// gives the same UnsafePing as decode_point; anything else (an unmapped key, a wrong type, a
// missing field…) gives nullopt, and decode_point then says exactly what, or keeps the attributes.
std::optional<UnsafePing> decode_plain_point(const json::value& v) {
  const json::object* point = v.if_object();
  if (!point) return std::nullopt;
  UnsafePing ping;
  bool has_t = false, has_lat = false, has_lon = false;
  double lat = 0, lon = 0;
  for (const auto& member : *point) {
    const std::string_view key = member.key();
    const json::value& value = member.value();
    if (key == "t") {
      if (value.is_string()) {
        auto t = core::parse_iso8601(value.get_string());
        if (!t || t->ms < 0) return std::nullopt;
        ping.t = *t;
      } else {
        double ms = 0;
        if (!plain_number(value, kMaxEpochMs, ms) || ms < 0) return std::nullopt;
        ping.t = core::Timestamp{static_cast<int64_t>(std::llround(ms))};
      }
      has_t = true;
    } else if (key == "lat") {
      if (!plain_number(value, json_fields::kMaxAbsMeasurement, lat)) return std::nullopt;
      has_lat = true;
    } else if (key == "lon") {
      if (!plain_number(value, json_fields::kMaxAbsMeasurement, lon)) return std::nullopt;
      has_lon = true;
    } else {
      std::optional<double> UnsafePing::*target = nullptr;
      if (key == "speed") target = &UnsafePing::speed_mps;
      else if (key == "heading") target = &UnsafePing::heading_deg;
      else if (key == "accuracy") target = &UnsafePing::accuracy_m;
      else if (key == "altitude") target = &UnsafePing::altitude_m;
      else if (key == "battery") target = &UnsafePing::battery_pct;
      else return std::nullopt;
      if (value.is_null()) continue;
      double d = 0;
      if (!plain_number(value, json_fields::kMaxAbsMeasurement, d)) return std::nullopt;
      ping.*target = d;
    }
  }
  if (!has_t || !has_lat || !has_lon) return std::nullopt;
  ping.position = {lat, lon};
  return ping;
}

}  // namespace

core::Result<std::vector<UnsafePing>> decode(std::string_view body, size_t max_points) {
  // The parsed document lives in one buffer (on the stack while small) released at once: no
  // allocation per JSON object or string.
  alignas(std::max_align_t) unsigned char stack_buffer[16 * 1024];
  json::monotonic_resource resource(stack_buffer, sizeof stack_buffer);
  auto parsed = core::parse_json(body, json::storage_ptr(&resource));
  if (!parsed) return parsed.error();
  if (!parsed->is_array()) return Error{ErrorCode::kInvalidJson, "body must be a JSON array of points", ""};
  const json::array& points = parsed->as_array();
  if (points.empty()) return Error::invalid_field("", "the batch must contain at least one point");
  if (points.size() > max_points) {
    return Error{ErrorCode::kTooLarge,
                 "the batch has more than " + std::to_string(max_points) + " points", ""};
  }

  std::vector<UnsafePing> pings;
  pings.reserve(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    if (auto plain = decode_plain_point(points[i])) {
      pings.push_back(std::move(*plain));
      continue;
    }
    auto ping = decode_point(points[i], i);
    if (!ping) return ping.error();
    pings.push_back(std::move(*ping));
  }
  return pings;
}

}  // namespace lastmile::ingest::json_batch
