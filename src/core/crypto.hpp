#pragma once
// Secrets and tokens (OpenSSL). Tokens come from the OS CSPRNG; secrets are stored only as
// SHA-256 hashes and compared in constant time.

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
// Constant-time equality for equal-length strings; false when lengths differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace lastmile::core
