#pragma once
// The broker address of `lastmile serve --mqtt`: mqtt://[user:password@]HOST[:PORT][?client_id=ID].
// Pure parsing; no I/O.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace lastmile::mqtt {

struct MqttUrl {
  std::string host;
  int port = 1883;
  std::string username;  // empty: connect without credentials
  std::string password;
  // The MQTT client id. The session is persistent (clean session off), so the broker keeps QoS 1
  // messages for this id while lastmile is down: two servers must not share one id.
  std::string client_id = "lastmile";
};

// Errors: kInvalidField (field "mqtt") for another scheme (mqtts is not supported), no host, a port
// outside 1–65535, bad percent-encoding, or a query parameter other than client_id.
core::Result<MqttUrl> parse_mqtt_url(std::string_view text);

// The URL without the password, for logs: "mqtt://user@host:port".
std::string display_url(const MqttUrl& url);

}  // namespace lastmile::mqtt
