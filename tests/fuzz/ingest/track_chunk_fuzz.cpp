// Fuzzes the track chunk decoder (storage/track_chunk.hpp): a damaged value read from the database
// must give an Error, never a crash, a hang or UB; whatever decodes re-encodes to the same fixes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "storage/track_chunk.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const lastmile::core::DriverId driver("drv_fuzz");
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto r = lastmile::storage::decode_track_chunk(bytes, driver);
  if (!r) return 0;
  auto again = lastmile::storage::decode_track_chunk(lastmile::storage::encode_track_chunk(*r), driver);
  if (!again || again->size() != r->size()) __builtin_trap();
  for (size_t i = 0; i < r->size(); ++i) {
    const auto& a = (*r)[i];
    const auto& b = (*again)[i];
    if (a.t != b.t || a.received_at != b.received_at) __builtin_trap();
    if (lastmile::storage::track_key(a) != lastmile::storage::track_key(b)) __builtin_trap();
    if (a.speed_mps != b.speed_mps || a.altitude_m != b.altitude_m || a.battery_pct != b.battery_pct) __builtin_trap();
  }
  return 0;
}
