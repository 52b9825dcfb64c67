#pragma once
// One Server-Sent Events subscriber (text/event-stream) on a connection whose GET request the HTTP
// server has read: the WebSocket fallback for clients that cannot open one. The response is
// close-delimited (`Connection: close`). Each message is `data: <json>`; events and the ready
// message also carry `id: <event_seq>` so a browser's EventSource sends `Last-Event-ID` when it
// reconnects. Heartbeats are comments (`: heartbeat <time>`), invisible to EventSource. The end
// (shutdown, lagging, resync) is a last data message, then the stream ends.
//
// Threading: construct, run() and stop() on the connection's strand (the stream's executor).

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <array>

#include "push/session.hpp"

namespace lastmile::push {

class SseSession {
 public:
  // `stream` must outlive the session.
  SseSession(boost::beast::tcp_stream& stream, SessionOptions options);

  std::function<void()> waker() const { return waker_.remote(); }
  // Ends the session promptly: {"type":"closed","reason":"shutdown"}, then the end of the stream.
  void stop();
  // Writes the response head, runs the feed. Returns when the session is over; the caller then
  // closes the TCP connection.
  boost::asio::awaitable<EndReason> run(FeedSetup setup);

 private:
  class Transport;
  void read_next();  // one read; its completion calls read_next() again until an error
  boost::asio::awaitable<EndReason> write_loop(FeedSetup& setup);

  boost::beast::tcp_stream& stream_;
  SessionOptions options_;
  Waker waker_;
  FeedFlags flags_;
  bool reader_done_ = false;  // no read pending: run() may return
  std::array<char, 64> inbound_{};
};

// The SSE text of one message: optional `id:` line, one `data:` line per line of `text`, blank line.
std::string sse_frame(std::string_view text, int64_t id);

}  // namespace lastmile::push
