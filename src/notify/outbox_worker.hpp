#pragma once
// The outbox worker: one thread that sends due webhook messages and records each try
// (docs/webhooks.md, "Delivery"). At start every message left "sending" by a crash becomes due
// again: the receiver gets the same Webhook-Id and body, and de-duplicates by the id.
//
// Ordering: messages are sent oldest-due first, one at a time, but a retried message does not hold
// back later ones, so a receiver may see a subscription's messages out of order.
//
// Threading: the worker's own thread calls the store and the sender; wake() may be called from any
// thread (the store's on_commit calls it). The destructor stops the thread, finishing the try in
// progress.

#include <chrono>
#include <functional>
#include <random>

#include "core/time.hpp"
#include "notify/backoff.hpp"
#include "notify/webhook_sender.hpp"
#include "notify/worker_loop.hpp"
#include "storage/webhook_store.hpp"
#include "notify/send_gate.hpp"

namespace lastmile::notify {

struct OutboxWorkerOptions {
  int max_attempts = 8;  // serve --webhook-max-attempts: dead after this many tries
  BackoffParams backoff;
  int batch = 32;
  std::chrono::milliseconds poll{1000};  // sleep at most this long between passes
  // Called after each try is recorded (metrics). Must not throw.
  std::function<void(storage::DeliveryOutcome::Kind)> on_outcome;
  // Called after every pass with the outbox's counts (the metrics gauge: a /metrics collector must
  // not call the store, whose timings go to the same Metrics). Must not throw.
  std::function<void(const storage::OutboxCounts&)> on_counts;
  // Cluster mode: messages are claimed and sent only while this returns true (the node holds the
  // outbox lease). Interrupted messages are requeued each time it turns true, not at start.
  // Null: always (a single node). Called on the worker's thread; quick.
  std::function<bool()> may_send;
};

class OutboxWorker {
 public:
  OutboxWorker(storage::WebhookStore& store, WebhookSender& sender, const core::Clock& clock,
               OutboxWorkerOptions options);
  ~OutboxWorker() = default;
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // Requeues interrupted messages and starts the thread.
  void start();
  // Makes the thread look for due messages now (new rows were committed).
  void wake();
  // One pass on the caller's thread: sends every message due now. Returns how many were tried.
  int run_once();

 private:
  void requeue();
  // One pass and the outbox gauge; returns how long to sleep.
  std::chrono::milliseconds pass();
  // Sends one message and records the outcome; returns its kind.
  storage::DeliveryOutcome::Kind send(const storage::DueMessage& due);

  storage::WebhookStore& store_;
  WebhookSender& sender_;
  const core::Clock& clock_;
  OutboxWorkerOptions options_;
  SendGate gate_{options_.may_send};  // worker thread only (after options_: built from it)
  std::mt19937_64 rng_{std::random_device{}()};  // jitter; worker thread only
  WorkerLoop loop_;  // last: its thread stops before the members above go
};

// The headers of a signed delivery: Webhook-Id, Webhook-Timestamp, Webhook-Signature. During a
// secret rotation's grace period (`previous_secret` not empty) the signature header lists both
// signatures, the new secret's first, separated by a space.
std::vector<std::pair<std::string, std::string>> signed_headers(const std::string& idempotency_key,
                                                                const std::string& secret, const std::string& body,
                                                                core::Timestamp now,
                                                                const std::string& previous_secret = {});

}  // namespace lastmile::notify
