#pragma once
// One subscriber's queue of messages not yet sent. Events, stops and exceptions are kept in publish
// order up to a bound; positions are coalesced per driver (`coalesce_key`): a newer position takes
// the place of an unsent older one, so a client that falls behind gets the latest position of each
// driver, never a backlog of stale ones.
//
// Not thread-safe: the owner (push::Subscription) guards it with its mutex. An idle outbox holds no
// heap memory.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "push/live_message.hpp"

namespace lastmile::push {

struct OutboxLimits {
  size_t max_ordered = 1024;    // events + stops + exceptions waiting to be sent
  size_t max_positions = 4096;  // distinct drivers with a position waiting to be sent
};

class Outbox {
 public:
  enum class Offer {
    kQueued,     // appended
    kCoalesced,  // replaced an unsent position of the same driver (in its place in the order)
    kOverflow,   // a bound would be exceeded: nothing was changed; the subscriber must be closed
  };

  explicit Outbox(OutboxLimits limits = {}) : limits_(limits) {}

  // REQUIRES: m is not null.
  Offer push(LiveMessagePtr m);
  // Moves every queued message, in order, to the end of `out`, and empties the outbox.
  void take(std::vector<LiveMessagePtr>& out);
  // Drops everything and releases the memory.
  void clear();

  bool empty() const { return items_.empty(); }
  size_t ordered() const { return ordered_; }
  size_t positions() const { return positions_; }

 private:
  static constexpr size_t kLinearScan = 16;  // below this many positions no index is kept
  static constexpr size_t kNone = static_cast<size_t>(-1);

  size_t find_position(std::string_view key) const;

  OutboxLimits limits_;
  std::vector<LiveMessagePtr> items_;
  size_t ordered_ = 0;
  size_t positions_ = 0;
  // coalesce_key → index in items_, kept only while positions_ > kLinearScan (null otherwise: one
  // pointer per idle subscriber, not an empty map). The keys view the coalesce_key of the message
  // stored at that index.
  std::unique_ptr<std::unordered_map<std::string_view, size_t>> index_;
};

}  // namespace lastmile::push
