#include "mqtt/mqtt_subscriber.hpp"

#include <mosquitto.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <stdexcept>

namespace lastmile::mqtt {
namespace {

constexpr int kLoopTimeoutMs = 250;  // how soon the network thread notices stop()

void init_library() {
  static const int rc = mosquitto_lib_init();  // once per process (not thread-safe itself)
  if (rc != MOSQ_ERR_SUCCESS) throw std::runtime_error("mosquitto_lib_init failed");
}

std::string error_text(int rc) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
  return mosquitto_strerror(rc);
}

}  // namespace

MqttSubscriber::MqttSubscriber(SubscriberOptions options, MessageHandler on_message, StateHandler on_state)
    : options_(std::move(options)), on_message_(std::move(on_message)), on_state_(std::move(on_state)) {}

MqttSubscriber::~MqttSubscriber() {
  stop();
  if (mosq_) mosquitto_destroy(mosq_);
}

void MqttSubscriber::start() {
  init_library();
  mosq_ = mosquitto_new(options_.broker.client_id.c_str(), /*clean_session=*/false, this);
  if (!mosq_) throw std::runtime_error("cannot create the MQTT client: " + std::string(std::strerror(errno)));
  // Threaded mode: packets queued by the library are written only by the network loop (see the
  // header on acknowledgements). We run that loop ourselves, on thread_.
  mosquitto_threaded_set(mosq_, true);
  if (!options_.broker.username.empty() &&
      mosquitto_username_pw_set(
          mosq_, options_.broker.username.c_str(),
          options_.broker.password.empty() ? nullptr : options_.broker.password.c_str()) != MOSQ_ERR_SUCCESS)
    throw std::runtime_error("cannot set the MQTT credentials");
  mosquitto_connect_callback_set(mosq_, &MqttSubscriber::on_connect);
  mosquitto_disconnect_callback_set(mosq_, &MqttSubscriber::on_disconnect);
  mosquitto_subscribe_callback_set(mosq_, &MqttSubscriber::on_subscribe);
  mosquitto_message_callback_set(mosq_, &MqttSubscriber::on_message);
  backoff_ms_ = options_.reconnect_min_ms;
  thread_ = std::thread([this] { run(); });
}

void MqttSubscriber::stop() {
  {
    std::lock_guard lock(wait_mu_);
    stop_requested_.store(true, std::memory_order_release);
  }
  wait_cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void MqttSubscriber::wait_before_retry(int delay_ms) {
  std::unique_lock lock(wait_mu_);
  wait_cv_.wait_for(lock, std::chrono::milliseconds(delay_ms), [this] { return stopping(); });
}

void MqttSubscriber::run() {
  const std::string where = display_url(options_.broker);
  while (!stopping()) {
    // Non-blocking TCP connect (only the name lookup blocks), so stop() is noticed while connecting.
    int rc = mosquitto_connect_async(mosq_, options_.broker.host.c_str(), options_.broker.port,
                                     options_.keepalive_s);
    if (rc == MOSQ_ERR_SUCCESS) {
      // The loop completes the connect, sends CONNECT, reads CONNACK (on_connect subscribes) and messages.
      session_up_ = false;
      while (!stopping() && rc == MOSQ_ERR_SUCCESS) rc = mosquitto_loop(mosq_, kLoopTimeoutMs, 1);
      if (stopping()) break;
      spdlog::warn("mqtt: {} {} ({}); retrying in {} ms",
                   session_up_ ? "connection lost to" : "cannot connect to", where, error_text(rc),
                   backoff_ms_);
    } else {
      spdlog::warn("mqtt: cannot connect to {} ({}); retrying in {} ms", where, error_text(rc), backoff_ms_);
    }
    wait_before_retry(backoff_ms_);
    backoff_ms_ = std::min(backoff_ms_ * 2, options_.reconnect_max_ms);
  }
  // Clean stop: DISCONNECT (the broker keeps the session for the next start), flushed briefly.
  if (mosquitto_disconnect(mosq_) == MOSQ_ERR_SUCCESS) {
    for (int i = 0; i < 8 && mosquitto_loop(mosq_, 50, 1) == MOSQ_ERR_SUCCESS; ++i) {
    }
  }
  spdlog::info("mqtt: stopped");
}

void MqttSubscriber::on_connect(mosquitto* mosq, void* obj, int rc) {
  auto* self = static_cast<MqttSubscriber*>(obj);
  const std::string where = display_url(self->options_.broker);
  if (rc != 0) {
    // Refused (bad credentials, not authorised…): the loop sees the connection end and retries.
    spdlog::error("mqtt: {} refused the connection: {}", where, mosquitto_connack_string(rc));
    return;
  }
  self->backoff_ms_ = self->options_.reconnect_min_ms;
  self->session_up_ = true;
  spdlog::info("mqtt: connected to {}", where);
  if (self->on_state_) self->on_state_(ConnectionState::kConnected);
  const int sub = mosquitto_subscribe(mosq, nullptr, self->options_.topic_filter.c_str(), self->options_.qos);
  if (sub != MOSQ_ERR_SUCCESS) spdlog::error("mqtt: cannot subscribe: {}", error_text(sub));
}

void MqttSubscriber::on_disconnect(mosquitto*, void* obj, int rc) {
  auto* self = static_cast<MqttSubscriber*>(obj);
  if (rc != 0) spdlog::info("mqtt: disconnected from {}", display_url(self->options_.broker));
  if (self->on_state_) self->on_state_(ConnectionState::kDisconnected);
}

void MqttSubscriber::on_subscribe(mosquitto*, void* obj, int, int qos_count, const int* granted_qos) {
  auto* self = static_cast<MqttSubscriber*>(obj);
  if (qos_count < 1 || granted_qos[0] > 2) {
    spdlog::error("mqtt: the broker refused the subscription to {}", self->options_.topic_filter);
    return;
  }
  spdlog::info("mqtt: subscribed to {} (QoS {})", self->options_.topic_filter, granted_qos[0]);
  if (self->on_state_) self->on_state_(ConnectionState::kSubscribed);
}

void MqttSubscriber::on_message(mosquitto* mosq, void* obj, const mosquitto_message* message) {
  auto* self = static_cast<MqttSubscriber*>(obj);
  const std::string_view topic = message->topic ? message->topic : "";
  const std::string_view payload(static_cast<const char*>(message->payload),
                                 message->payload ? static_cast<size_t>(message->payloadlen) : 0);
  Disposition d = Disposition::kAcknowledge;
  try {
    d = self->on_message_(topic, payload);
  } catch (const std::exception& e) {
    // A bug, not a transient failure: resending the message would fail the same way forever.
    spdlog::error("mqtt: message handler failed on topic {}: {}", topic, e.what());
  }
  if (d == Disposition::kRedeliver && message->qos > 0) {
    // The PUBACK is queued but not yet written (see the header): end the connection first.
    const int fd = mosquitto_socket(mosq);
    if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
  }
}

}  // namespace lastmile::mqtt
