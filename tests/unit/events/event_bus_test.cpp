// The event bus hands every committed event to every subscriber, in commit order, on its own thread.
#include "events/event_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lastmile::events {
namespace {

using namespace std::chrono_literals;

domain::Event event(std::string id, std::string type = "processed") {
  domain::Event e;
  e.id = core::EventId(std::move(id));
  e.shipment_id = core::ShipmentId("shp_test");
  e.type = std::move(type);
  return e;
}

std::vector<domain::Event> batch(const std::string& prefix, int n) {
  std::vector<domain::Event> out;
  for (int i = 0; i < n; ++i) out.push_back(event(prefix + "-" + std::to_string(i)));
  return out;
}

// Records what a subscriber saw; read only after drain().
class Recorder {
 public:
  EventBus::Subscriber subscriber() {
    return [this](const domain::Event& e) {
      std::lock_guard lock(mu_);
      ids_.push_back(e.id.str());
      threads_.insert(std::this_thread::get_id());
    };
  }
  std::vector<std::string> ids() const {
    std::lock_guard lock(mu_);
    return ids_;
  }
  std::set<std::thread::id> threads() const {
    std::lock_guard lock(mu_);
    return threads_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> ids_;
  std::set<std::thread::id> threads_;
};

// A subscriber that blocks on the first event until released, so a test can hold the dispatch thread.
class Gate {
 public:
  EventBus::Subscriber subscriber() {
    return [this](const domain::Event&) {
      if (!entered_.exchange(true)) {
        entered_promise_.set_value();
        released_.wait();
      }
    };
  }
  void wait_entered() { entered_promise_.get_future().wait(); }
  void release() { release_promise_.set_value(); }

