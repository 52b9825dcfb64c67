// RFC 6455 as the push server speaks it: the handshake, the frames it writes, and the checks on the
// frames clients write (each error with the close code the session sends).
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include "push/ws_protocol.hpp"

namespace lastmile::push::ws {
namespace {

namespace http = boost::beast::http;
using Event = FrameReader::Event;
using EventKind = FrameReader::Event::Kind;

// A client frame: masked with a fixed key.
std::string client_frame(uint8_t first_byte, std::string_view payload, bool masked = true) {
  const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
  std::string out;
  out.push_back(static_cast<char>(first_byte));
  const uint64_t n = payload.size();
  const uint8_t mask_bit = masked ? 0x80 : 0;
  if (n < 126) {
    out.push_back(static_cast<char>(mask_bit | n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  if (masked) out.append(reinterpret_cast<const char*>(key), 4);
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(payload[i] ^ (masked ? key[i % 4] : 0)));
  return out;
}

std::string text(std::string_view payload, bool fin = true) { return client_frame(fin ? 0x81 : 0x01, payload); }
std::string continuation(std::string_view payload, bool fin) { return client_frame(fin ? 0x80 : 0x00, payload); }
std::string close_frame(std::string_view payload) { return client_frame(0x88, payload); }

// All events of `bytes`, fed `step` bytes at a time.
std::vector<Event> events_of(FrameReader& reader, const std::string& bytes, size_t step = 1 << 20,
                             std::vector<std::string>* payloads = nullptr) {
  std::vector<Event> out;
  for (size_t at = 0; at < bytes.size(); at += step) {
    std::string_view in(bytes.data() + at, std::min(step, bytes.size() - at));
    while (!in.empty()) {
      Event e = reader.read(in);
      if (e.kind == EventKind::kNone) continue;
      if (payloads) payloads->emplace_back(e.payload);
      out.push_back(e);
    }
  }
  return out;
}

http::request<http::string_body> upgrade(std::string_view key = "dGhlIHNhbXBsZSBub25jZQ==",
                                         std::string_view version = "13") {
  http::request<http::string_body> req{http::verb::get, "/v1/live", 11};
  req.set(http::field::host, "example.com");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::connection, "Upgrade");
  if (!key.empty()) req.set(http::field::sec_websocket_key, key);
  if (!version.empty()) req.set(http::field::sec_websocket_version, version);
  return req;
}

TEST(Handshake, AcceptsTheRfcExampleWithItsAcceptKey) {
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");  // RFC 6455 §1.3
  const auto check = check_handshake(upgrade());
  EXPECT_EQ(check.status, 101);
  EXPECT_EQ(check.accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_EQ(accept_response(check.accept),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nServer: lastmile\r\n\r\n");
}

TEST(Handshake, RefusesAMissingOrMalformedKeyAnOtherVersionAndHttp10) {
  auto missing = check_handshake(upgrade(""));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.field, "Sec-WebSocket-Key");
  EXPECT_EQ(check_handshake(upgrade("short==")).status, 400);
  EXPECT_EQ(check_handshake(upgrade("dGhlIHNhbXBsZSBub25jZQ!=")).status, 400);
  auto no_version = check_handshake(upgrade("dGhlIHNhbXBsZSBub25jZQ==", ""));
  EXPECT_EQ(no_version.status, 400);
  EXPECT_EQ(no_version.field, "Sec-WebSocket-Version");
  EXPECT_EQ(check_handshake(upgrade("dGhlIHNhbXBsZSBub25jZQ==", "8")).status, 426);
  auto old = upgrade();
  old.version(10);
  EXPECT_EQ(check_handshake(old).status, 400);
  auto no_host = upgrade();
  no_host.erase(http::field::host);
  EXPECT_EQ(check_handshake(no_host).field, "Host");
}

TEST(ServerFrames, UseTheShortestLengthEncodingUnmasked) {
  std::string out;
  append_frame(out, Opcode::kText, "hi");
  EXPECT_EQ(out, std::string("\x81\x02hi", 4));
  out.clear();
  append_frame(out, Opcode::kText, std::string(125, 'a'));
  EXPECT_EQ(out.substr(0, 2), std::string("\x81\x7d", 2));
  out.clear();
  append_frame(out, Opcode::kText, std::string(126, 'a'));
  EXPECT_EQ(out.substr(0, 4), std::string("\x81\x7e\x00\x7e", 4));
  EXPECT_EQ(out.size(), 4u + 126);
  out.clear();
  append_frame(out, Opcode::kText, std::string(65536, 'a'));
  EXPECT_EQ(out.substr(0, 10), std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
  out.clear();
  append_frame(out, Opcode::kClose, close_payload(kGoingAway, "shutdown"));
  EXPECT_EQ(out, std::string("\x88\x0a\x03\xe9shutdown", 12));
  out.clear();
  append_frame(out, Opcode::kPing, {});
  EXPECT_EQ(out, std::string("\x89\x00", 2));
}

TEST(FrameReader, DropsDataAndReportsControlFramesWhateverTheSplit) {
  const std::string bytes = text("hello") + client_frame(0x89, "are you there") + text("frag ", false) +
                            client_frame(0x8A, "pong!") + continuation("mented", true) +
                            client_frame(0x82, std::string(300, '\xff')) + close_frame("\x03\xe8" "bye");
  for (size_t step : {size_t{1}, size_t{3}, size_t{7}, bytes.size()}) {
    FrameReader reader(4096);
    std::vector<std::string> payloads;
    auto events = events_of(reader, bytes, step, &payloads);
    ASSERT_EQ(events.size(), 3u) << "step " << step;
    EXPECT_EQ(events[0].kind, EventKind::kPing);
    EXPECT_EQ(payloads[0], "are you there");
    EXPECT_EQ(events[1].kind, EventKind::kPong);
    EXPECT_EQ(payloads[1], "pong!");
    EXPECT_EQ(events[2].kind, EventKind::kClose);
    EXPECT_EQ(events[2].code, 1000);
    EXPECT_EQ(payloads[2], "bye");
    EXPECT_TRUE(reader.done());
  }
}

TEST(FrameReader, ACloseWithoutPayloadHasNoCode) {
  FrameReader reader(4096);
  auto events = events_of(reader, close_frame(""));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, EventKind::kClose);
  EXPECT_EQ(events[0].code, 0);
}

TEST(FrameReader, AMessageOverTheLimitIsTooBigFromItsHeaderAndTheCloseFrameAfterItIsStillSeen) {
  FrameReader reader(4096);
  const std::string bytes = text(std::string(4000, 'a'), false) + continuation(std::string(200, 'a'), true) +
                            close_frame("\x03\xe8");
  auto events = events_of(reader, bytes, 5);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, EventKind::kError);
  EXPECT_EQ(events[0].code, kTooBig);
  EXPECT_EQ(events[1].kind, EventKind::kClose);

  FrameReader exact(4096);
  EXPECT_TRUE(events_of(exact, text(std::string(4096, 'a'))).empty());
  FrameReader unlimited(0);
  EXPECT_TRUE(events_of(unlimited, client_frame(0x82, std::string(70000, 'a'))).empty());
}

TEST(FrameReader, AfterAnErrorOneReadStillGoesOnToTheNextControlFrame) {
  // A second message over the limit is not reported again, and read() does not stop there: the
  // ping behind it comes out of the same call (found by tests/fuzz/push/ws_frames_fuzz.cpp).
  FrameReader reader(8);
  const std::string bytes = text("too long, reported") + text("too long, not reported") + client_frame(0x89, "hi");
  std::string_view in(bytes);
  Event first = reader.read(in);
  EXPECT_EQ(first.kind, EventKind::kError);
  EXPECT_EQ(first.code, kTooBig);
  Event next = reader.read(in);
  EXPECT_EQ(next.kind, EventKind::kPing);
  EXPECT_EQ(next.payload, "hi");
  EXPECT_TRUE(in.empty());
}

TEST(FrameReader, ProtocolErrorsAreReportedOnceAndEverythingAfterIsDropped) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unmasked", client_frame(0x81, "x", /*masked=*/false)},
      {"reserved bit", client_frame(0xC1, "x")},
      {"reserved opcode", client_frame(0x83, "x")},
      {"fragmented ping", client_frame(0x09, "x")},
      {"long ping", client_frame(0x89, std::string(126, 'x'))},
      {"continuation of nothing", continuation("x", true)},
      {"new message inside one", text("a", false) + text("b")},
      {"one-byte close", close_frame("\x03")},
      {"close code 1005", close_frame("\x03\xed")},
      {"close code 999", close_frame("\x03\xe7")},
  };
  for (const auto& [name, bytes] : cases) {
    FrameReader reader(4096);
    auto events = events_of(reader, bytes + close_frame("\x03\xe8") + client_frame(0x89, "x"));
    ASSERT_EQ(events.size(), 1u) << name;
    EXPECT_EQ(events[0].kind, EventKind::kError) << name;
    EXPECT_EQ(events[0].code, kProtocolError) << name;
    EXPECT_TRUE(reader.done()) << name;
  }
}

TEST(FrameReader, TextThatIsNotUtf8IsABadPayloadEvenSplitAcrossFrames) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"lone continuation byte", text("a\x80")},
      {"overlong", text("\xc0\xaf")},
      {"surrogate", text("\xed\xa0\x80")},
      {"above U+10FFFF", text("\xf4\x90\x80\x80")},
      {"truncated at the end", text("ok \xe2\x82")},
      {"truncated across frames", text("\xe2\x82", false) + continuation("x", true)},
      {"close reason", close_frame("\x03\xe8\xff")},
  };
  for (const auto& [name, bytes] : bad) {
    FrameReader reader(4096);
    auto events = events_of(reader, bytes, 1);
    ASSERT_FALSE(events.empty()) << name;
    EXPECT_EQ(events[0].kind, EventKind::kError) << name;
    EXPECT_EQ(events[0].code, kBadPayload) << name;
  }
  FrameReader reader(4096);
  EXPECT_TRUE(events_of(reader, text("\xe2\x82", false) + continuation("\xac \xf0\x9f\x9a\x9a", true), 1).empty())
      << "€ split across frames, then a delivery van";
  EXPECT_TRUE(events_of(reader, client_frame(0x82, "\xff\xfe")).empty()) << "binary is not checked";
}

TEST(Utf8Checker, AcceptsEveryWellFormedLengthAndRejectsTheRest) {
  Utf8Checker c;
  EXPECT_TRUE(c.write("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x9a"));
  EXPECT_TRUE(c.complete());
  EXPECT_TRUE(c.write("\xf0\x9f"));
  EXPECT_FALSE(c.complete());
  EXPECT_TRUE(c.write("\x9a\x9a"));
  EXPECT_TRUE(c.complete());
  Utf8Checker bad;
  EXPECT_FALSE(bad.write("\xff"));
  Utf8Checker reused;
  EXPECT_TRUE(reused.write("\xe0"));  // expects A0..BF next
  reused.reset();
  EXPECT_TRUE(reused.write("\xe1\x80\x80"));  // a new message: 80 is fine after E1
  EXPECT_TRUE(reused.complete());
}

}  // namespace
}  // namespace lastmile::push::ws
