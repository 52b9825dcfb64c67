#include "mqtt/mqtt_publisher.hpp"

#include <mosquitto.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace lastmile::mqtt {
namespace {

constexpr int kLoopSliceMs = 50;

core::Error unavailable(const std::string& what) { return {core::ErrorCode::kUnavailable, what, ""}; }

std::string error_text(int rc) { return rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc); }

}  // namespace

MqttPublisher::MqttPublisher(MqttUrl broker, std::chrono::milliseconds timeout)
    : broker_(std::move(broker)), timeout_(timeout) {
  static const int init = mosquitto_lib_init();  // once per process
  if (init != MOSQ_ERR_SUCCESS) throw std::runtime_error("mosquitto_lib_init failed");
  mosq_ = mosquitto_new(broker_.client_id.c_str(), /*clean_session=*/true, this);
  if (!mosq_) throw std::runtime_error("cannot create the MQTT client: " + std::string(std::strerror(errno)));
  if (!broker_.username.empty() &&
      mosquitto_username_pw_set(mosq_, broker_.username.c_str(),
                                broker_.password.empty() ? nullptr : broker_.password.c_str()) != MOSQ_ERR_SUCCESS)
    throw std::runtime_error("cannot set the MQTT credentials");
  mosquitto_connect_callback_set(mosq_, &MqttPublisher::on_connect);
  mosquitto_publish_callback_set(mosq_, &MqttPublisher::on_publish);
}

MqttPublisher::~MqttPublisher() {
  if (connected_) {
    mosquitto_disconnect(mosq_);
    mosquitto_loop(mosq_, kLoopSliceMs, 1);
  }
  mosquitto_destroy(mosq_);
}

// Runs the network loop until `flag` is set or the timeout passes; false on timeout or a lost connection.
bool MqttPublisher::loop_until(const bool& flag) {
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (!flag) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (mosquitto_loop(mosq_, kLoopSliceMs, 1) != MOSQ_ERR_SUCCESS) return flag;
  }
  return true;
}

void MqttPublisher::disconnect() {
  mosquitto_disconnect(mosq_);
  connected_ = false;
}

core::Status MqttPublisher::connect() {
  const std::string where = display_url(broker_);
  connack_ = false;
  const int rc = mosquitto_connect(mosq_, broker_.host.c_str(), broker_.port, /*keepalive=*/60);
  if (rc != MOSQ_ERR_SUCCESS) return unavailable("connect to " + where + ": " + error_text(rc));
  if (!loop_until(connack_)) {
    disconnect();
    return unavailable("no CONNACK from " + where);
  }
  if (connack_rc_ != 0) {
    disconnect();
    return unavailable(where + " refused the connection: " + mosquitto_connack_string(connack_rc_));
  }
  connected_ = true;
  return core::Status::success();
}

core::Status MqttPublisher::publish(const std::string& topic, const std::string& payload) {
  if (!connected_) {
    if (auto s = connect(); !s) return s;
  }
  int mid = 0;
  acked_ = false;
  const int rc = mosquitto_publish(mosq_, &mid, topic.c_str(), static_cast<int>(payload.size()), payload.data(),
                                   /*qos=*/1, /*retain=*/false);
  if (rc != MOSQ_ERR_SUCCESS) {
    disconnect();
    return unavailable("publish on " + topic + ": " + error_text(rc));
  }
  waiting_mid_ = mid;
  if (!loop_until(acked_)) {
    disconnect();
    return unavailable("no PUBACK for " + topic + " from " + display_url(broker_));
  }
  return core::Status::success();
}

void MqttPublisher::on_connect(mosquitto*, void* obj, int rc) {
  auto* self = static_cast<MqttPublisher*>(obj);
  self->connack_ = true;
  self->connack_rc_ = rc;
}

void MqttPublisher::on_publish(mosquitto*, void* obj, int mid) {
  auto* self = static_cast<MqttPublisher*>(obj);
  if (mid == self->waiting_mid_) self->acked_ = true;
}

}  // namespace lastmile::mqtt
