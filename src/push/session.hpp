#pragma once
// What the WebSocket and SSE sessions share: their options, the backlog a resuming client missed,
// and the feed — the order in which a subscriber is sent things:
//
//   1. the backlog (events with event_seq > the client's cursor, oldest first, page by page);
//      when it is too long: {"type":"resync","last_event_id":N} and the session ends;
//   2. {"type":"ready","last_event_id":N} — N is the cursor from here on;
//   3. live messages from the hub subscription, skipping events with event_seq <= N (they were in
//      the backlog: the subscription was made before the backlog was read, so nothing falls in
//      between), plus a heartbeat every SessionOptions::heartbeat;
//   4. at the end, when the server stops or the hub closed the subscription as lagging:
//      {"type":"closed","reason":"shutdown"|"lagging"}.
//
// push::Feed (feed.hpp) decides that order; push::LiveSession (live_session.hpp) does the I/O.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "push/hub.hpp"

namespace lastmile::push {

struct SessionOptions {
  std::chrono::milliseconds heartbeat{15'000};
  // A WebSocket client that sends nothing (not even a pong to the server's pings, sent after half
  // of this) for this long is dropped; also the TCP user timeout for unacknowledged data (both
  // transports), and the longest a WebSocket write may take, so a vanished client does not hold
  // its session.
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::seconds write_timeout{30};  // SSE: one write; WebSocket: the opening handshake
  // WebSocket: how long a closing session waits for the client's close frame before it drops the
  // connection (short, so a server shutdown is not held up by clients that do not answer).
  std::chrono::milliseconds close_wait{1000};
  size_t max_inbound_message = 4096;       // WebSocket: larger client messages close the session
  const core::Clock* clock = nullptr;      // heartbeat times; the system clock when null
};

// The events a resuming client missed, read page by page.
class Backlog {
 public:
  struct Page {
    std::vector<LiveMessagePtr> messages;  // kind kEvent, event_seq increasing across pages
    enum class State { kMore, kDone, kResync } state = State::kDone;
  };
  virtual ~Backlog() = default;
  // The next page. Runs on the session's strand (and may do its blocking reads elsewhere); a read
  // failure is reported as kResync.
  virtual boost::asio::awaitable<Page> next_page() = 0;
};

// Why a session ended.
enum class EndReason { kClientGone, kShutdown, kLagging, kResync };

// One message to send: its text, and for SSE its `id:` (0 = none).
struct Outgoing {
  std::shared_ptr<const std::string> text;
  int64_t id = 0;
};

// What a session was handed by the code that authorised it.
struct FeedSetup {
  Hub::Handle subscription;          // made before the backlog is read
  std::unique_ptr<Backlog> backlog;  // null: no replay
  int64_t cursor = 0;                // the client's `after`, or the hub's last event_seq
  // Messages written, reported in batches (at heartbeats and at the end). May be empty.
  std::function<void(uint64_t)> on_sent;
};

// What the session has learnt from its connection and from the server, on the strand.
struct FeedFlags {
  bool stop_requested = false;
  bool client_gone = false;
};

// {"type":"closed","reason":…}, {"type":"ready","last_event_id":N}, {"type":"resync",…},
// {"type":"heartbeat","at":…}.
std::string closed_json(std::string_view reason);
std::string ready_json(int64_t last_event_id);
std::string resync_json(int64_t last_event_id);
std::string heartbeat_json(core::Timestamp at);

}  // namespace lastmile::push
