#include "events/event_bus.hpp"

#include <exception>

namespace lastmile::events {

EventBus::EventBus(ErrorHandler on_error) : on_error_(std::move(on_error)) {
  thread_ = std::thread([this] { run(); });
}

EventBus::~EventBus() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void EventBus::subscribe(Subscriber s) {
  std::lock_guard lock(mu_);
  // Events are numbered 1, 2, … in publish order, and run() is delivering number delivered_ + 1
  // when it calls a subscriber. A subscriber sees only events published after it subscribed, even
  // those still queued now. The wrapper runs on the dispatch thread, the only writer of
  // delivered_, so it may read delivered_ without the lock.
  const uint64_t first = published_ + 1;
  subscribers_.push_back([this, first, s = std::move(s)](const domain::Event& e) {
    if (delivered_ + 1 >= first) s(e);
  });
}

void EventBus::publish(const std::vector<domain::Event>& events) {
  if (events.empty()) return;
  {
    std::lock_guard lock(mu_);
    queue_.insert(queue_.end(), events.begin(), events.end());
    published_ += events.size();
  }
  cv_.notify_all();
}

void EventBus::drain() {
  std::unique_lock lock(mu_);
  const uint64_t target = published_;
  cv_.wait(lock, [&] { return delivered_ >= target; });
}

uint64_t EventBus::delivered() const {
  std::lock_guard lock(mu_);
  return delivered_;
}

void EventBus::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and drained
    domain::Event event = std::move(queue_.front());
    queue_.pop_front();
    auto subscribers = subscribers_;  // call out without holding the lock
    lock.unlock();
    for (auto& s : subscribers) {
      try {
        s(event);
      } catch (const std::exception& e) {
        if (on_error_) on_error_(e.what());
      } catch (...) {
        if (on_error_) on_error_("unknown exception in event subscriber");
      }
    }
    lock.lock();
    ++delivered_;
    cv_.notify_all();
  }
}

}  // namespace lastmile::events
