#pragma once
// SMS through a Twilio-compatible HTTP API with libcurl: a form POST to
// {url}/2010-04-01/Accounts/{sid}/Messages.json with Basic auth sid:token, To, From, Body and
// StatusCallback, and the message's idempotency key in Idempotency-Key and I-Twilio-Idempotency-Token.

#include <string>

#include "notify/notification_channels.hpp"

namespace lastmile::notify {

struct SmsOptions {
  std::string url;  // "https://api.twilio.com"; empty: not configured
  std::string account_sid;
  std::string auth_token;
  std::string from;             // "+15005550006"
  std::string status_callback;  // {public url}/v1/sms/status
};

class SmsHttpChannel final : public SmsChannel {
 public:
  explicit SmsHttpChannel(SmsOptions options);
  bool configured() const override {
    return !options_.url.empty() && !options_.account_sid.empty() && !options_.auth_token.empty() &&
           !options_.from.empty();
  }
  ChannelAnswer send(const SmsMessage& m) override;

 private:
  SmsOptions options_;
};

// The provider's answer → ChannelAnswer: 2xx sent (sid from the JSON), 429 and 5xx retry, other 4xx
// permanent.
ChannelAnswer judge_sms_answer(int status, const std::string& body);

}  // namespace lastmile::notify
