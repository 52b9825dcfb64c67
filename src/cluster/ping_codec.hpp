#pragma once
// The ping stream's message: one batch of decoded pings of one driver, as a device or HTTP client
// sent it, with the server's arrival time. Versioned JSON (Boost.JSON):
//
//   {"v":1,"tenant":"ten_…","driver":"drv_…","received_at":<ms>,
//    "pings":[{"t":<ms>,"lat":<deg>,"lon":<deg>,"speed":…,"heading":…,"accuracy":…,"altitude":…,
//              "battery":…,"charging":<bool>,"valid":<bool>}, …]}
//
// Optional fields are left out when absent. The pings are not yet filtered (the shard owner filters
// them with the driver's state); the decoder checks shape and types only.
//
// Errors of decode_ping_batch (nothing else is touched): kInvalidJson (not JSON), kWrongType (a field
// of the wrong JSON type), kMissingField, kInvalidField (unknown version, bad id, no pings),
// kTooLarge (more than kMaxPingsPerMessage pings).

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "ingest/ping.hpp"

namespace lastmile::cluster {

inline constexpr int kPingFormatVersion = 1;
inline constexpr size_t kMaxPingsPerMessage = 1000;

struct PingBatch {
  core::TenantId tenant;
  core::DriverId driver;
  core::Timestamp received_at;
  std::vector<ingest::UnsafePing> pings;  // device_id, device_secret and attributes are not carried
};

std::string encode_ping_batch(const PingBatch& batch);
core::Result<PingBatch> decode_ping_batch(std::string_view text);

}  // namespace lastmile::cluster
