#include "sim/device_protocol.hpp"

#include <array>
#include <utility>

namespace lastmile::sim {
namespace {

constexpr std::array<std::pair<DeviceProtocol, const char*>, 4> kNames{{
    {DeviceProtocol::kJson, "json"},
    {DeviceProtocol::kOsmand, "osmand"},
    {DeviceProtocol::kOwntracksHttp, "owntracks-http"},
    {DeviceProtocol::kOwntracksMqtt, "owntracks-mqtt"},
}};

}  // namespace

const char* device_protocol_name(DeviceProtocol protocol) {
  for (const auto& [p, name] : kNames) {
    if (p == protocol) return name;
  }
  return "json";
}

std::optional<DeviceProtocol> parse_device_protocol(std::string_view name) {
  for (const auto& [p, n] : kNames) {
    if (name == n) return p;
  }
  return std::nullopt;
}

std::vector<DeviceProtocol> assign_protocols(const std::vector<DeviceProtocol>& pool, size_t n, uint64_t seed) {
  std::vector<DeviceProtocol> out;
  out.reserve(n);
  const size_t offset = static_cast<size_t>(seed % pool.size());
  for (size_t i = 0; i < n; ++i) out.push_back(pool[(offset + i) % pool.size()]);
  return out;
}

}  // namespace lastmile::sim
