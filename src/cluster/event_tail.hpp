#pragma once
// Reads the shared event log in global_seq order and hands every new event to `deliver`, so each
// node feeds its live hub with every node's events, gap-free and in order (the hub requires
// increasing event_seq). Woken by wake() — a commit on this node, or a notice from another node
// (lastmile.events) — and by a slow poll, so a lost notice delays an event by at most `poll_ms`.
//
// Threading: one thread; `fetch` and `deliver` run on it. wake() from any thread.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "domain/entities.hpp"

namespace lastmile::cluster {

struct EventTailOptions {
  int64_t poll_ms = 1'000;
  int batch = 500;
};

class EventTail {
 public:
  using Fetch = std::function<core::Result<std::vector<domain::Event>>(int64_t after, int limit)>;
  using Deliver = std::function<void(const std::vector<domain::Event>&)>;
  // Starts after event `start_after` (the newest at start-up).
  EventTail(Fetch fetch, Deliver deliver, int64_t start_after, EventTailOptions options = {});
  ~EventTail();
  EventTail(const EventTail&) = delete;
  EventTail& operator=(const EventTail&) = delete;

  void wake();
  int64_t cursor() const { return cursor_.load(); }
  uint64_t delivered() const { return delivered_.load(); }

 private:
  void run();

  Fetch fetch_;
  Deliver deliver_;
  EventTailOptions options_;
  std::atomic<int64_t> cursor_;
  std::atomic<uint64_t> delivered_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false, stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace lastmile::cluster
