#pragma once
// The part of RFC 6455 (WebSocket) a push-only server needs, with no I/O: the opening handshake,
// the frames the server writes (unmasked, never fragmented, no extensions), and an incremental
// reader of the frames a client writes, which it checks and discards except for control frames.
// push::WsSession does the I/O. (Beast's websocket::stream keeps a 1.5 KiB read buffer and more
// state per connection than an idle subscriber is allowed: bench/README.md, "Live push".)
//
// Thread-compatible: a FrameReader belongs to one session.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lastmile::push::ws {

// Close codes the server sends (RFC 6455 §7.4.1).
inline constexpr uint16_t kNormal = 1000;
inline constexpr uint16_t kGoingAway = 1001;
inline constexpr uint16_t kProtocolError = 1002;
inline constexpr uint16_t kBadPayload = 1007;  // a text message or close reason that is not UTF-8
inline constexpr uint16_t kTooBig = 1009;
inline constexpr uint16_t kTryAgainLater = 1013;

enum class Opcode : uint8_t { kContinuation = 0, kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10 };

// ---- The opening handshake (RFC 6455 §4.2) ------------------------------------------------------

struct HandshakeCheck {
  int status = 101;     // 101: acceptable; else 400, or 426 for an unsupported version
  std::string field;    // the header at fault, when status != 101
  std::string message;  // why, for the refusal body
  std::string accept;   // status 101: the Sec-WebSocket-Accept value
};
// Checks what beast::websocket::is_upgrade() does not: HTTP/1.1, Host, Sec-WebSocket-Key (a base64
// nonce of 16 bytes) and Sec-WebSocket-Version 13. REQUIRES: websocket::is_upgrade(req).
HandshakeCheck check_handshake(const boost::beast::http::request<boost::beast::http::string_body>& req);
// base64(SHA-1(key + the RFC's GUID)).
std::string accept_key(std::string_view key);
// The 101 response head for an accepted handshake.
std::string accept_response(std::string_view accept);

// ---- Server frames ----------------------------------------------------------------------------

// Appends one complete frame (FIN set, unmasked) to `out`. REQUIRES: control frames carry at most
// 125 bytes.
void append_frame(std::string& out, Opcode op, std::string_view payload);
// A close frame's payload: the code (network order) and the reason (at most 123 bytes kept).
std::string close_payload(uint16_t code, std::string_view reason);

// ---- Client frames ----------------------------------------------------------------------------

// Validates UTF-8 incrementally (a message may be split anywhere across frames and reads).
class Utf8Checker {
 public:
  bool write(std::string_view bytes);  // false at the first invalid byte
  bool complete() const { return need_ == 0; }
  void reset() {
    need_ = 0;
    lo_ = 0x80;
    hi_ = 0xBF;
  }

 private:
  uint8_t need_ = 0;  // continuation bytes still expected
  uint8_t lo_ = 0x80;  // the range the next continuation byte must fall in
  uint8_t hi_ = 0xBF;
};

// Reads client frames from the bytes as they arrive. Data messages (text, binary, fragmented or
// not) are checked and dropped; control frames are reported. Errors (reported once; the close code
// to send):
//   kProtocolError  an unmasked frame, reserved bits or opcodes, a fragmented or over-long (> 125)
//                   control frame, a continuation without a message or a new message inside one,
//                   a close frame with a one-byte payload or an invalid code; after it every byte
//                   is dropped (the framing is lost);
//   kTooBig         a data message longer than `max_message` (0 = no limit) — the frame header is
//                   enough to tell;
//   kBadPayload     a text message or a close reason that is not UTF-8.
// After kTooBig and kBadPayload the reader keeps the framing, so a client's close frame is still
// seen.
class FrameReader {
 public:
  struct Event {
    enum class Kind : uint8_t { kNone, kPing, kPong, kClose, kError };
    Kind kind = Kind::kNone;
    // kClose: the client's code (0 when it gave none); kError: the code to close with.
    uint16_t code = 0;
    // kPing, kPong: the payload; kClose: the reason. Valid until the next read().
    std::string_view payload;
  };

  explicit FrameReader(size_t max_message) : max_message_(max_message) {}

  // Consumes bytes from the front of `in` up to the end of the next control frame or error (the
  // event), or all of them (kNone).
  Event read(std::string_view& in);
  // No more bytes are expected (an error or a close frame was reported).
  bool done() const { return broken_ || closed_; }

 private:
  Event read_step(std::string_view& in);  // read() that may stop early after a suppressed error
  Event finish_frame();
  Event error(uint16_t code);  // the event, or kNone when an error was already reported

  size_t max_message_;
  uint64_t remaining_ = 0;     // payload bytes of the current frame still to come
  uint64_t message_size_ = 0;  // data bytes of the current message so far
  std::string control_;        // the payload of the current control frame (at most 125 bytes)
  Utf8Checker utf8_;
  uint8_t header_[14]{};       // the current frame header as it arrives
  uint8_t header_size_ = 0;
  uint8_t mask_[4]{};
  uint8_t mask_at_ = 0;        // payload offset modulo 4
  Opcode opcode_ = Opcode::kContinuation;
  bool in_payload_ = false;
  bool fin_ = false;
  bool in_message_ = false;    // a fragmented data message is open
  bool text_ = false;          // … and it is text
  bool skipping_ = false;      // a data message past an error: dropped unchecked
  bool errored_ = false;       // an error was reported: later errors are not
  bool broken_ = false;        // a protocol error: every byte is dropped
  bool closed_ = false;        // a close frame was reported
};

}  // namespace lastmile::push::ws
