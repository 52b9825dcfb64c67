#pragma once
// A synchronous MQTT publisher on libmosquitto (2.0), for `lastmile simulate`'s OwnTracks phones:
// publish() sends one QoS 1 message and returns once the broker acknowledged it (PUBACK), as the
// OwnTracks app counts a location as sent. Clean session: nothing is kept for the client id between
// connections (a message whose PUBACK never came is reported as failed, not resent).
//
// Threading: one MqttPublisher per thread; it runs libmosquitto's network loop inside publish().

#include <chrono>
#include <string>

#include "core/error.hpp"
#include "mqtt/mqtt_url.hpp"

struct mosquitto;

namespace lastmile::mqtt {

class MqttPublisher {
 public:
  // `broker.client_id` must be unique among the broker's clients (the broker drops an older
  // connection with the same id).
  MqttPublisher(MqttUrl broker, std::chrono::milliseconds timeout);
  ~MqttPublisher();
  MqttPublisher(const MqttPublisher&) = delete;
  MqttPublisher& operator=(const MqttPublisher&) = delete;

  // Publishes `payload` on `topic` with QoS 1 (not retained) and waits for the PUBACK, connecting
  // first when not connected. Errors: kUnavailable (cannot connect, the broker refused the
  // connection — the message has its CONNACK reason —, or no PUBACK within the timeout: the
  // connection is dropped and the next call reconnects).
  core::Status publish(const std::string& topic, const std::string& payload);

 private:
  core::Status connect();
  bool loop_until(const bool& flag);
  void disconnect();

  static void on_connect(mosquitto* mosq, void* self, int rc);
  static void on_publish(mosquitto* mosq, void* self, int mid);

  MqttUrl broker_;
  std::chrono::milliseconds timeout_;
  mosquitto* mosq_ = nullptr;
  bool connected_ = false;
  bool connack_ = false;    // a CONNACK came (connack_rc_ says whether accepted)
  int connack_rc_ = 0;
  int waiting_mid_ = -1;   // the message whose PUBACK publish() waits for
  bool acked_ = false;
};

}  // namespace lastmile::mqtt
