#include "notify/webhook_sender.hpp"

namespace lastmile::notify {

AnswerVerdict judge_answer(const WebhookAnswer& answer, int attempts, int max_attempts) {
  if (answer.status && *answer.status >= 200 && *answer.status < 300) return AnswerVerdict::kDelivered;
  if (answer.status == 410) return AnswerVerdict::kGone;
  return attempts >= max_attempts ? AnswerVerdict::kDead : AnswerVerdict::kRetry;
}

bool handshake_accepted(const WebhookAnswer& answer, const std::string& check) {
  if (!answer.status || *answer.status < 200 || *answer.status >= 300) return false;
  return !check.empty() && answer.body.find(check) != std::string::npos;
}

}  // namespace lastmile::notify
