#include "notify/outbox_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "notify/webhook_signature.hpp"

namespace lastmile::notify {

using storage::DeliveryOutcome;

std::vector<std::pair<std::string, std::string>> signed_headers(const std::string& idempotency_key,
                                                                const std::string& secret, const std::string& body,
                                                                core::Timestamp now,
                                                                const std::string& previous_secret) {
  const int64_t ts = now.ms / 1000;
  std::string signature = webhook_signature(secret, ts, body);
  if (!previous_secret.empty()) signature += " " + webhook_signature(previous_secret, ts, body);
  return {{"Webhook-Id", idempotency_key}, {"Webhook-Timestamp", std::to_string(ts)}, {"Webhook-Signature", signature}};
}

OutboxWorker::OutboxWorker(storage::WebhookStore& store, WebhookSender& sender, const core::Clock& clock,
                           OutboxWorkerOptions options)
    : store_(store), sender_(sender), clock_(clock), options_(std::move(options)) {}

void OutboxWorker::requeue() {
  auto n = store_.requeue_interrupted(clock_.now());
  if (!n) spdlog::warn("outbox: cannot requeue interrupted messages: {}", n.error().message);
  else if (*n > 0) spdlog::info("outbox: {} interrupted message(s) due again", *n);
}

void OutboxWorker::start() {
  if (!options_.may_send) requeue();
  loop_.start([this] { return pass(); });
}

void OutboxWorker::wake() { loop_.wake(); }

int OutboxWorker::run_once() {
  int tried = 0;
  for (;;) {
    auto due = store_.claim_due_messages(clock_.now(), options_.batch);
    if (!due) {
      spdlog::warn("outbox: cannot read due messages: {}", due.error().message);
      return tried;
    }
    if (due->empty()) return tried;
    std::vector<core::WebhookId> gone;  // answered 410 in this batch: their later messages wait
    for (const auto& d : *due) {
      if (std::find(gone.begin(), gone.end(), d.message.subscription_id) != gone.end()) continue;
      if (send(d) == DeliveryOutcome::Kind::kGone) gone.push_back(d.message.subscription_id);
      ++tried;
    }
    // The skipped messages are the only ones still "sending" (this thread alone claims): back to
    // pending, where a disabled subscription's messages stay.
    if (!gone.empty()) {
      if (auto n = store_.requeue_interrupted(clock_.now()); !n)
        spdlog::warn("outbox: cannot requeue skipped messages: {}", n.error().message);
    }
    if (loop_.stopping() || (options_.may_send && !options_.may_send())) return tried;
  }
}

DeliveryOutcome::Kind OutboxWorker::send(const storage::DueMessage& due) {
  const auto& m = due.message;
  WebhookRequest request{due.url, signed_headers(m.idempotency_key, due.secret, m.payload, clock_.now(), due.previous_secret), m.payload};
  const WebhookAnswer answer = sender_.post(request);
  const int attempts = m.attempts + 1;
  DeliveryOutcome outcome;
  outcome.at = clock_.now();
  outcome.status = answer.status;
  if (!answer.status) outcome.error = answer.error.substr(0, 200);
  else if (*answer.status < 200 || *answer.status >= 300) outcome.error = "HTTP " + std::to_string(*answer.status);
  switch (judge_answer(answer, attempts, options_.max_attempts)) {
    case AnswerVerdict::kDelivered: outcome.kind = DeliveryOutcome::Kind::kDelivered; break;
    case AnswerVerdict::kGone: outcome.kind = DeliveryOutcome::Kind::kGone; break;
    case AnswerVerdict::kDead: outcome.kind = DeliveryOutcome::Kind::kDead; break;
    case AnswerVerdict::kRetry: {
      outcome.kind = DeliveryOutcome::Kind::kRetry;
      const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
      outcome.next_attempt_at = core::Timestamp{outcome.at.ms + retry_delay_ms(attempts, jitter, options_.backoff)};
      break;
    }
  }
  if (auto st = store_.finish_delivery(m.id, outcome); !st) {
    spdlog::warn("outbox: cannot record delivery {}: {}", m.id.str(), st.error().message);
    return outcome.kind;
  }
  if (options_.on_outcome) options_.on_outcome(outcome.kind);
  return outcome.kind;
}

std::chrono::milliseconds OutboxWorker::pass() {
  if (!gate_.admit([this] { requeue(); })) return options_.poll;
  run_once();
  if (options_.on_counts) {
    if (auto c = store_.outbox_counts()) options_.on_counts(*c);
  }
  auto next = store_.next_due_at();
  return sleep_until_due(next ? *next : std::nullopt, clock_.now(), options_.poll);
}

}  // namespace lastmile::notify
