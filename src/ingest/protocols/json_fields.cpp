#include "ingest/protocols/json_fields.hpp"

#include "core/json_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>

namespace lastmile::ingest::json_fields {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

core::Result<json::value> parse(std::string_view text) { return core::parse_json(text); }

namespace {

// The member `field` of `obj`, or nullptr when absent or null.
const json::value* find(const json::object& obj, std::string_view field) {
  auto it = obj.find(field);
  if (it == obj.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

}  // namespace

core::Result<std::optional<double>> number_field(const json::object& obj, std::string_view field,
                                                 const std::string& path, bool required, double max_abs) {
  const json::value* v = find(obj, field);
  if (!v) {
    if (required) return Error::missing_field(path);
    return std::optional<double>{};
  }
  if (!v->is_number()) return Error::wrong_type(path, "a number");
  double d = v->to_number<double>();
  if (!std::isfinite(d)) return Error::invalid_field(path, "field '" + path + "' must be finite");
  if (std::fabs(d) > max_abs) return Error::invalid_field(path, "field '" + path + "' is too large");
  return std::optional<double>{d};
}

core::Result<std::optional<std::string>> string_field(const json::object& obj, std::string_view field,
                                                      const std::string& path, bool required) {
  const json::value* v = find(obj, field);
  if (!v) {
    if (required) return Error::missing_field(path);
    return std::optional<std::string>{};
  }
  if (!v->is_string()) return Error::wrong_type(path, "a string");
  return std::optional<std::string>{std::string(v->as_string())};
}

int64_t epoch_seconds_to_ms(double seconds) {
  // REQUIRES: 0 <= seconds <= kMaxEpochSeconds, so the product fits int64 (< 2.6e14).
  return static_cast<int64_t>(std::llround(seconds * 1000.0));
}

std::string attribute_text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return json::serialize(v);
}

void keep_unmapped(const json::object& obj, std::initializer_list<std::string_view> mapped,
                   std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& member : obj) {
    std::string_view key = member.key();
    if (std::find(mapped.begin(), mapped.end(), key) != mapped.end()) continue;
    out.emplace_back(std::string(key), attribute_text(member.value()));
  }
}

}  // namespace lastmile::ingest::json_fields
