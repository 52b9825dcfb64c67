#include "domain/chat.hpp"

#include <gtest/gtest.h>

namespace lastmile::domain {
namespace {

using core::ErrorCode;

TEST(ChatBody, IsTrimmedAndKept) {
  auto b = validate_chat_body("  Please leave it with the neighbour\nThanks \t");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, "Please leave it with the neighbour\nThanks");
  EXPECT_TRUE(validate_chat_body("Merci, à tout à l'heure 🚚").ok());
}

TEST(ChatBody, EmptyIsMissing) {
  for (const char* s : {"", "   ", "\n\t "}) {
    auto b = validate_chat_body(s);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error().code, ErrorCode::kMissingField);
    EXPECT_EQ(b.error().field, "body");
  }
}

TEST(ChatBody, LengthCountsCodePoints) {
  EXPECT_TRUE(validate_chat_body(std::string(kMaxChatBodyChars, 'a')).ok());
  std::string accents;
  for (size_t i = 0; i < kMaxChatBodyChars; ++i) accents += "\xC3\xA9";  // é: 2 bytes, 1 character
  EXPECT_TRUE(validate_chat_body(accents).ok());
  auto b = validate_chat_body(std::string(kMaxChatBodyChars + 1, 'a'));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(b.error().field, "body");
}

TEST(ChatBody, ControlCharactersAndBadUtf8AreRefused) {
  for (std::string s : {std::string("a\x01" "b"), std::string("bell\x07"), std::string("a\x7F"),
                        std::string("nul\0x", 5), std::string("\xC3"), std::string("\xC0\xAF"),
                        std::string("\xED\xA0\x80")}) {
    auto b = validate_chat_body(s);
    ASSERT_FALSE(b.ok()) << s;
    EXPECT_EQ(b.error().code, ErrorCode::kInvalidField);
    EXPECT_EQ(b.error().field, "body");
  }
}

TEST(ChatClientId, AcceptsSafeIdsOnly) {
  EXPECT_TRUE(validate_chat_client_id("web-1701:abc_d.e").ok());
  for (std::string s : {std::string(), std::string(65, 'a'), std::string("a b"), std::string("é")}) {
    auto st = validate_chat_client_id(s);
    ASSERT_FALSE(st.ok()) << s;
    EXPECT_EQ(st.error().field, "client_id");
  }
}

TEST(ChatClosing, CustomerMayPostUntilSevenDaysAfterAFinalStatus) {
  const core::Timestamp delivered{1'790'000'000'000};
  const int64_t day = 24 * 3600 * 1000;
  EXPECT_TRUE(customer_may_post(Milestone::kOutForDelivery, delivered, {delivered.ms + 100 * day}).ok());
  EXPECT_TRUE(customer_may_post(Milestone::kDelivered, delivered, {delivered.ms + 7 * day}).ok());
  auto closed = customer_may_post(Milestone::kDelivered, delivered, {delivered.ms + 7 * day + 1});
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, ErrorCode::kIllegalTransition);
  EXPECT_FALSE(customer_may_post(Milestone::kCancelled, delivered, {delivered.ms + 8 * day}).ok());
}

TEST(ChatLabels, NeverAPhoneNumberOrEmail) {
  EXPECT_EQ(customer_label("Marie-Claire Dupont"), "Marie-Claire");
  EXPECT_EQ(customer_label(""), "Customer");
  EXPECT_EQ(customer_label("+33612345678"), "Customer");
  EXPECT_EQ(customer_label("marie@example.com"), "Customer");
  EXPECT_EQ(driver_label("Luca Rossi"), "Luca");
  EXPECT_EQ(driver_label("0612345678 van"), "Driver");
  EXPECT_EQ(dispatcher_label("Acme Parcels"), "Acme Parcels");
  EXPECT_EQ(dispatcher_label(" "), "Dispatch");
  EXPECT_EQ(dispatcher_label("ops@acme.example"), "Dispatch");
  EXPECT_TRUE(looks_like_contact("call +33 6 12 34 56 78"));
  EXPECT_FALSE(looks_like_contact("Flat 12, 3rd floor"));
}

TEST(ChatNames, RoundTrip) {
  for (auto r : {ChatRole::kCustomer, ChatRole::kDriver, ChatRole::kDispatcher})
    EXPECT_EQ(parse_chat_role(chat_role_name(r)), r);
  for (auto c : {ChatChannel::kWeb, ChatChannel::kApp, ChatChannel::kSms})
    EXPECT_EQ(parse_chat_channel(chat_channel_name(c)), c);
  EXPECT_FALSE(parse_chat_role("admin"));
  EXPECT_FALSE(parse_chat_channel("email"));
}

}  // namespace
}  // namespace lastmile::domain
