#pragma once
// An MQTT subscriber on libmosquitto (2.0): connects to one broker, subscribes to one topic filter,
// hands every message to a handler, and reconnects with exponential backoff whenever the broker
// goes away. The session is persistent (clean session off, a fixed client id), so the broker keeps
// the QoS 1 messages published while lastmile is disconnected and resends the unacknowledged ones.
//
// Acknowledgement (QoS 1). libmosquitto has no API to delay a PUBACK (eclipse/mosquitto#118, open).
// Release 2.0 (Debian bookworm's 2.0.11) queues the PUBACK just before calling the message callback
// (lib/handle_publish.c; eclipse/mosquitto#2884), and in threaded mode (set here) a queued packet is
// written only by the network loop — the very thread that is running the callback. So the PUBACK
// leaves the process only after the handler returned:
//  - a handler that made the message durable before returning gives at-least-once delivery: a crash
//    (even kill -9) inside the handler loses nothing, the broker resends the message to the session;
//  - a handler that returns kRedeliver makes the subscriber shut the socket down before the PUBACK
//    can be written: the broker resends the message when the session resumes (after the backoff).
//    PUBACKs of earlier messages not yet written are lost with it, so those come again too: the
//    handler must tolerate duplicates (the ingest pipeline drops exact duplicates).
// This rests on 2.0's implementation, not on a documented contract; MqttSubscriberTest checks it
// against the installed library (a kRedeliver message must come back). The development branch
// calls the callback before queuing the PUBACK, which keeps both properties. Not covered: messages the broker
// itself loses (e.g. restarted without persistence), and QoS 0 messages (never acknowledged).
//
// Threading: one network thread, started by start(), calls the handlers; they may block (the
// connection's keep-alive waits meanwhile). start()/stop() may be called from any thread; stop()
// may be called more than once, and returns after the thread is joined (a handler running then
// finishes first).

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "mqtt/mqtt_url.hpp"

struct mosquitto;
struct mosquitto_message;

namespace lastmile::mqtt {

enum class Disposition {
  kAcknowledge,  // done with it (stored, or not worth retrying): let the PUBACK go
  kRedeliver,    // not durable (e.g. the store is unavailable): have the broker send it again
};

enum class ConnectionState { kConnected, kSubscribed, kDisconnected };

struct SubscriberOptions {
  MqttUrl broker;
  std::string topic_filter = "owntracks/+/+";
  int qos = 1;
  int keepalive_s = 30;
  int reconnect_min_ms = 500;  // first delay after a failure; doubles up to the maximum
  int reconnect_max_ms = 30'000;
};

class MqttSubscriber {
 public:
  // Called on the network thread for every message. Must not call stop().
  using MessageHandler = std::function<Disposition(std::string_view topic, std::string_view payload)>;
  // Called on the network thread when the connection changes (for logs, readiness and metrics).
  using StateHandler = std::function<void(ConnectionState state)>;

  MqttSubscriber(SubscriberOptions options, MessageHandler on_message, StateHandler on_state = {});
  ~MqttSubscriber();  // stop()
  MqttSubscriber(const MqttSubscriber&) = delete;
  MqttSubscriber& operator=(const MqttSubscriber&) = delete;

  // Creates the client and starts the network thread, which connects (and keeps reconnecting) in
  // the background. Throws std::runtime_error when libmosquitto cannot create the client.
  void start();
  // Disconnects cleanly and joins the network thread.
  void stop();

 private:
  void run();
  bool stopping() const { return stop_requested_.load(std::memory_order_acquire); }
  void wait_before_retry(int delay_ms);

  static void on_connect(mosquitto* mosq, void* self, int rc);
  static void on_disconnect(mosquitto* mosq, void* self, int rc);
  static void on_subscribe(mosquitto* mosq, void* self, int mid, int qos_count, const int* granted_qos);
  static void on_message(mosquitto* mosq, void* self, const mosquitto_message* message);

  SubscriberOptions options_;
  MessageHandler on_message_;
  StateHandler on_state_;
  mosquitto* mosq_ = nullptr;  // touched only by the network thread once start() returned
  int backoff_ms_ = 0;         // network thread only
  bool session_up_ = false;    // network thread only: CONNACK accepted on the current connection
  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  std::mutex wait_mu_;
  std::condition_variable wait_cv_;  // wakes wait_before_retry() on stop()
};

}  // namespace lastmile::mqtt
