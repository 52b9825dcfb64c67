#pragma once
// A shipper's branding on the tracking page: which logo URLs a tenant may set.

#include <cstddef>
#include <string_view>

namespace lastmile::domain {

// Room for a small inline (data:) logo; the tracking view (cached per token) carries it every time.
inline constexpr size_t kLogoUrlMaxLen = 8192;

// True for "" (no logo), a path on the same origin ("/brand/logo.svg", not "//host/…"), an https URL,
// or an inline image "data:image/(png|jpeg|webp|svg+xml);base64,<base64>". No whitespace, control
// characters, quotes or backslashes anywhere. The tracking page shows same-origin and data: logos only
// (it loads nothing from another origin); an https logo is kept for e-mails and other channels.
bool is_acceptable_logo_url(std::string_view url);

}  // namespace lastmile::domain
