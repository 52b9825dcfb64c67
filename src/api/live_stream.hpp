#pragma once
// The socket side of GET /v1/live (WebSocket) and GET /v1/live/sse (Server-Sent Events): the
// server hands these requests over before routing (api::StreamHandler). A request is authorised
// and resolved (api/live_subscription.hpp) while it is still plain HTTP, so a refusal is an
// ordinary JSON error — and so is a WebSocket handshake the server cannot accept (push::ws::
// check_handshake(): 400 invalid_field, or 426 with Sec-WebSocket-Version: 13); then the handler
// subscribes to the hub, and only then reads the backlog, so no event falls between the replay and
// the live messages (push/session.hpp). The push session takes the connection's socket: the HTTP
// side of the connection is freed while it runs.
//
// Threading: open() and the stream run on the connection's strand; backlog pages are read on the
// server's blocking pool. Metrics: lastmile_live_sessions{transport} (gauge),
// lastmile_live_messages_sent_total{transport}, lastmile_live_sessions_closed_total{transport,reason}.

#include "api/server.hpp"
#include "push/session.hpp"

namespace lastmile::api {

struct LiveStreamOptions {
  push::SessionOptions session;
  int replay_page = 500;            // events read per store call
  int replay_max_events = 10'000;   // a client that missed more is told to resync
  int replay_max_scanned = 200'000; // events (of every tenant) read for one replay before resync
};

class LiveStreamHandler final : public StreamHandler {
 public:
  // REQUIRES: services.live_hub is set. `services` outlives the handler.
  LiveStreamHandler(const Services& services, LiveStreamOptions options);

  bool wants(const Request& req) const override;
  // Never throws: an unexpected failure is a 500 internal refusal (logged).
  std::variant<Response, std::shared_ptr<Stream>> open(boost::beast::tcp_stream& stream, Request req,
                                                       boost::asio::any_io_executor blocking) override;

 private:
  const Services& services_;
  LiveStreamOptions options_;
};

}  // namespace lastmile::api
