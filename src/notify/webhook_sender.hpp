#pragma once
// Sending one webhook request, behind an interface so tests and the worker can swap the transport
// (the real one is CurlWebhookSender, curl_webhook_sender.hpp). Plus the pure rule that turns an
// answer into the message's next state.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lastmile::notify {

struct WebhookRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type: application/json
  std::string body;
};

struct WebhookAnswer {
  std::optional<int> status;  // absent when no HTTP answer came (connect error, timeout)
  std::string body;           // capped (kMaxAnswerBytes)
  std::string error;          // transport error text when no status
};

inline constexpr size_t kMaxAnswerBytes = 16 * 1024;

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // POSTs `request`; never follows redirects. Thread-safe.
  virtual WebhookAnswer post(const WebhookRequest& request) = 0;
};

// What an answer means, after `attempts` tries in total (this one included):
// 2xx → delivered; 410 → gone (the subscription is disabled); anything else (other 4xx, 5xx, 3xx,
// no answer) → retry, or dead once `attempts` reached `max_attempts`.
enum class AnswerVerdict { kDelivered, kRetry, kDead, kGone };
AnswerVerdict judge_answer(const WebhookAnswer& answer, int attempts, int max_attempts);

// The handshake answer is accepted when 2xx and its body contains `check` (JSON {"check":…} or
// plain text).
bool handshake_accepted(const WebhookAnswer& answer, const std::string& check);

}  // namespace lastmile::notify
