// Fuzzes the ping stream's message decoder (src/cluster/ping_codec.hpp): arbitrary bytes give a
// batch or one of its stable error codes, never a crash; a decoded batch re-encodes to a message
// that decodes to the same batch (coordinates within 1e-12).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cluster/ping_codec.hpp"

namespace {

bool same(const lastmile::ingest::UnsafePing& a, const lastmile::ingest::UnsafePing& b) {
  // Boost.JSON 1.81 parses a long decimal to within an ulp of the nearest double, not always to it,
  // so a second round trip may move the last bit: equal within 1e-12, far below a GPS fix's meaning.
  auto eq = [](double x, double y) {
    const double scale = std::max({1.0, std::fabs(x), std::fabs(y)});
    return x == y || std::fabs(x - y) <= 1e-12 * scale;
  };
  return a.t == b.t && eq(a.position.lat, b.position.lat) && eq(a.position.lon, b.position.lon) &&
         a.charging == b.charging && a.valid == b.valid && a.speed_mps.has_value() == b.speed_mps.has_value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using lastmile::core::ErrorCode;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto batch = lastmile::cluster::decode_ping_batch(text);
  if (!batch) {
    const ErrorCode c = batch.error().code;
    if (c != ErrorCode::kInvalidJson && c != ErrorCode::kWrongType && c != ErrorCode::kMissingField &&
        c != ErrorCode::kInvalidField && c != ErrorCode::kTooLarge)
      __builtin_trap();
    return 0;
  }
  auto again = lastmile::cluster::decode_ping_batch(lastmile::cluster::encode_ping_batch(*batch));
  if (!again || again->tenant != batch->tenant || again->driver != batch->driver ||
      again->received_at != batch->received_at || again->pings.size() != batch->pings.size())
    __builtin_trap();
  for (size_t i = 0; i < batch->pings.size(); ++i)
    if (!same(batch->pings[i], again->pings[i])) __builtin_trap();
  return 0;
}
