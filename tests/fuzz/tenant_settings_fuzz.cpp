// Fuzzes the tenant settings document's PUT parser and merge patch (src/api/settings_document.hpp):
// arbitrary bytes give a patched document or an Error with a stable code — never a crash, a hang or
// undefined behaviour. An accepted document keeps its limits, shows the same settings again when
// patched with itself (a fixed point), and diffs empty against itself.
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/settings_document.hpp"

namespace settings = lastmile::api::settings;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto put = settings::parse_put(body);
  if (!put) {
    (void)lastmile::core::code_name(put.error().code);
    return 0;
  }
  lastmile::storage::TenantSettingsRecord current;
  current.notifications = lastmile::notify::default_settings();
  auto next = settings::apply_patch(current, put->patch);
  if (!next) {
    (void)lastmile::core::code_name(next.error().code);
    return 0;
  }
  const auto& t = next->tenant;
  if (t.geofence_radius_m < settings::kMinRadiusM || t.geofence_radius_m > settings::kMaxRadiusM) __builtin_trap();
  if (t.show_driver_within_stops < 0 || t.show_driver_within_stops > settings::kMaxWithinStops) __builtin_trap();
  if (t.geofence_dwell_s && (*t.geofence_dwell_s < 0 || *t.geofence_dwell_s > settings::kMaxDwellS)) __builtin_trap();
  const boost::json::object doc = settings::settings_json(*next);
  auto again = settings::apply_patch(*next, doc);
  if (!again) __builtin_trap();
  if (!settings::diff(doc, settings::settings_json(*again)).empty()) __builtin_trap();
  return 0;
}
