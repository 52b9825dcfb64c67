#include "storage/redaction.hpp"

#include <array>
#include <boost/json.hpp>

namespace lastmile::storage {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 4> kPersonalKeys = {"recipient_name", "notes", "note", "comment"};

bool is_personal(std::string_view key) {
  for (auto k : kPersonalKeys)
    if (k == key) return true;
  return false;
}

// Returns whether anything under `v` was replaced. Depth is bounded by the stored payloads, which
// the server itself wrote (at most a few levels).
bool redact(json::value& v, std::string_view marker) {
  bool changed = false;
  if (v.is_object()) {
    for (auto& [key, child] : v.as_object()) {
      if (is_personal(key) && child.is_string() && !child.as_string().empty() && child.as_string() != marker) {
        child = json::string(marker);
        changed = true;
      } else {
        changed = redact(child, marker) || changed;
      }
    }
  } else if (v.is_array()) {
    for (auto& child : v.as_array()) changed = redact(child, marker) || changed;
  }
  return changed;
}

}  // namespace

std::optional<std::string> redact_personal_fields(std::string_view payload, std::string_view marker) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  if (!redact(v, marker)) return std::nullopt;
  return json::serialize(v);
}

}  // namespace lastmile::storage
