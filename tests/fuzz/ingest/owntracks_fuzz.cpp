// Fuzzes the OwnTracks decoder: arbitrary bytes must give a ping, an ignored message or an Error with
// a stable code — never a crash, a hang, UB, or a non-finite number in a ping.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/protocols/owntracks/owntracks_decoder.hpp"

namespace {

void require_finite(const std::optional<double>& v) {
  if (v && !std::isfinite(*v)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  auto r = lastmile::ingest::owntracks::decode(payload, "user", "device");
  if (!r) {
    (void)lastmile::core::code_name(r.error().code);
    return 0;
  }
  if (!r->has_value()) return 0;
  const auto& p = **r;
  if (!std::isfinite(p.position.lat) || !std::isfinite(p.position.lon)) __builtin_trap();
  if (p.t.ms < 0) __builtin_trap();
  if (p.device_id != "user/device") __builtin_trap();
  require_finite(p.speed_mps);
  require_finite(p.heading_deg);
  require_finite(p.accuracy_m);
  require_finite(p.altitude_m);
  require_finite(p.battery_pct);
  return 0;
}
