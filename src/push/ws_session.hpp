#pragma once
// One WebSocket subscriber (RFC 6455, Beast) on a connection whose upgrade request the HTTP server
// has read. Text messages only, one JSON object each (session.hpp has the order). The client sends
// nothing the server needs: its messages are read and ignored (at most
// SessionOptions::max_inbound_message bytes, else the session closes with 1009 "too big"). The
// server pings a client that has been silent for half of idle_timeout and drops it after
// idle_timeout. Close codes: 1001 "shutdown" when the server stops, 1013 "lagging" when the hub
// closed the subscription, 1000 "resync" when the backlog was too long.
//
// Threading: construct, run() and stop() on the connection's strand (the stream's executor).
// Memory: no buffers beyond Beast's own (its stream keeps a 1.5 KiB read buffer) and 64 bytes for
// discarding client messages; no thread. The reader is a plain callback chain, not a coroutine, so
// an idle session holds one coroutine chain (the writer) and three pending operations (the read,
// Beast's idle timer, the heartbeat timer).

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>

#include "push/session.hpp"

namespace lastmile::push {

class WsSession {
 public:
  using UpgradeRequest = boost::beast::http::request<boost::beast::http::string_body>;

  // `stream` must outlive the session; its timeouts are turned off (the session keeps its own).
  WsSession(boost::beast::tcp_stream& stream, SessionOptions options);

  // The wake function for Hub::subscribe.
  std::function<void()> waker() const { return waker_.remote(); }
  // Ends the session promptly: {"type":"closed","reason":"shutdown"}, then the close frame 1001.
  void stop();
  // Accepts the upgrade (REQUIRES: websocket::is_upgrade(upgrade); dropped once accepted), runs the
  // feed, closes. Returns
  // when the session is over (the caller then closes the TCP connection); kClientGone also when the
  // handshake failed.
  boost::asio::awaitable<EndReason> run(UpgradeRequest upgrade, FeedSetup setup);

 private:
  class Transport;
  void read_next();  // one read; its completion calls read_next() again until an error
  boost::asio::awaitable<EndReason> write_loop(FeedSetup& setup);

  boost::beast::websocket::stream<boost::beast::tcp_stream&> ws_;
  SessionOptions options_;
  Waker waker_;
  FeedFlags flags_;
  bool reader_done_ = false;  // no read pending: run() may return
  std::array<char, 64> inbound_{};
};

}  // namespace lastmile::push
