// Signatures: HMAC-SHA256 known answers (RFC 4231) and the v1 header over "<timestamp>.<body>".
#include "notify/webhook_signature.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "notify/outbox_worker.hpp"

namespace lastmile::notify {
namespace {

TEST(HmacSha256, Rfc4231TestCase2) {
  EXPECT_EQ(core::hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256, Rfc4231TestCase1) {
  EXPECT_EQ(core::hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(WebhookSignature, SignsTimestampDotBody) {
  const std::string body = R"({"event_id":"evt_1"})";
  EXPECT_EQ(webhook_signature("whsec_test", 1790000000, body),
            "v1=" + core::hmac_sha256_hex("whsec_test", "1790000000." + body));
}

TEST(WebhookSignature, ChangesWithTheTimestampTheBodyAndTheSecret) {
  const auto base = webhook_signature("s", 1, "{}");
  EXPECT_NE(base, webhook_signature("s", 2, "{}"));
  EXPECT_NE(base, webhook_signature("s", 1, "{ }"));
  EXPECT_NE(base, webhook_signature("t", 1, "{}"));
}

std::string header(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

TEST(SignedHeaders, CarryTheKeyTheTimestampAndOneSignature) {
  const auto h = signed_headers("evt_1:shipment.delivered:whk_1", "new", "{}", core::Timestamp{1'790'000'000'500});
  EXPECT_EQ(header(h, "Webhook-Id"), "evt_1:shipment.delivered:whk_1");
  EXPECT_EQ(header(h, "Webhook-Timestamp"), "1790000000");
  EXPECT_EQ(header(h, "Webhook-Signature"), webhook_signature("new", 1790000000, "{}"));
}

TEST(SignedHeaders, DuringARotationBothSecretsSignTheNewOneFirst) {
  const auto h = signed_headers("k", "new", "{}", core::Timestamp{1'790'000'000'000}, "old");
  EXPECT_EQ(header(h, "Webhook-Signature"),
            webhook_signature("new", 1790000000, "{}") + " " + webhook_signature("old", 1790000000, "{}"));
}

}  // namespace
}  // namespace lastmile::notify
