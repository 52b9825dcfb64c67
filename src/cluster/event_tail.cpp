#include "cluster/event_tail.hpp"

#include <spdlog/spdlog.h>

namespace lastmile::cluster {

EventTail::EventTail(Fetch fetch, Deliver deliver, int64_t start_after, EventTailOptions options)
    : fetch_(std::move(fetch)), deliver_(std::move(deliver)), options_(options), cursor_(start_after) {
  thread_ = std::thread([this] { run(); });
}

EventTail::~EventTail() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void EventTail::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void EventTail::run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    for (;;) {  // until caught up
      auto events = fetch_(cursor_.load(), options_.batch);
      if (!events) {
        spdlog::warn("cluster: cannot read the event log: {}", events.error().message);
        break;
      }
      if (events->empty()) break;
      try {
        deliver_(*events);
      } catch (const std::exception& e) {
        spdlog::error("cluster: event delivery failed: {}", e.what());
      }
      cursor_ = events->back().global_seq;
      delivered_.fetch_add(events->size());
      if (static_cast<int>(events->size()) < options_.batch) break;
    }
  }
}

}  // namespace lastmile::cluster
