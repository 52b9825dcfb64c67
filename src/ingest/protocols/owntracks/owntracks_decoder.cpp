#include "ingest/protocols/owntracks/owntracks_decoder.hpp"

#include <string>

#include "ingest/protocols/json_fields.hpp"

namespace lastmile::ingest::owntracks {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr double kKmhToMps = 1.0 / 3.6;

core::Status check_identity(std::string_view value, const char* name) {
  if (value.empty()) return Error::invalid_field(name, std::string(name) + " must not be empty");
  if (value.find('/') != std::string_view::npos) {
    return Error::invalid_field(name, std::string(name) + " must not contain '/'");
  }
  return core::Status::success();
}

// Reads the location fields of `obj` into a ping; the first problem wins.
core::Result<UnsafePing> decode_location(const json::object& obj) {
  UnsafePing ping;
  auto lat = json_fields::number_field(obj, "lat", "lat", true);
  if (!lat) return lat.error();
  auto lon = json_fields::number_field(obj, "lon", "lon", true);
  if (!lon) return lon.error();
  auto tst = json_fields::number_field(obj, "tst", "tst", true, json_fields::kMaxEpochSeconds);
  if (!tst) return tst.error();
  if (**tst < 0) return Error::invalid_field("tst", "field 'tst' must not be negative");
  ping.position = {**lat, **lon};
  ping.t = core::Timestamp{json_fields::epoch_seconds_to_ms(**tst)};

  struct Optional {
    const char* key;
    std::optional<double> UnsafePing::*target;
    double scale;
  };
  static constexpr Optional kOptionals[] = {
      {"vel", &UnsafePing::speed_mps, kKmhToMps},  {"cog", &UnsafePing::heading_deg, 1.0},
      {"acc", &UnsafePing::accuracy_m, 1.0},       {"alt", &UnsafePing::altitude_m, 1.0},
      {"batt", &UnsafePing::battery_pct, 1.0},
  };
  for (const Optional& field : kOptionals) {
    auto v = json_fields::number_field(obj, field.key, field.key, false);
    if (!v) return v.error();
    if (*v) ping.*field.target = **v * field.scale;
  }

  auto bs = json_fields::number_field(obj, "bs", "bs", false);
  if (!bs) return bs.error();
  if (*bs) {
    if (**bs == 2 || **bs == 3) ping.charging = true;
    if (**bs == 1) ping.charging = false;
  }

  json_fields::keep_unmapped(obj, {"_type", "lat", "lon", "tst", "vel", "cog", "acc", "alt", "batt", "bs"},
                             ping.attributes);
  return ping;
}

}  // namespace

core::Result<std::optional<UnsafePing>> decode(std::string_view payload, std::string_view user,
                                               std::string_view device) {
  if (payload.size() > kMaxPayloadBytes) {
    return Error{ErrorCode::kTooLarge,
                 "payload is larger than " + std::to_string(kMaxPayloadBytes) + " bytes", ""};
  }
  if (auto s = check_identity(user, "user"); !s) return s.error();
  if (auto s = check_identity(device, "device"); !s) return s.error();

  auto parsed = json_fields::parse(payload);
  if (!parsed) return parsed.error();
  if (!parsed->is_object()) return Error{ErrorCode::kInvalidJson, "payload must be a JSON object", ""};
  const json::object& obj = parsed->as_object();

  auto type = json_fields::string_field(obj, "_type", "_type", true);
  if (!type) return type.error();
  if (**type != "location") return std::optional<UnsafePing>{};

  auto ping = decode_location(obj);
  if (!ping) return ping.error();
  ping->device_id.reserve(user.size() + 1 + device.size());
  ping->device_id.append(user).append("/").append(device);
  return std::optional<UnsafePing>{std::move(*ping)};
}

}  // namespace lastmile::ingest::owntracks
