#pragma once
// One Server-Sent Events subscriber (text/event-stream) on a connection whose GET request the HTTP
// server has read: the WebSocket fallback for clients that cannot open one. The response is
// close-delimited (`Connection: close`). Each message is `data: <json>`; events and the ready
// message also carry `id: <event_seq>` so a browser's EventSource sends `Last-Event-ID` when it
// reconnects. Heartbeats are comments (`: heartbeat <time>`), invisible to EventSource. The end
// (shutdown, lagging, resync) is a last data message, then the stream ends. Anything the client
// sends is read and dropped; its end of stream ends the session. One write may take at most
// SessionOptions::write_timeout.
//
// Threading and ownership: as push::LiveSession (live_session.hpp); create with std::make_shared.

#include <string>
#include <string_view>

#include "push/live_session.hpp"

namespace lastmile::push {

class SseSession final : public LiveSession {
 public:
  SseSession(Socket socket, const SessionOptions& options);

 private:
  void encode(const std::vector<Outgoing>& batch, std::string& out) override;
  void encode_heartbeat(core::Timestamp at, std::string& out) override;
  void received(std::string_view) override {}
  void end(EndReason) override { finish(); }
  std::chrono::milliseconds write_timeout(Write) const override;
};

// The SSE text of one message: optional `id:` line, one `data:` line per line of `text`, blank line.
std::string sse_frame(std::string_view text, int64_t id);

}  // namespace lastmile::push
