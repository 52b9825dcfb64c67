// The e-mail as sent: headers, parts, encodings and the stable Message-ID.
#include "notify/mime_message.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

MailMessage sample() {
  MailMessage m;
  m.from_address = "no-reply@shop.example";
  m.from_name = "Shop";
  m.to_address = "ann@example.com";
  m.subject = "Delivered: LM1";
  m.text = "Hello Ann,\nYour parcel: https://x/t/abc\n";
  m.html = "<p>Hello Ann</p>";
  m.idempotency_key = "evt_1:email:delivered";
  m.unsubscribe_url = "https://x/v1/unsubscribe/tok";
  m.date = *core::parse_iso8601("2026-06-10T12:34:56Z");
  return m;
}

TEST(Mime, HeadersAndBothParts) {
  const std::string out = build_mime(sample());
  EXPECT_NE(out.find("From: \"Shop\" <no-reply@shop.example>\r\n"), std::string::npos);
  EXPECT_NE(out.find("To: <ann@example.com>\r\n"), std::string::npos);
  EXPECT_NE(out.find("Subject: Delivered: LM1\r\n"), std::string::npos);
  EXPECT_NE(out.find("Date: Wed, 10 Jun 2026 12:34:56 +0000\r\n"), std::string::npos);
  EXPECT_NE(out.find("List-Unsubscribe: <https://x/v1/unsubscribe/tok>\r\n"), std::string::npos);
  EXPECT_NE(out.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
  EXPECT_NE(out.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  EXPECT_NE(out.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(out.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
  EXPECT_NE(out.find("https://x/t/abc"), std::string::npos);
}

TEST(Mime, TheMessageIdDependsOnTheKeyOnly) {
  auto a = sample();
  auto b = sample();
  b.date = core::Timestamp{0};
  b.text = "other";
  EXPECT_EQ(message_id(a.idempotency_key, a.from_address), message_id(b.idempotency_key, b.from_address));
  EXPECT_NE(message_id("evt_1:email:delivered", "x@y"), message_id("evt_2:email:delivered", "x@y"));
  const std::string id = message_id(a.idempotency_key, a.from_address);
  EXPECT_NE(build_mime(a).find("Message-ID: " + id + "\r\n"), std::string::npos);
  EXPECT_TRUE(id.ends_with("@shop.example>"));
}

TEST(Mime, NonAsciiSubjectIsEncodedWord) {
  EXPECT_EQ(encode_header_word("Livr\xc3\xa9"), "=?UTF-8?B?TGl2csOp?=");
  EXPECT_EQ(encode_header_word("plain"), "plain");
  auto m = sample();
  m.subject = "Colis livr\xc3\xa9";
  EXPECT_NE(build_mime(m).find("Subject: =?UTF-8?B?"), std::string::npos);
}

TEST(Mime, HeaderInjectionIsNeutralised) {
  auto m = sample();
  m.subject = "Hi\r\nBcc: evil@example.com";
  const std::string out = build_mime(m);
  EXPECT_EQ(out.find("\r\nBcc:"), std::string::npos);
}

TEST(Mime, QuotedPrintableEscapesAndWrapsLines) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("caf\xc3\xa9"), "caf=C3=A9");
  EXPECT_EQ(quoted_printable("end \n"), "end=20\r\n");
  const std::string qp = quoted_printable(std::string(200, 'x'));
  size_t line = 0;
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] == '\n') line = 0;
    else EXPECT_LE(++line, 77u);
  }
}

}  // namespace
}  // namespace lastmile::notify