 private:
  std::atomic<bool> entered_{false};
  std::promise<void> entered_promise_;
  std::promise<void> release_promise_;
  std::shared_future<void> released_ = release_promise_.get_future().share();
};

TEST(EventBus, DeliversInPublishOrderToEverySubscriber) {
  Recorder a, b, c;
  EventBus bus;
  bus.subscribe(a.subscriber());
  bus.subscribe(b.subscriber());
  bus.subscribe(c.subscriber());

  std::vector<std::string> published;
  for (int i = 0; i < 40; ++i) {
    auto events = batch("b" + std::to_string(i), i % 5 + 1);  // batches of 1 to 5
    for (const auto& e : events) published.push_back(e.id.str());
    bus.publish(events);
  }
  bus.drain();

  EXPECT_EQ(published.size(), 120u);
  EXPECT_EQ(a.ids(), published);
  EXPECT_EQ(b.ids(), published);
  EXPECT_EQ(c.ids(), published);
  EXPECT_EQ(bus.delivered(), 120u);
}

TEST(EventBus, SubscribersRunOnTheDispatchThreadOnly) {
  Recorder a, b;
  EventBus bus;
  bus.subscribe(a.subscriber());
  bus.subscribe(b.subscriber());
  bus.publish(batch("x", 10));
  bus.drain();
  ASSERT_EQ(a.threads().size(), 1u);
  EXPECT_NE(*a.threads().begin(), std::this_thread::get_id());
  EXPECT_EQ(a.threads(), b.threads());
}

TEST(EventBus, ConcurrentPublishersKeepEachBatchContiguousAndInOrder) {
  constexpr int kThreads = 4;
  constexpr int kBatchesPerThread = 200;
  constexpr int kBatchSize = 5;
  Recorder first, second;
  EventBus bus;
  bus.subscribe(first.subscriber());
  bus.subscribe(second.subscriber());

  std::vector<std::thread> publishers;
  for (int t = 0; t < kThreads; ++t)
    publishers.emplace_back([&bus, t] {
      for (int b = 0; b < kBatchesPerThread; ++b)
        bus.publish(batch("t" + std::to_string(t) + "b" + std::to_string(b), kBatchSize));
    });
  for (auto& th : publishers) th.join();
  bus.drain();

  const auto ids = first.ids();
  ASSERT_EQ(ids.size(), static_cast<size_t>(kThreads * kBatchesPerThread * kBatchSize));
  EXPECT_EQ(second.ids(), ids);  // every subscriber sees the same order
  EXPECT_EQ(bus.delivered(), ids.size());

  std::map<int, int> next_batch_of_thread;
  for (size_t i = 0; i < ids.size(); i += kBatchSize) {
    // A batch starts here and its kBatchSize events follow without interleaving.
    int t = 0, b = 0;
    ASSERT_EQ(std::sscanf(ids[i].c_str(), "t%db%d-0", &t, &b), 2) << ids[i];
    const std::string prefix = "t" + std::to_string(t) + "b" + std::to_string(b) + "-";
    for (int k = 0; k < kBatchSize; ++k) ASSERT_EQ(ids[i + k], prefix + std::to_string(k)) << "at " << i + k;
    // One thread's batches keep the order in which that thread published them.
    EXPECT_EQ(b, next_batch_of_thread[t]) << "thread " << t;
    next_batch_of_thread[t] = b + 1;
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next_batch_of_thread[t], kBatchesPerThread);
}

TEST(EventBus, DrainWaitsUntilEverythingPublishedIsDelivered) {
  Gate gate;
  Recorder rec;
  EventBus bus;
  bus.subscribe(gate.subscriber());
  bus.subscribe(rec.subscriber());
  bus.publish(batch("e", 3));
  gate.wait_entered();

  auto drained = std::async(std::launch::async, [&bus] { bus.drain(); });
  EXPECT_EQ(drained.wait_for(100ms), std::future_status::timeout);  // held by the first event
  EXPECT_EQ(bus.delivered(), 0u);

  gate.release();
  drained.get();
  EXPECT_EQ(bus.delivered(), 3u);
  EXPECT_EQ(rec.ids(), (std::vector<std::string>{"e-0", "e-1", "e-2"}));
}

TEST(EventBus, DrainWithNothingPublishedReturnsAtOnce) {
  EventBus bus;
  bus.drain();
  bus.publish({});  // an empty batch is nothing
  bus.drain();
  EXPECT_EQ(bus.delivered(), 0u);
}

TEST(EventBus, ASubscriberAddedLaterDoesNotSeeEarlierEvents) {
  Gate gate;
  Recorder early, late;
  EventBus bus;
  bus.subscribe(gate.subscriber());
  bus.subscribe(early.subscriber());
  bus.publish(batch("before", 3));
  gate.wait_entered();  // "before-1" and "before-2" are still queued

  bus.subscribe(late.subscriber());
  bus.publish(batch("after", 2));
  gate.release();
  bus.drain();

  EXPECT_EQ(early.ids(), (std::vector<std::string>{"before-0", "before-1", "before-2", "after-0", "after-1"}));
  EXPECT_EQ(late.ids(), (std::vector<std::string>{"after-0", "after-1"}));
}

TEST(EventBus, AThrowingSubscriberDoesNotStopTheOthers) {
  std::mutex mu;
  std::vector<std::string> errors;
  Recorder before, after;
  EventBus bus([&](const char* what) {
    std::lock_guard lock(mu);
    errors.emplace_back(what);
  });
  bus.subscribe(before.subscriber());
  bus.subscribe([](const domain::Event& e) {
    if (e.id.str() == "e-1") throw std::runtime_error("webhook outbox is full");
  });
  bus.subscribe(after.subscriber());

  bus.publish(batch("e", 3));
  bus.drain();

  const std::vector<std::string> all = {"e-0", "e-1", "e-2"};
  EXPECT_EQ(before.ids(), all);
  EXPECT_EQ(after.ids(), all);
  EXPECT_EQ(bus.delivered(), 3u);
  std::lock_guard lock(mu);
  EXPECT_EQ(errors, (std::vector<std::string>{"webhook outbox is full"}));
}

TEST(EventBus, ANonStandardExceptionIsReportedToo) {
  std::atomic<int> errors{0};
  Recorder after;
  EventBus bus([&](const char* what) {
    EXPECT_NE(what, nullptr);
    EXPECT_GT(std::string(what).size(), 0u);
    ++errors;
  });
  bus.subscribe([](const domain::Event&) { throw 42; });
  bus.subscribe(after.subscriber());
  bus.publish(batch("e", 2));
  bus.drain();
  EXPECT_EQ(errors.load(), 2);
  EXPECT_EQ(after.ids().size(), 2u);
}

TEST(EventBus, ThrowingWithoutAnErrorHandlerIsStillContained) {
  Recorder after;
  EventBus bus;
  bus.subscribe([](const domain::Event&) { throw std::logic_error("bug"); });
  bus.subscribe(after.subscriber());
  bus.publish(batch("e", 2));
  bus.drain();
  EXPECT_EQ(after.ids(), (std::vector<std::string>{"e-0", "e-1"}));
}

TEST(EventBus, DestructorDeliversWhatIsQueued) {
  Recorder rec;
  {
    EventBus bus;
    bus.subscribe([](const domain::Event&) { std::this_thread::sleep_for(1ms); });  // slow
    bus.subscribe(rec.subscriber());
    for (int i = 0; i < 10; ++i) bus.publish(batch("b" + std::to_string(i), 5));
    // No drain(): the destructor must not drop the queue.
  }
  auto ids = rec.ids();
  ASSERT_EQ(ids.size(), 50u);
  EXPECT_EQ(ids.front(), "b0-0");
  EXPECT_EQ(ids.back(), "b9-4");
}

TEST(EventBus, SubscribersMayPublishFollowUps) {
  // e.g. an ETA stage reacting to a status change by publishing "eta_changed".
  Recorder rec;
  EventBus bus;
  bus.subscribe([&bus](const domain::Event& e) {
    if (e.type == "out_for_delivery") bus.publish({event(e.id.str() + "-eta", "eta_changed")});
  });
  bus.subscribe(rec.subscriber());
  bus.publish({event("e-0", "out_for_delivery")});
  // The follow-up is published from the dispatch thread while e-0 is delivered; wait for both.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (bus.delivered() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  bus.drain();
  EXPECT_EQ(rec.ids(), (std::vector<std::string>{"e-0", "e-0-eta"}));
}

}  // namespace
}  // namespace lastmile::events
