#include "api/json_io.hpp"

#include "core/json_writer.hpp"

namespace lastmile::api {

namespace json = boost::json;

std::string to_json(const json::value& v) { return core::to_json(v); }

json::value json_or_null(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return json::value(*s);
}

json::value time_or_null(const std::optional<core::Timestamp>& t) {
  if (!t) return nullptr;
  return json::value(core::format_iso8601(*t));
}

}  // namespace lastmile::api
