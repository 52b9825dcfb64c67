#pragma once
// What both live transports (ws_session.hpp, sse_session.hpp) share: a chain of callbacks on the
// connection's strand that writes the transport's response head, then runs the Feed (feed.hpp)
// over a socket it owns, with heartbeats and timeouts from one timer, and ends the connection.
//
// Ownership: the session is held by shared_ptr; every pending operation holds a reference, so it
// lives until its last operation completed after the end. start() hands out no other reference.
//
// Threading: construct and start() on the connection's strand (the socket's executor); stop() and
// the function waker() returns may be called from any thread; everything else runs on the strand.
//
// Memory: an idle session is this object (WsSession: 624 bytes, its socket, timer and Feed
// inline), one pending wait for readability (no read buffer: bytes are read onto the stack when
// they arrive; 208 bytes), one pending timer wait (about 190 bytes), and no coroutine frame or
// thread. Both waits are allocated at their exact size (see long_lived() in the .cpp). Write
// buffers exist only while a write is in flight. With the hub subscription, Asio's per-socket and
// strand state and the server's record of the connection, an idle WebSocket costs about 2.3 KB of
// heap (bench/README.md, "Live push").

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "push/feed.hpp"
#include "push/session.hpp"

namespace lastmile::push {

class LiveSession : public std::enable_shared_from_this<LiveSession> {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  // Called once, on the strand, when the session is over and its socket closed.
  using Done = std::function<void(EndReason)>;

  virtual ~LiveSession() = default;
  LiveSession(const LiveSession&) = delete;
  LiveSession& operator=(const LiveSession&) = delete;

  // The wake function for Hub::subscribe: posts a look at the subscription to the strand; does
  // nothing once the session is gone. Allocation-free to hold (it captures one pointer).
  std::function<void()> waker();
  // Writes the response head, then runs the feed. REQUIRES: called once; setup.subscription was
  // made with waker().
  void start(FeedSetup setup, Done done);
  // Ends the session promptly (server shutdown): {"type":"closed","reason":"shutdown"}, then the
  // transport's ending. Any thread.
  void stop();

 protected:
  using SteadyClock = std::chrono::steady_clock;
  enum class Write : uint8_t { kHead, kFeed, kHeartbeat, kControl };

  // `socket`'s executor must be the connection's strand; `options` must outlive the session (they
  // are the server's, shared by all sessions). `head` is written first.
  LiveSession(Socket socket, const SessionOptions& options, std::string head);

  // ---- for the transport ----
  // The bytes of a batch of messages and of a heartbeat.
  virtual void encode(const std::vector<Outgoing>& batch, std::string& out) = 0;
  virtual void encode_heartbeat(core::Timestamp at, std::string& out) = 0;
  // Bytes arrived (already read into `in`); called from the reader. Set flags_.client_gone (and
  // call fail() or not) when the client is done.
  virtual void received(std::string_view in) = 0;
  // The transport's turn before the feed's in pump(): write a control frame now (true), or not.
  virtual bool write_control() { return false; }
  // The feed is over (or the session failed): end the connection; call finish() when done (at
  // once, or after more writes and reads).
  virtual void end(EndReason reason) = 0;
  // A kControl write completed.
  virtual void control_written(bool /*ok*/) {}
  // The transport's next deadline (max() for none) and what to do when it passes.
  virtual SteadyClock::time_point deadline() const { return SteadyClock::time_point::max(); }
  virtual void on_deadline(SteadyClock::time_point /*now*/) {}
  // How long one write may take before the connection is dropped.
  virtual std::chrono::milliseconds write_timeout(Write kind) const = 0;

  // Starts writing `out_` (filled by the caller). REQUIRES: !writing_.
  void write(Write kind);
  // Waits for the socket to be readable; received() gets the bytes. Stops after an error or EOF
  // (the client is gone: fail()).
  void read_next();
  // The connection is unusable: the client is gone; pending I/O is cancelled.
  void fail();
  // Closes the socket and calls `done`. REQUIRES: no write in flight.
  void finish();
  // Does the next thing: the transport's control frames, a heartbeat, the feed's next action.
  void pump();
  // (Re)arms the timer for the earliest deadline.
  void arm_timer();

  Socket socket_;
  const SessionOptions& options_;
  FeedFlags flags_;
  std::string out_;  // the bytes of the write in flight; empty otherwise
  bool writing_ = false;
  bool ended_ = false;  // end() was called
  bool done_called_ = false;
  bool broken_ = false;  // the socket failed or the client disconnected: nothing more is written

 private:
  void on_written(const boost::system::error_code& ec);
  void on_readable(const boost::system::error_code& ec);
  void on_timer(const boost::system::error_code& ec);
  void read_page();

  boost::asio::steady_timer timer_;
  std::optional<Feed> feed_;
  Done done_;
  SteadyClock::time_point write_started_{};
  SteadyClock::time_point next_heartbeat_ = SteadyClock::time_point::max();
  SteadyClock::time_point timer_at_ = SteadyClock::time_point::max();  // expiry of the pending wait
  EndReason reason_ = EndReason::kClientGone;
  Write write_kind_ = Write::kHead;
  bool opened_ = false;        // the head was written
  bool page_pending_ = false;  // a backlog page is being read
  bool heartbeat_due_ = false;
  bool reading_ = false;       // a wait for readability is pending
};

}  // namespace lastmile::push
