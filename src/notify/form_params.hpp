#pragma once
// application/x-www-form-urlencoded bodies (the SMS provider's callbacks and our requests to it).
// Pure.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace lastmile::notify {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// Decodes "a=1&b=x+y%21". kInvalidField on a malformed percent escape, an empty key, a NUL byte or
// more than 100 fields; a body of only "" is no fields.
core::Result<FormParams> parse_form(std::string_view body);

// The value of `key` (the first one); nullopt when absent.
std::optional<std::string> form_value(const FormParams& params, std::string_view key);

// Encodes in the given order (spaces as %20, everything outside [A-Za-z0-9-._~] escaped).
std::string encode_form(const FormParams& params);

}  // namespace lastmile::notify
