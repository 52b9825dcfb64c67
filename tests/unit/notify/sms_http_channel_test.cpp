// How the SMS provider's answers are judged: 2xx sent (with the sid), 429/5xx retried, other 4xx dead.
#include "notify/sms_http_channel.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

TEST(SmsAnswer, AcceptedKeepsTheSid) {
  auto a = judge_sms_answer(201, R"({"sid":"SM123","status":"queued"})");
  EXPECT_EQ(a.kind, ChannelAnswer::Kind::kSent);
  EXPECT_EQ(a.provider_id, "SM123");
  EXPECT_EQ(judge_sms_answer(200, "not json").kind, ChannelAnswer::Kind::kSent);
}

TEST(SmsAnswer, ServerErrorsAndThrottlingAreRetriedOtherClientErrorsAreFinal) {
  EXPECT_EQ(judge_sms_answer(500, "").kind, ChannelAnswer::Kind::kRetry);
  EXPECT_EQ(judge_sms_answer(503, "").kind, ChannelAnswer::Kind::kRetry);
  EXPECT_EQ(judge_sms_answer(429, "").kind, ChannelAnswer::Kind::kRetry);
  EXPECT_EQ(judge_sms_answer(400, R"({"code":21211})").kind, ChannelAnswer::Kind::kPermanent);
  EXPECT_EQ(judge_sms_answer(401, "").kind, ChannelAnswer::Kind::kPermanent);
  EXPECT_EQ(judge_sms_answer(400, "").status, 400);
}

TEST(SmsChannel, WithoutSettingsItIsNotConfiguredAndSendsNothing) {
  SmsHttpChannel c(SmsOptions{});
  EXPECT_FALSE(c.configured());
  EXPECT_EQ(c.send(SmsMessage{"+1", "x", "k"}).kind, ChannelAnswer::Kind::kNotConfigured);
}

}  // namespace
}  // namespace lastmile::notify
