#include "push/ws_session.hpp"

namespace lastmile::push {

WsSession::WsSession(Socket socket, const SessionOptions& options, std::string_view accept)
    : LiveSession(std::move(socket), options, ws::accept_response(accept)),
      reader_(options.max_inbound_message),
      last_received_(SteadyClock::now()) {}

void WsSession::encode(const std::vector<Outgoing>& batch, std::string& out) {
  size_t size = 0;
  for (const auto& m : batch) size += m.text->size() + 10;
  out.reserve(size);
  for (const auto& m : batch) ws::append_frame(out, ws::Opcode::kText, *m.text);
}

void WsSession::encode_heartbeat(core::Timestamp at, std::string& out) {
  ws::append_frame(out, ws::Opcode::kText, heartbeat_json(at));
}

void WsSession::received(std::string_view in) {
  last_received_ = SteadyClock::now();
  pinged_ = false;
  while (!in.empty()) {
    const auto event = reader_.read(in);
    switch (event.kind) {
      case ws::FrameReader::Event::Kind::kNone:
      case ws::FrameReader::Event::Kind::kPong:
        break;
      case ws::FrameReader::Event::Kind::kPing:
        if (!ended_) {
          pong_.assign(event.payload);  // only the latest ping is answered (RFC 6455 §5.5.3)
          pong_due_ = true;
        }
        break;
      case ws::FrameReader::Event::Kind::kClose:
        close_received_ = true;
        if (close_sent_) {  // the closing handshake is complete
          finish();
          return;
        }
        if (close_code_ == 0) close_code_ = event.code != 0 ? event.code : ws::kNormal;
        flags_.client_gone = true;
        break;
      case ws::FrameReader::Event::Kind::kError:
        if (close_code_ == 0) close_code_ = event.code;
        flags_.client_gone = true;
        break;
    }
  }
}

bool WsSession::write_control() {
  if (pong_due_) {
    pong_due_ = false;
    ws::append_frame(out_, ws::Opcode::kPong, pong_);
    std::string().swap(pong_);
    write(Write::kControl);
    return true;
  }
  if (ping_due_) {
    ping_due_ = false;
    ws::append_frame(out_, ws::Opcode::kPing, {});
    write(Write::kControl);
    return true;
  }
  return false;
}

void WsSession::end(EndReason reason) {
  if (broken_) {
    finish();
    return;
  }
  struct Close {
    uint16_t code;
    std::string_view reason;
  };
  Close close{close_code_, {}};  // the client's code (echoed) or the reader's error, if any
  if (close.code == 0) {
    switch (reason) {
      case EndReason::kShutdown: close = {ws::kGoingAway, "shutdown"}; break;
      case EndReason::kLagging: close = {ws::kTryAgainLater, "lagging"}; break;
      case EndReason::kResync: close = {ws::kNormal, "resync"}; break;
      case EndReason::kClientGone: close = {ws::kGoingAway, ""}; break;
    }
  }
  ws::append_frame(out_, ws::Opcode::kClose, ws::close_payload(close.code, close.reason));
  write(Write::kControl);
}

void WsSession::control_written(bool ok) {
  if (!ended_) return;  // a ping or a pong
  if (!ok || close_received_) {
    finish();
    return;
  }
  close_sent_ = true;  // wait for the client's close frame (or its end of stream) until the deadline
  close_deadline_ = SteadyClock::now() + options_.close_wait;
}

LiveSession::SteadyClock::time_point WsSession::deadline() const {
  if (broken_) return SteadyClock::time_point::max();
  if (close_sent_) return close_deadline_;
  if (ended_) return SteadyClock::time_point::max();  // the close frame's write has its own timeout
  return last_received_ + (pinged_ ? options_.idle_timeout : options_.idle_timeout / 2);
}

void WsSession::on_deadline(SteadyClock::time_point now) {
  if (broken_) return;
  if (close_sent_) {
    if (now >= close_deadline_) finish();
    return;
  }
  if (ended_) return;
  const auto silent = now - last_received_;
  if (silent >= options_.idle_timeout) {
    fail();  // as Beast's idle timeout: no close frame to a client that does not answer
  } else if (silent >= options_.idle_timeout / 2 && !pinged_) {
    pinged_ = true;
    ping_due_ = true;
  }
}

std::chrono::milliseconds WsSession::write_timeout(Write kind) const {
  if (kind == Write::kHead) return std::chrono::duration_cast<std::chrono::milliseconds>(options_.write_timeout);
  return options_.idle_timeout;
}

}  // namespace lastmile::push
