#include "push/ws_protocol.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>

#include <algorithm>
#include <array>

namespace lastmile::push::ws {

namespace http = boost::beast::http;

namespace {

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// The base64 text of 16 bytes: 22 characters of the alphabet and "==".
bool is_nonce(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  return std::all_of(key.begin(), key.begin() + 22, is_base64_char);
}

// RFC 6455 §7.4: the codes a peer may send (as Beast accepts them).
bool is_valid_close_code(uint16_t code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1013) return true;
  return code >= 3000 && code <= 4999;
}

bool is_control(Opcode op) { return static_cast<uint8_t>(op) >= 8; }

HandshakeCheck refuse(int status, std::string field, std::string message) {
  HandshakeCheck c;
  c.status = status;
  c.field = std::move(field);
  c.message = std::move(message);
  return c;
}

}  // namespace

// ---- handshake --------------------------------------------------------------------------------

HandshakeCheck check_handshake(const http::request<http::string_body>& req) {
  if (req.version() != 11) return refuse(400, "", "a WebSocket upgrade needs HTTP/1.1");
  if (req.find(http::field::host) == req.end()) return refuse(400, "Host", "the Host header is missing");
  auto key = req.find(http::field::sec_websocket_key);
  if (key == req.end() || !is_nonce(key->value()))
    return refuse(400, "Sec-WebSocket-Key", "Sec-WebSocket-Key must be the base64 text of 16 bytes");
  auto version = req.find(http::field::sec_websocket_version);
  if (version == req.end()) return refuse(400, "Sec-WebSocket-Version", "Sec-WebSocket-Version is missing");
  if (version->value() != "13") return refuse(426, "Sec-WebSocket-Version", "only Sec-WebSocket-Version 13 is supported");
  HandshakeCheck ok;
  ok.accept = accept_key(key->value());
  return ok;
}

std::string accept_key(std::string_view key) {
  boost::beast::websocket::detail::sec_ws_accept_type accept;
  boost::beast::websocket::detail::make_sec_ws_accept(accept, key.substr(0, 24));
  return std::string(accept.data(), accept.size());
}

std::string accept_response(std::string_view accept) {
  std::string out =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Upgrade: websocket\r\n"
      "Connection: upgrade\r\n"
      "Sec-WebSocket-Accept: ";
  out.append(accept).append("\r\nServer: lastmile\r\n\r\n");
  return out;
}

// ---- server frames ----------------------------------------------------------------------------

