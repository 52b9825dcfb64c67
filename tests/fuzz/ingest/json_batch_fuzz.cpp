// Fuzzes the JSON batch decoder: arbitrary bytes must give pings or an Error with a stable code —
// never a crash, a hang, UB, more pings than allowed, or a non-finite number in a ping.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/protocols/json_batch/json_batch_decoder.hpp"

namespace {

constexpr size_t kMaxPoints = 50;

void require_finite(const std::optional<double>& v) {
  if (v && !std::isfinite(*v)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = lastmile::ingest::json_batch::decode(body, kMaxPoints);
  if (!r) {
    (void)lastmile::core::code_name(r.error().code);
    return 0;
  }
  if (r->empty() || r->size() > kMaxPoints) __builtin_trap();
  for (const auto& p : *r) {
    if (!std::isfinite(p.position.lat) || !std::isfinite(p.position.lon)) __builtin_trap();
    if (p.t.ms < 0 || !p.device_id.empty()) __builtin_trap();
    require_finite(p.speed_mps);
    require_finite(p.heading_deg);
    require_finite(p.accuracy_m);
    require_finite(p.altitude_m);
    require_finite(p.battery_pct);
  }
  return 0;
}
