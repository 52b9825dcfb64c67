#pragma once
// Which public protocol a simulated phone speaks (`lastmile simulate --protocol`): the driver app's
// JSON batches, Traccar Client / OsmAnd, OwnTracks over HTTP or over MQTT. Pure.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace lastmile::sim {

enum class DeviceProtocol { kJson, kOsmand, kOwntracksHttp, kOwntracksMqtt };

// Stable names (the CLI's): "json", "osmand", "owntracks-http", "owntracks-mqtt".
const char* device_protocol_name(DeviceProtocol protocol);
// The protocol of a name above; nullopt for anything else ("mixed" included).
std::optional<DeviceProtocol> parse_device_protocol(std::string_view name);

// The protocol of each of `n` devices: `pool` round robin, starting at pool[seed % pool.size()]
// (`--protocol mixed`; a pool of one gives every device that protocol). REQUIRES: pool not empty.
std::vector<DeviceProtocol> assign_protocols(const std::vector<DeviceProtocol>& pool, size_t n, uint64_t seed);

// How the protocol uploads: one fix per request (the tracker apps) or batches (the driver app).
inline bool sends_one_fix_per_request(DeviceProtocol protocol) { return protocol != DeviceProtocol::kJson; }

}  // namespace lastmile::sim
