#include "notify/webhook_signature.hpp"

#include "core/crypto.hpp"

namespace lastmile::notify {

std::string webhook_signature(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  std::string signed_text = std::to_string(unix_seconds);
  signed_text += '.';
  signed_text += body;
  return "v1=" + core::hmac_sha256_hex(secret, signed_text);
}

}  // namespace lastmile::notify
