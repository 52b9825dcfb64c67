// Fuzzes the POST /v1/webhooks body parser: arbitrary bytes give either a request or an Error with
// a stable code — never a crash, a hang or undefined behaviour. A request that got through keeps
// the parser's promises: an accepted URL, 1..50 distinct valid patterns, a short description. The
// same bytes go to the rotate-secret body parser, whose grace period stays within 0..168 hours.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "notify/subscription_request.hpp"
#include "notify/webhook_types.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace notify = lastmile::notify;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto grace = notify::parse_rotation_request(body); grace) {
    if (*grace < 0 || *grace > notify::kMaxRotationGraceHours) __builtin_trap();
  } else {
    (void)lastmile::core::code_name(grace.error().code);
  }
  auto req = notify::parse_subscription_request(body, notify::UrlPolicy{});
  if (!req) {
    (void)lastmile::core::code_name(req.error().code);
    return 0;
  }
  if (!notify::check_webhook_url(req->url, notify::UrlPolicy{})) __builtin_trap();
  if (req->events.empty() || req->events.size() > notify::kMaxSubscriptionEvents) __builtin_trap();
  for (size_t i = 0; i < req->events.size(); ++i) {
    if (!notify::valid_event_pattern(req->events[i])) __builtin_trap();
    if (std::count(req->events.begin(), req->events.end(), req->events[i]) != 1) __builtin_trap();
  }
  if (req->description.size() > 200) __builtin_trap();
  return 0;
}
