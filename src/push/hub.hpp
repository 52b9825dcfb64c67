#pragma once
// The live fan-out hub: publishers hand it messages, it puts each into the outbox of every
// subscriber whose topics match, and wakes that subscriber's writer. It never waits for a client:
// a subscriber that falls behind has its positions coalesced, and when its ordered backlog (events,
// stops, exceptions) exceeds the bound it is closed as lagging, so it reconnects and resumes from
// its last event id.
//
// Threading: every method may be called from any thread. publish() holds one shard's mutex at a
// time while it fills outboxes (memory operations only), and calls the wake functions after
// releasing it. The subscriber index is sharded by subscriber, so subscribing and unsubscribing
// contend with a broadcast on one shard only.
//
// Memory: a message is shared (one LiveMessage, one serialised text per audience) by all its
// subscribers; an idle subscription holds no queue memory: the Subscription (216 bytes), its
// topics, and one index entry per topic — about 400 bytes of heap for a customer's one shipment.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "push/live_message.hpp"
#include "push/outbox.hpp"

namespace lastmile::push {

class Hub;

// One subscriber's state, shared by the hub's index and the session that drains it.
class Subscription {
 public:
  Subscription(std::vector<Topic> topics, Audience audience, std::function<void()> wake, OutboxLimits limits);
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Moves every pending message, in order, to the end of `out`. When nothing is pending the wake is
  // armed: the next message offered calls the wake function once. Returns false once the hub has
  // closed the subscription as lagging (then nothing is moved). Called by the session only.
  bool take(std::vector<LiveMessagePtr>& out);
  bool lagging() const;

  Audience audience() const { return audience_; }
  const std::vector<Topic>& topics() const { return topics_; }

 private:
  friend class Hub;
  enum class Offer { kQueued, kQueuedWake, kCoalesced, kClosedNow, kIgnored };
  Offer offer(const LiveMessagePtr& m);  // called by the hub under the shard mutex
  void wake();                          // called by the hub outside every hub mutex
  void detach();                        // after it returns, wake() never calls the function again

  const std::vector<Topic> topics_;
  const Audience audience_;
  size_t shard_ = 0;                // set once before the subscription is indexed
  // GUARDED_BY(the shard's mutex):
  uint64_t stamp_ = 0;              // the shard's last publish that reached this subscriber
  std::vector<uint32_t> slots_;     // position in the index vector of topics_[i]

  // Also held while calling or clearing the wake function, so that detach() is a barrier. (One
  // mutex, not two: a subscription per idle connection is memory that counts. The wake function
  // only posts, so a writer's take() waits for it no longer than for offer().)
  mutable std::mutex mu_;
  Outbox outbox_;                   // GUARDED_BY(mu_)
  bool waiting_ = false;            // GUARDED_BY(mu_): the writer found nothing and waits for a wake
  bool lagging_ = false;            // GUARDED_BY(mu_)
  std::function<void()> wake_;      // GUARDED_BY(mu_)
};

// What one publish() did, summed over the subscribers it reached.
struct PublishStats {
  size_t queued = 0;          // subscribers that got the message queued
  size_t coalesced = 0;       // … of which it replaced an unsent older position
  size_t closed_lagging = 0;  // subscribers closed because their outbox was full
};

struct HubOptions {
  size_t shards = 16;
  OutboxLimits outbox;
  // Called after every publish() that reached a subscriber, outside every hub lock, on the
  // publishing thread (for metrics). Must not throw and must not call the hub.
  std::function<void(const PublishStats&)> on_publish;
};

class Hub {
 public:
  // A subscription's owner: unsubscribes when destroyed. Move-only.
  class Handle {
   public:
    Handle() = default;
    Handle(Hub* hub, std::shared_ptr<Subscription> sub) : hub_(hub), sub_(std::move(sub)) {}
    Handle(Handle&& o) noexcept : hub_(o.hub_), sub_(std::move(o.sub_)) { o.hub_ = nullptr; }
    Handle& operator=(Handle&& o) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() { reset(); }

    void reset();  // unsubscribes now (idempotent)
    Subscription* operator->() const { return sub_.get(); }
    Subscription& operator*() const { return *sub_; }
    explicit operator bool() const { return sub_ != nullptr; }

   private:
    Hub* hub_ = nullptr;
    std::shared_ptr<Subscription> sub_;
  };

  explicit Hub(HubOptions options = {});
  // REQUIRES: every Handle has been reset or destroyed.
  ~Hub() = default;
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Adds a subscriber for the union of `topics` (duplicates ignored). `wake` is called — from a
  // publishing thread, outside the hub's locks, at most once per Subscription::take() that found
  // nothing, and never after the handle is reset — when a message arrives or the subscription is
  // closed as lagging; it must not block or call the hub (post to the writer's executor).
  Handle subscribe(std::vector<Topic> topics, Audience audience, std::function<void()> wake);

  // Queues `m` for every subscriber of its topics that may see it (Audience: the matching JSON is
  // not null). Never blocks on a client. Events must be published in increasing event_seq.
  PublishStats publish(LiveMessage m);

  // The highest event_seq published (or recorded by note_event_seq); 0 before any.
  int64_t last_event_seq() const { return last_event_seq_.load(std::memory_order_acquire); }
  // Raises last_event_seq() to `seq` (at start-up: the newest stored event).
  void note_event_seq(int64_t seq);
  size_t subscriber_count() const { return subscribers_.load(std::memory_order_relaxed); }

 private:
  struct Member {
    std::shared_ptr<Subscription> sub;
    uint32_t topic_index;  // which of sub->topics_ this entry is for
  };
  struct Shard {
    std::mutex mu;
    uint64_t publishes = 0;                                     // GUARDED_BY(mu)
    std::unordered_map<Topic, std::vector<Member>> index;        // GUARDED_BY(mu)
  };

  void unsubscribe(const std::shared_ptr<Subscription>& sub);

  HubOptions options_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<uint64_t> next_shard_{0};
  std::atomic<size_t> subscribers_{0};
  std::atomic<int64_t> last_event_seq_{0};
};

}  // namespace lastmile::push
