#pragma once
// The notification worker: one thread that sends due e-mail and SMS rows of the outbox with the
// same machinery as webhooks (claim → send → record; backoff with jitter; dead after max_attempts;
// "sending" rows of a crash become due again at start and are re-sent with the same Message-ID /
// idempotency key). It also enqueues due reminders every `reminder_every`.
//
// A channel without provider settings is not claimed at all: its messages stay pending (counted in
// the not-configured gauge and logged once at start), never marked delivered.
//
// Threading: as OutboxWorker — the worker's thread calls the store and the channels; wake() from any
// thread. The destructor stops the thread after the try in progress.

#include <chrono>
#include <functional>
#include <random>

#include "core/time.hpp"
#include "notify/backoff.hpp"
#include "notify/notification_channels.hpp"
#include "notify/worker_loop.hpp"
#include "storage/notification_store.hpp"
#include "notify/send_gate.hpp"

namespace lastmile::notify {

struct NotificationWorkerOptions {
  int max_attempts = 8;
  BackoffParams backoff;
  int batch = 32;
  std::chrono::milliseconds poll{1000};
  std::chrono::milliseconds reminder_every{60'000};
  // Called after each try with the channel and the outcome (metrics). Must not throw.
  std::function<void(const std::string& channel, storage::NotificationOutcome::Kind)> on_outcome;
  // Cluster mode: reminders are enqueued and messages claimed and sent only while this returns true
  // (as OutboxWorkerOptions::may_send). Null: always.
  std::function<bool()> may_send;
};

class NotificationWorker {
 public:
  NotificationWorker(storage::NotificationStore& store, EmailChannel& email, SmsChannel& sms,
                     const core::Clock& clock, NotificationWorkerOptions options);
  ~NotificationWorker() = default;
  NotificationWorker(const NotificationWorker&) = delete;
  NotificationWorker& operator=(const NotificationWorker&) = delete;

  void start();
  void wake();
  // One pass on the caller's thread (reminders, then every due message). Returns how many were tried.
  int run_once();

 private:
  void requeue();
  std::chrono::milliseconds pass();  // one pass; returns how long to sleep
  storage::NotificationOutcome::Kind send(const storage::NotificationMessage& m);
  std::vector<std::string> channels() const;

  storage::NotificationStore& store_;
  EmailChannel& email_;
  SmsChannel& sms_;
  const core::Clock& clock_;
  NotificationWorkerOptions options_;
  SendGate gate_{options_.may_send};  // worker thread only (after options_: built from it)
  std::mt19937_64 rng_{std::random_device{}()};  // worker thread only
  core::Timestamp last_reminders_{};             // worker thread only
  WorkerLoop loop_;  // last: its thread stops before the members above go
};

}  // namespace lastmile::notify
