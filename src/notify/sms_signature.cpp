#include "notify/sms_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

#include "core/crypto.hpp"

namespace lastmile::notify {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string sms_signature(std::string_view auth_token, std::string_view url, const FormParams& params) {
  FormParams sorted = params;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string data(url);
  for (const auto& [k, v] : sorted) data += k + v;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len))
    throw std::runtime_error("HMAC failed");
  return base64_encode(std::string_view(reinterpret_cast<const char*>(md), len));
}

bool sms_signature_valid(std::string_view auth_token, std::string_view url, const FormParams& params,
                         std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  return core::constant_time_equal(sms_signature(auth_token, url, params), signature);
}

}  // namespace lastmile::notify
