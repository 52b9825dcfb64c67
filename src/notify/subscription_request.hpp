#pragma once
// The body of POST /v1/webhooks, parsed and checked. Pure: the untrusted JSON becomes a
// SubscriptionRequest only through parse_subscription_request.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "notify/webhook_url.hpp"

namespace lastmile::notify {

inline constexpr size_t kMaxSubscriptionEvents = 50;

struct SubscriptionRequest {
  std::string url;
  std::vector<std::string> events;  // 1..50 valid patterns (valid_event_pattern), duplicates dropped
  std::string description;          // at most 200 characters, may be empty
};

// `body`: the raw request body. Errors: kInvalidJson (not JSON), kWrongType (not an object, or a
// field of the wrong type), kMissingField ("url", "events"), kInvalidField ("url" per
// check_webhook_url, "events" empty, "events[i]" an unknown type), kTooLarge ("events" > 50).
core::Result<SubscriptionRequest> parse_subscription_request(std::string_view body, const UrlPolicy& policy);

inline constexpr int64_t kMaxRotationGraceHours = 168;

// The body of POST /v1/webhooks/{id}/rotate-secret: {"grace_hours": 0..168}, default 24; an empty
// body is the default. Returns the grace period in hours. Errors: kInvalidJson, kWrongType,
// kInvalidField ("grace_hours" out of range).
core::Result<int64_t> parse_rotation_request(std::string_view body);

}  // namespace lastmile::notify
