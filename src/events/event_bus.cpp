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
  subscribers_.push_back(std::move(s));
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
