#pragma once
// One connection to a NATS cluster with its JetStream context (RAII). The client library reconnects
// by itself, to any server of the list (forever, every 250 ms); while it is disconnected, calls fail
// with kUnavailable. Messages this connection publishes are not delivered back to it (no echo): a
// node hands its own live updates to its hub directly.
//
// Errors: every failure is a core::Error with code kUnavailable (the cluster is unreachable, a
// timeout, JetStream refused) and a message "nats: <what>: <library text>"; nothing throws.
// Threading: every method is thread-safe (the library's connection is).

#include <nats/nats.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/server_list.hpp"
#include "core/error.hpp"

namespace lastmile::cluster {

struct NatsOptions {
  std::vector<std::string> servers;  // nats://host:port
  std::string name;                  // shown by the server (the node id)
  int connect_timeout_ms = 2'000;
};

core::Error nats_error(natsStatus s, std::string_view what, jsErrCode js_code = static_cast<jsErrCode>(0));

class NatsConnection {
 public:
  // Connects to one of `options.servers`. Errors: kUnavailable when none answers.
  static core::Result<std::unique_ptr<NatsConnection>> connect(const NatsOptions& options);
  ~NatsConnection();
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  bool connected() const;
  uint64_t disconnects() const;
  uint64_t reconnects() const;
  size_t server_count() const { return servers_; }

  // Core NATS publish (at most once). Errors: kUnavailable.
  core::Status publish(const std::string& subject, std::string_view data);
  // JetStream publish: returns once the stream has stored the message (PubAck). Errors: kUnavailable.
  core::Status js_publish(const std::string& subject, std::string_view data, int64_t timeout_ms);
  // Subscribes `on_message(subject, data)` (called on the library's thread; quick). The returned
  // handle unsubscribes when destroyed, after the callback in progress (if any) has returned.
  using Handler = std::function<void(std::string_view subject, std::string_view data)>;
  class Subscription;
  core::Result<std::unique_ptr<Subscription>> subscribe(const std::string& subject, Handler on_message);

  natsConnection* raw() const { return nc_; }

  // What the connection's callbacks write, on libnats' callback thread. They may still run after
  // natsConnection_Close returns, so the destructor waits for the closed callback (the last one)
  // before the events go, and keeps them for the process's life when it does not come in time.
  struct Events;
  jsCtx* js() const { return js_; }

 private:
  NatsConnection() = default;
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
  size_t servers_ = 0;
  std::unique_ptr<Events> events_;
};

class NatsConnection::Subscription {
 public:
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

 private:
  friend class NatsConnection;
  Subscription() = default;
  natsConnection* nc_ = nullptr;
  natsSubscription* sub_ = nullptr;
  Handler handler_;
};

}  // namespace lastmile::cluster
