#pragma once
// The e-mail and SMS channels behind small interfaces, so the worker can be tested with fakes.
// The libcurl implementations are smtp_channel.hpp and sms_http_channel.hpp.

#include <optional>
#include <string>

#include "notify/mime_message.hpp"

namespace lastmile::notify {

struct ChannelAnswer {
  enum class Kind {
    kSent,           // accepted by the provider
    kRetry,          // network error, 5xx, 429: try again later
    kPermanent,      // refused for good (4xx, SMTP 5xx): dead at once
    kNotConfigured,  // no provider settings: the message stays pending
  };
  Kind kind = Kind::kRetry;
  std::optional<int> status;  // HTTP or SMTP reply code when there was one
  std::string error;          // short text for the log
  std::string provider_id;    // the SMS provider's message sid
};

class EmailChannel {
 public:
  virtual ~EmailChannel() = default;
  virtual bool configured() const = 0;
  virtual std::string from_address() const = 0;
  // Sends the message built by build_mime(m). May block (network); worker thread only.
  virtual ChannelAnswer send(const MailMessage& m) = 0;
};

struct SmsMessage {
  std::string to;
  std::string body;
  std::string idempotency_key;
};

class SmsChannel {
 public:
  virtual ~SmsChannel() = default;
  virtual bool configured() const = 0;
  virtual ChannelAnswer send(const SmsMessage& m) = 0;
};

}  // namespace lastmile::notify
