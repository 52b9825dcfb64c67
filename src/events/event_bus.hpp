#pragma once
// The in-process event bus. Storage hands every committed Event to publish() in commit order; the
// bus delivers them to each subscriber, in that same order, on the bus's own dispatch thread, so a
// slow subscriber never holds up a writer. Live push, notifications, webhooks and analytics
// subscribe here; no feature needs a hook into the HTTP handlers.
//
// Thread-safety: publish() and subscribe() may be called from any thread. Subscribers run on the
// dispatch thread only, one at a time; an exception thrown by a subscriber is logged by the
// caller-supplied error handler and does not stop delivery to the others.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/entities.hpp"

namespace lastmile::events {

class EventBus {
 public:
  using Subscriber = std::function<void(const domain::Event&)>;
  using ErrorHandler = std::function<void(const char* what)>;

  explicit EventBus(ErrorHandler on_error = {});
  ~EventBus();  // drains queued events, then stops the dispatch thread
  EventBus(const EventBus&) = delete;
  EventBus& operator=(const EventBus&) = delete;

  // Subscribers added after an event was published do not receive it.
  void subscribe(Subscriber s);
  // REQUIRES: events are in commit order and calls are made in commit order.
  void publish(const std::vector<domain::Event>& events);
  // Blocks until every event published before the call has been delivered.
  void drain();
  // Number of events delivered so far (all subscribers have seen them).
  uint64_t delivered() const;

 private:
  void run();

  ErrorHandler on_error_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Subscriber> subscribers_;  // GUARDED_BY(mu_)
  std::deque<domain::Event> queue_;      // GUARDED_BY(mu_)
  uint64_t published_ = 0;               // GUARDED_BY(mu_)
  uint64_t delivered_ = 0;               // GUARDED_BY(mu_)
  bool stopping_ = false;                // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace lastmile::events
