#pragma once
// Signing a webhook request (docs/webhooks.md, "Verifying a delivery").

#include <cstdint>
#include <string>
#include <string_view>

namespace lastmile::notify {

// "v1=" + hex HMAC-SHA256(secret, "<unix_seconds>.<body>").
std::string webhook_signature(std::string_view secret, int64_t unix_seconds, std::string_view body);

}  // namespace lastmile::notify
