#pragma once
// How `lastmile simulate`'s phones reach the server: the transport of each public protocol, with the
// wire format from sim/device_messages.hpp. JSON batches go to POST /v1/pings (device token as
// Bearer), OsmAnd fixes one per request to the server's OsmAnd listener (Traccar Client's POST with a
// query string), OwnTracks messages one per request to POST /v1/owntracks (the app's HTTP mode:
// Basic credentials user + device token, X-Limit-U/-D headers) or published with QoS 1 on
// owntracks/<user>/<device> to an MQTT broker. docs/simulator.md, "Protocols".
//
// Thread safety: one DeviceUplink per upload thread (it owns its connections).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/http_client.hpp"
#include "mqtt/mqtt_url.hpp"
#include "sim/device_protocol.hpp"
#include "sim/drive_simulator.hpp"

namespace lastmile::mqtt {
class MqttPublisher;
}

namespace lastmile::app {

struct UplinkTargets {
  HttpEndpoint api;                     // the server's HTTP API
  std::optional<HttpEndpoint> osmand;   // its OsmAnd listener (for osmand devices)
  std::optional<mqtt::MqttUrl> mqtt;    // the broker it subscribes to (for owntracks-mqtt devices)
};

// A phone as the server knows it.
struct SimDevice {
  sim::DeviceProtocol protocol = sim::DeviceProtocol::kJson;
  std::string device_id;  // the driver's device_id; OwnTracks: "<user>/<device>"
  std::string token;      // the driver's device token (lmd_…)
  std::string tid;        // OwnTracks tracker id (two letters)
};

struct UplinkReply {
  uint64_t acknowledged = 0;          // fixes the server (or, over MQTT, the broker) acknowledged
  std::vector<std::string> rejected;  // reasons of fixes the server refused (JSON batches report them)
  std::optional<std::string> error;   // a transport failure or an unexpected answer (the rest not sent)
};

class DeviceUplink {
 public:
  // `client_id`: this uplink's MQTT client id (unique per broker).
  DeviceUplink(const UplinkTargets& targets, const std::string& client_id);
  ~DeviceUplink();
  DeviceUplink(const DeviceUplink&) = delete;
  DeviceUplink& operator=(const DeviceUplink&) = delete;

  // Sends `fixes` as `device` does: one batch (JSON), or one request or message per fix, oldest
  // first, stopping at the first failure (a device whose protocol has no target fails at once).
  UplinkReply send(const SimDevice& device, const std::vector<sim::SimPing>& fixes, int battery_pct);

  // The API connection (delivery reports go there whatever the protocol).
  HttpClient& api() { return api_; }

 private:
  UplinkReply send_json(const SimDevice& device, const std::vector<sim::SimPing>& fixes, int battery_pct);
  std::optional<std::string> send_one(const SimDevice& device, const sim::SimPing& fix, int battery_pct);

  HttpClient api_;
  std::unique_ptr<HttpClient> osmand_;
  std::unique_ptr<mqtt::MqttPublisher> mqtt_;
  std::string mqtt_error_;  // why mqtt_ is null although a broker was given
};

}  // namespace lastmile::app
