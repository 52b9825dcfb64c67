#pragma once
// The URLs a webhook subscription may target. Pure (no DNS).

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace lastmile::notify {

struct UrlPolicy {
  // Loopback, private (RFC 1918), link-local and "localhost" hosts are refused unless this is set
  // (serve --webhook-allow-private; tests). Names are not resolved here: see docs/webhooks.md (SSRF).
  bool allow_private = false;
};

// OK when `url` is an absolute http:// or https:// URL with a host, no user:password@, no
// fragment, at most 2048 characters, and (per `policy`) not a private address literal.
// Errors: kInvalidField with field `field` and a message naming the rule broken.
core::Status check_webhook_url(std::string_view url, const UrlPolicy& policy, const std::string& field = "url");

// True when `ip` — a numeric address as a socket reports it ("10.0.0.7", "::1", "::ffff:127.0.0.1") —
// is loopback, unspecified, private (RFC 1918, 100.64/10), link-local or unique-local IPv6, or not
// an address at all. The sender checks the address it actually connected to with it, so a public
// name that resolves (or re-resolves) to a private address is refused too.
bool is_private_address(std::string_view ip);

}  // namespace lastmile::notify
