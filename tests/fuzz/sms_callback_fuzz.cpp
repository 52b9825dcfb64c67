// Fuzzes the provider callbacks' form-body parser, the signature check and the keyword reader:
// arbitrary bytes give fields or kInvalidField, never a crash; what parses re-encodes to the same
// fields.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "notify/form_params.hpp"
#include "notify/sms_keywords.hpp"
#include "notify/sms_signature.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = lastmile::notify::parse_form(body);
  if (!form) {
    if (form.error().code != lastmile::core::ErrorCode::kInvalidField) __builtin_trap();
    return 0;
  }
  auto again = lastmile::notify::parse_form(lastmile::notify::encode_form(*form));
  if (!again || *again != *form) __builtin_trap();
  (void)lastmile::notify::sms_signature_valid("token", "https://example.com/v1/sms/inbound", *form, "AAAA");
  if (auto b = lastmile::notify::form_value(*form, "Body")) (void)lastmile::notify::sms_keyword(*b);
  return 0;
}
