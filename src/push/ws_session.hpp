#pragma once
// One WebSocket subscriber (RFC 6455) on a connection whose upgrade request the HTTP server has
// read and push::ws::check_handshake() accepted. Text messages only, one JSON object each
// (session.hpp has the order). The client sends nothing the server needs: its data messages are
// checked and dropped (at most SessionOptions::max_inbound_message bytes, else the session closes
// with 1009; not UTF-8: 1007; broken framing: 1002); pings are answered with pongs. The server pings
// a client that has been silent for half of idle_timeout and drops it after idle_timeout (also
// when one write takes that long). Close codes: 1001 "shutdown" when the server stops, 1013
// "lagging" when the hub closed the subscription, 1000 "resync" when the backlog was too long; a
// client's close frame is answered with its own code. After sending a close frame the session waits
// close_wait for the client's, then closes the TCP connection.
//
// Threading and ownership: as push::LiveSession (live_session.hpp); create with std::make_shared.
// Memory: LiveSession's, plus the frame reader's state (88 bytes; a control frame's payload only
// while it is read, a ping's until it is answered). No Beast websocket::stream: its state alone
// (a fixed 1.5 KiB read buffer included) was 2.5 KB per connection.

#include <string>

#include "push/live_session.hpp"
#include "push/ws_protocol.hpp"

namespace lastmile::push {

class WsSession final : public LiveSession {
 public:
  // `accept`: the Sec-WebSocket-Accept value of the handshake (ws::check_handshake()).
  WsSession(Socket socket, const SessionOptions& options, std::string_view accept);

 private:
  void encode(const std::vector<Outgoing>& batch, std::string& out) override;
  void encode_heartbeat(core::Timestamp at, std::string& out) override;
  void received(std::string_view in) override;
  bool write_control() override;
  void end(EndReason reason) override;
  void control_written(bool ok) override;
  SteadyClock::time_point deadline() const override;
  void on_deadline(SteadyClock::time_point now) override;
  std::chrono::milliseconds write_timeout(Write kind) const override;

  ws::FrameReader reader_;
  std::string pong_;  // the payload of the ping to answer
  SteadyClock::time_point last_received_;
  SteadyClock::time_point close_deadline_ = SteadyClock::time_point::max();
  uint16_t close_code_ = 0;  // the client's close code (echoed) or the reader's error code
  bool pong_due_ = false;
  bool ping_due_ = false;
  bool pinged_ = false;          // a keep-alive ping went out since the last bytes arrived
  bool close_received_ = false;  // the client's close frame
  bool close_sent_ = false;      // ours went out: waiting for the client's until close_deadline_
};

}  // namespace lastmile::push
