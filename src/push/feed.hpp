#pragma once
// The order of a live feed (session.hpp, steps 1-4) as a state machine: the session asks next()
// what to do, does it (reads a backlog page, sends a batch, or waits for a wake of the hub
// subscription), reports the outcome (page_read(), sent()) and asks again. No I/O, no clock, no
// coroutine: the session's callbacks drive it, so an idle feed is this object and nothing else.
//
// Threading: not thread-safe; the session's strand owns it. The hub may wake the session from any
// thread (the wake function given to Hub::subscribe); the session then calls next().

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "push/session.hpp"

namespace lastmile::push {

class Feed {
 public:
  struct Action {
    enum class Kind {
      kReadPage,  // read setup.backlog's next page, then call page_read()
      kSend,      // send `batch` in order, then call sent()
      kWait,      // nothing to send: wait for the hub's wake (or a flag change), then call next()
      kEnd,       // the feed is over; `reason` says why (the subscription is already released)
    };
    Kind kind = Kind::kWait;
    std::vector<Outgoing> batch;
    EndReason reason = EndReason::kClientGone;
  };

  // REQUIRES: setup.subscription is set.
  explicit Feed(FeedSetup setup);
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;

  // What to do now. REQUIRES: the previous kReadPage or kSend is complete (page_read() or sent()
  // was called). `flags` are checked after each backlog page and before each live batch: a client
  // gone ends the feed (kClientGone); a stop ends it after {"type":"closed","reason":"shutdown"}
  // once live, at once during the backlog. Once kEnd was returned, it is returned again.
  Action next(const FeedFlags& flags);
  // The backlog whose page kReadPage asks for. REQUIRES: next() returned kReadPage.
  Backlog& backlog() { return *backlog_; }
  void page_read(Backlog::Page page);
  // The last kSend's batch was written (ok) or the connection failed (then the feed ends with
  // kClientGone, unless it was already ending for another reason).
  void sent(bool ok);

  // True from the moment `ready` was handed out until the feed ends: heartbeats are due.
  bool live() const { return phase_ == Phase::kLive; }
  bool over() const { return phase_ == Phase::kOver; }
  // Reports the messages written since the last report to setup.on_sent.
  void report();

 private:
  enum class Phase { kBacklog, kLive, kEnding, kOver };

  Action send(std::vector<Outgoing> batch);
  Action send_last(std::string text, EndReason reason);  // the final message, then kEnd
  Action end(EndReason reason);
  // The messages this audience may see; advances the cursor over events and skips those at or
  // below it (already sent in the backlog).
  std::vector<Outgoing> visible(const std::vector<LiveMessagePtr>& messages);

  Hub::Handle subscription_;
  std::unique_ptr<Backlog> backlog_;
  std::function<void(uint64_t)> on_sent_;
  std::unique_ptr<Backlog::Page> page_;  // read, not yet handled
  int64_t cursor_;
  uint64_t unreported_ = 0;
  uint32_t in_flight_ = 0;  // messages of the kSend not yet confirmed by sent()
  Audience audience_;
  Phase phase_ = Phase::kBacklog;
  EndReason reason_ = EndReason::kClientGone;
  bool resync_due_ = false;  // the backlog was too long: resync comes after the page just sent
};

}  // namespace lastmile::push
