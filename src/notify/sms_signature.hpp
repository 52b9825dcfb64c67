#pragma once
// The X-Twilio-Signature of a provider callback: base64(HMAC-SHA1(auth token, full URL + each POST
// parameter's name and value, sorted by name)). Pure.

#include <string>
#include <string_view>

#include "notify/form_params.hpp"

namespace lastmile::notify {

std::string sms_signature(std::string_view auth_token, std::string_view url, const FormParams& params);

// Compares in constant time; false for an empty token or signature.
bool sms_signature_valid(std::string_view auth_token, std::string_view url, const FormParams& params,
                         std::string_view signature);

std::string base64_encode(std::string_view bytes);

}  // namespace lastmile::notify