void append_frame(std::string& out, Opcode op, std::string_view payload) {
  const uint64_t n = payload.size();
  out.push_back(static_cast<char>(0x80 | static_cast<uint8_t>(op)));
  if (n < 126) {
    out.push_back(static_cast<char>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  out.append(payload);
}

std::string close_payload(uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason.substr(0, 123));
  return out;
}

// ---- UTF-8 ------------------------------------------------------------------------------------

// The well-formed byte sequences of Unicode 15, table 3-7: no overlong forms, no surrogates,
// nothing above U+10FFFF.
bool Utf8Checker::write(std::string_view bytes) {
  for (const char ch : bytes) {
    const auto b = static_cast<uint8_t>(ch);
    if (need_ > 0) {
      if (b < lo_ || b > hi_) return false;
      lo_ = 0x80;
      hi_ = 0xBF;
      --need_;
      continue;
    }
    if (b < 0x80) continue;
    // The lead byte: how many continuation bytes follow, and the range of the first of them.
    if (b >= 0xC2 && b <= 0xDF) {
      need_ = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need_ = 2;
      if (b == 0xE0) lo_ = 0xA0;  // no overlong forms
      if (b == 0xED) hi_ = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      need_ = 3;
      if (b == 0xF0) lo_ = 0x90;  // no overlong forms
      if (b == 0xF4) hi_ = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;
    }
  }
  return true;
}

// ---- client frames ----------------------------------------------------------------------------

FrameReader::Event FrameReader::error(uint16_t code) {
  if (code == kProtocolError) broken_ = true;
  if (!broken_ && in_payload_ && !is_control(opcode_)) skipping_ = true;  // drop the rest of the message
  if (errored_) return {};
  errored_ = true;
  return Event{Event::Kind::kError, code, {}};
}

FrameReader::Event FrameReader::read(std::string_view& in) {
  // read_step stops early, without an event, where an error was already reported: go on then.
  for (;;) {
    Event e = read_step(in);
    if (e.kind != Event::Kind::kNone || in.empty()) return e;
  }
}

FrameReader::Event FrameReader::read_step(std::string_view& in) {
  while (!in.empty()) {
    if (broken_ || closed_) {
      in = {};
      break;
    }
    if (!in_payload_) {
      // The header: 2 bytes, the extended length (0, 2 or 8), the mask (4; clients must mask).
      auto need = [this]() -> size_t {
        if (header_size_ < 2) return 2;
        const uint8_t len7 = header_[1] & 0x7F;
        return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
      };
      while (header_size_ < need() && !in.empty()) {
        header_[header_size_++] = static_cast<uint8_t>(in.front());
        in.remove_prefix(1);
        if (header_size_ != 2) continue;
        const uint8_t op = header_[0] & 0x0F;
        const bool known = op <= 2 || (op >= 8 && op <= 10);
        if ((header_[0] & 0x70) != 0 || !known || (header_[1] & 0x80) == 0) return error(kProtocolError);
        opcode_ = static_cast<Opcode>(op);
        fin_ = (header_[0] & 0x80) != 0;
        if (is_control(opcode_)) {
          if (!fin_ || (header_[1] & 0x7F) > 125) return error(kProtocolError);
        } else if ((opcode_ == Opcode::kContinuation) != in_message_) {
          return error(kProtocolError);  // a continuation of nothing, or a new message inside one
        }
      }
      if (header_size_ < need()) break;
      uint64_t len = header_[1] & 0x7F;
      size_t at = 2;
      if (len == 126) {
        len = (uint64_t{header_[2]} << 8) | header_[3];
        at = 4;
      } else if (len == 127) {
        len = 0;
        for (size_t i = 2; i < 10; ++i) len = (len << 8) | header_[i];
        if (len >> 63) return error(kProtocolError);
        at = 10;
      }
      std::copy(header_ + at, header_ + at + 4, mask_);
      header_size_ = 0;
      in_payload_ = true;
      remaining_ = len;
      mask_at_ = 0;
      if (is_control(opcode_)) {
        control_.clear();
      } else {
        if (opcode_ != Opcode::kContinuation) {
          in_message_ = true;
          text_ = opcode_ == Opcode::kText;
          message_size_ = 0;
          skipping_ = false;
          utf8_.reset();
        }
        if (!skipping_ && max_message_ != 0 && message_size_ + len > max_message_) {
          Event e = error(kTooBig);
          if (remaining_ == 0) finish_frame();
          return e;
        }
        message_size_ += len;
      }
      if (remaining_ == 0) {
        if (Event e = finish_frame(); e.kind != Event::Kind::kNone) return e;
        continue;
      }
    }
    // The payload: unmasked into control_, or checked (text) and dropped.
    const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size()));
    const std::string_view chunk = in.substr(0, take);
    in.remove_prefix(take);
    bool bad = false;
    if (is_control(opcode_)) {
      for (const char c : chunk) control_.push_back(static_cast<char>(c ^ mask_[mask_at_++ & 3]));
    } else if (text_ && !skipping_) {
      std::array<char, 256> plain;
      for (size_t i = 0; i < chunk.size() && !bad; i += plain.size()) {
        const size_t n = std::min(plain.size(), chunk.size() - i);
        for (size_t j = 0; j < n; ++j) plain[j] = static_cast<char>(chunk[i + j] ^ mask_[mask_at_++ & 3]);
        bad = !utf8_.write(std::string_view(plain.data(), n));
      }
    }
    remaining_ -= take;
    if (bad) {
      Event e = error(kBadPayload);
      if (remaining_ == 0) finish_frame();
      return e;
    }
    if (remaining_ == 0)
      if (Event e = finish_frame(); e.kind != Event::Kind::kNone) return e;
  }
  return {};
}

FrameReader::Event FrameReader::finish_frame() {
  in_payload_ = false;
  switch (opcode_) {
    case Opcode::kPing:
      return Event{Event::Kind::kPing, 0, control_};
    case Opcode::kPong:
      return Event{Event::Kind::kPong, 0, control_};
    case Opcode::kClose: {
      if (control_.size() == 1) return error(kProtocolError);
      uint16_t code = 0;
      std::string_view reason;
      if (control_.size() >= 2) {
        code = static_cast<uint16_t>((static_cast<uint8_t>(control_[0]) << 8) | static_cast<uint8_t>(control_[1]));
        if (!is_valid_close_code(code)) return error(kProtocolError);
        reason = std::string_view(control_).substr(2);
        Utf8Checker check;
        if (!check.write(reason) || !check.complete()) return error(kBadPayload);
      }
      closed_ = true;
      return Event{Event::Kind::kClose, code, reason};
    }
    default:  // data
      if (!fin_) return {};
      in_message_ = false;
      if (text_ && !skipping_ && !utf8_.complete()) {
        skipping_ = false;
        return error(kBadPayload);
      }
      skipping_ = false;
      return {};
  }
}

}  // namespace lastmile::push::ws
