#include "notify/subscription_request.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "core/json_reader.hpp"
#include "notify/webhook_types.hpp"

namespace lastmile::notify {

namespace json = boost::json;
using core::Error;

core::Result<SubscriptionRequest> parse_subscription_request(std::string_view body, const UrlPolicy& policy) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Error{core::ErrorCode::kInvalidJson, "body is not valid JSON", ""};
  if (!v.is_object()) return Error{core::ErrorCode::kWrongType, "body must be a JSON object", ""};
  core::JsonReader r(v.as_object());
  SubscriptionRequest out;
  out.url = r.string("url", {.required = true, .max_len = 2048});
  out.description = r.string("description", {.max_len = 200});
  const json::array* events = r.array("events", kMaxSubscriptionEvents, true);
  if (r.error()) return *r.error();
  if (auto st = check_webhook_url(out.url, policy); !st) return st.error();
  if (events->empty()) return Error::invalid_field("events", "events must name at least one event type");
  for (size_t i = 0; i < events->size(); ++i) {
    const std::string field = "events[" + std::to_string(i) + "]";
    const json::value& e = (*events)[i];
    if (!e.is_string()) return Error::wrong_type(field, "a string");
    const std::string name(e.as_string());
    if (!valid_event_pattern(name))
      return Error::invalid_field(field, "unknown event type '" + name.substr(0, 64) + "' (see docs/webhooks.md)");
    if (std::find(out.events.begin(), out.events.end(), name) == out.events.end()) out.events.push_back(name);
  }
  return out;
}

core::Result<int64_t> parse_rotation_request(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return int64_t{24};
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Error{core::ErrorCode::kInvalidJson, "body is not valid JSON", ""};
  if (!v.is_object()) return Error{core::ErrorCode::kWrongType, "body must be a JSON object", ""};
  core::JsonReader r(v.as_object());
  const auto hours = r.integer("grace_hours", 0, kMaxRotationGraceHours);
  if (r.error()) return *r.error();
  return hours.value_or(24);
}

}  // namespace lastmile::notify
