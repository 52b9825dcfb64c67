#include "core/json_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>

namespace lastmile::core {

namespace json = boost::json;

Result<json::value> parse_json(std::string_view text, json::storage_ptr storage) {
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, std::move(storage), opt);
  if (ec) return Error{ErrorCode::kInvalidJson, "body is not valid JSON: " + ec.message(), ""};
  return v;
}

Result<json::object> parse_object(std::string_view body) {
  if (body.empty()) return json::object{};
  auto parsed = parse_json(body);
  if (!parsed) return parsed.error();
  json::value& v = *parsed;
  if (!v.is_object()) return Error{ErrorCode::kInvalidJson, "body must be a JSON object", ""};
  return std::move(v.as_object());
}

JsonReader::JsonReader(const json::object& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

std::string JsonReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void JsonReader::fail(Error e) {
  if (!error_) error_ = std::move(e);
}

const json::value* JsonReader::find(std::string_view key, bool required) {
  if (error_) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) fail(Error::missing_field(path_of(key)));
    return nullptr;
  }
  return &it->value();
}

std::string JsonReader::string(std::string_view key, StringRule rule) {
  const json::value* v = find(key, rule.required);
  if (!v) return {};
  if (!v->is_string()) {
    fail(Error::wrong_type(path_of(key), "a string"));
    return {};
  }
  std::string s(v->as_string());
  if (s.size() > rule.max_len) {
    fail(Error::invalid_field(path_of(key), "field '" + path_of(key) + "' is longer than " +
                                                std::to_string(rule.max_len) + " characters"));
    return {};
  }
  if (s.size() < std::max<size_t>(rule.min_len, rule.required ? 1 : 0)) {
    fail(Error::invalid_field(path_of(key), "field '" + path_of(key) + "' must not be empty"));
    return {};
  }
  return s;
}

std::optional<std::string> JsonReader::optional_string(std::string_view key, size_t max_len) {
  if (!find(key, false)) return std::nullopt;
  auto s = string(key, {.required = false, .max_len = max_len});
  if (error_) return std::nullopt;
  return s;
}

std::optional<double> JsonReader::number(std::string_view key, double min, double max, bool required) {
  const json::value* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    fail(Error::wrong_type(path_of(key), "a number"));
    return std::nullopt;
  }
  double d = v->to_number<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    fail(Error::invalid_field(path_of(key), "field '" + path_of(key) + "' must be between " +
                                                json::serialize(json::value(min)) + " and " +
                                                json::serialize(json::value(max))));
    return std::nullopt;
  }
  return d;
}

std::optional<int64_t> JsonReader::integer(std::string_view key, int64_t min, int64_t max, bool required) {
  const json::value* v = find(key, required);
  if (!v) return std::nullopt;
  int64_t i;
  if (v->is_int64()) {
    i = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    i = static_cast<int64_t>(v->as_uint64());
  } else if (v->is_double() && std::floor(v->as_double()) == v->as_double() &&
             std::fabs(v->as_double()) < 9e15) {
    i = static_cast<int64_t>(v->as_double());
  } else {
    fail(Error::wrong_type(path_of(key), "an integer"));
    return std::nullopt;
  }
  if (i < min || i > max) {
    fail(Error::invalid_field(path_of(key), "field '" + path_of(key) + "' must be between " +
                                                std::to_string(min) + " and " + std::to_string(max)));
    return std::nullopt;
  }
  return i;
}

std::optional<bool> JsonReader::boolean(std::string_view key) {
  const json::value* v = find(key, false);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(Error::wrong_type(path_of(key), "a boolean"));
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<Timestamp> JsonReader::timestamp(std::string_view key, bool required) {
  const json::value* v = find(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(Error::wrong_type(path_of(key), "an ISO 8601 time string"));
    return std::nullopt;
  }
  auto t = parse_iso8601(v->as_string());
  if (!t) {
    fail(Error::invalid_field(path_of(key), "field '" + path_of(key) +
                                                "' must be an ISO 8601 time like 2026-11-22T09:30:00Z"));
    return std::nullopt;
  }
  return t;
}

const json::object* JsonReader::object(std::string_view key, bool required) {
  const json::value* v = find(key, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    fail(Error::wrong_type(path_of(key), "an object"));
    return nullptr;
  }
  return &v->as_object();
}

const json::array* JsonReader::array(std::string_view key, size_t max_items, bool required) {
  const json::value* v = find(key, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(Error::wrong_type(path_of(key), "an array"));
    return nullptr;
  }
  if (v->as_array().size() > max_items) {
    fail(Error{ErrorCode::kTooLarge,
               "field '" + path_of(key) + "' has more than " + std::to_string(max_items) + " items",
               path_of(key)});
    return nullptr;
  }
  return &v->as_array();
}

std::optional<LatLon> JsonReader::lat_lon(std::string_view lat_key, std::string_view lon_key) {
  auto lat = number(lat_key, -90, 90);
  auto lon = number(lon_key, -180, 180);
  if (error_) return std::nullopt;
  if (lat.has_value() != lon.has_value()) {
    auto missing = lat ? lon_key : lat_key;
    fail(Error{ErrorCode::kMissingField,
               "fields '" + path_of(lat_key) + "' and '" + path_of(lon_key) + "' go together",
               path_of(missing)});
    return std::nullopt;
  }
  if (!lat) return std::nullopt;
  return LatLon::from_unsafe({*lat, *lon});
}

}  // namespace lastmile::core
