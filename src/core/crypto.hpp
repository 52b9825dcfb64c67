#pragma once
// Secrets and tokens (OpenSSL). Tokens come from the OS CSPRNG; secrets are stored only as
// SHA-256 hashes and compared in constant time.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lastmile::core {

// `bytes` random bytes from RAND_bytes, base64url without padding. Throws on RNG failure.
std::string random_token(size_t bytes);
// `n` random characters from [a-z0-9] for public ids.
std::string random_alnum(size_t n);
// Random decimal digits (uniform).
std::string random_digits(size_t n);
// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
// Lower-case hex HMAC-SHA256 (RFC 2104) of `data` under `key` (webhook signatures).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Constant-time equality for equal-length strings; false when lengths differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// Credentials presented as "lm_<prefix>_<secret>" (API keys) or "lmd_<prefix>_<secret>" (device
// tokens): the prefix is stored in clear for lookup, the whole token only as its SHA-256.
inline constexpr size_t kCredentialPrefixLen = 12;
// The prefix of a token of either form; empty when `token` is of neither form.
std::string_view credential_prefix(std::string_view token);
// True when `token` hashes to `secret_hash` (sha256_hex), compared in constant time.
bool secret_matches(std::string_view token, std::string_view secret_hash);

// Standard base64 (RFC 4648 §4, with padding, as in HTTP Basic credentials) → bytes; nullopt when
// `text` is not that (wrong length, a character outside the alphabet).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lastmile::core
