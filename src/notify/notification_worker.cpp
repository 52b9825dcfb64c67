#include "notify/notification_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "domain/masking.hpp"
#include "notify/notification_rules.hpp"

namespace lastmile::notify {

using storage::NotificationOutcome;

NotificationWorker::NotificationWorker(storage::NotificationStore& store, EmailChannel& email, SmsChannel& sms,
                                       const core::Clock& clock, NotificationWorkerOptions options)
    : store_(store), email_(email), sms_(sms), clock_(clock), options_(std::move(options)) {}

std::vector<std::string> NotificationWorker::channels() const {
  std::vector<std::string> out;
  if (email_.configured()) out.emplace_back("email");
  if (sms_.configured()) out.emplace_back("sms");
  return out;
}

void NotificationWorker::start() {
  if (!email_.configured()) spdlog::warn("notify: e-mail is not configured (--smtp-url, --smtp-from): e-mails stay pending");
  if (!sms_.configured()) spdlog::warn("notify: SMS is not configured (--sms-url, …): SMS messages stay pending");
  if (!options_.may_send) requeue();
  loop_.start([this] { return pass(); });
}

void NotificationWorker::requeue() {
  auto n = store_.requeue_interrupted_notifications(clock_.now());
  if (!n) spdlog::warn("notify: cannot requeue interrupted messages: {}", n.error().message);
  else if (*n > 0) spdlog::info("notify: {} interrupted message(s) due again", *n);
}

void NotificationWorker::wake() { loop_.wake(); }

int NotificationWorker::run_once() {
  const core::Timestamp now = clock_.now();
  if (now.ms - last_reminders_.ms >= options_.reminder_every.count()) {
    // A reminder is enqueued when its time passed less than a day ago (a server down for a day
    // does not send yesterday's "delivery today").
    if (auto n = store_.enqueue_due_reminders(now, 12 * 3'600'000LL); !n)
      spdlog::warn("notify: cannot enqueue reminders: {}", n.error().message);
    else if (*n > 0)
      spdlog::info("notify: {} reminder(s) enqueued", *n);
    last_reminders_ = now;
  }
  const auto ch = channels();
  if (ch.empty()) return 0;
  int tried = 0;
  for (;;) {
    auto due = store_.claim_due_notifications(clock_.now(), options_.batch, ch);
    if (!due) {
      spdlog::warn("notify: cannot read due messages: {}", due.error().message);
      return tried;
    }
    if (due->empty()) return tried;
    for (const auto& m : *due) {
      send(m);
      ++tried;
    }
    if (loop_.stopping() || (options_.may_send && !options_.may_send())) return tried;
  }
}

NotificationOutcome::Kind NotificationWorker::send(const storage::NotificationMessage& m) {
  const RenderedMessage r = parse_message_payload(m.payload);
  ChannelAnswer answer;
  if (m.channel == "email") {
    MailMessage mail;
    mail.from_address = email_.from_address();
    mail.from_name = r.from_name;
    mail.to_address = m.recipient;
    mail.subject = r.subject;
    mail.text = r.text;
    mail.html = r.html;
    mail.idempotency_key = m.idempotency_key;
    mail.unsubscribe_url = r.unsubscribe_url;
    mail.date = m.created_at;  // the same Date on every try, like the Message-ID
    answer = email_.send(mail);
  } else {
    answer = sms_.send(SmsMessage{m.recipient, r.text, m.idempotency_key});
  }
  const int attempts = m.attempts + 1;
  NotificationOutcome out;
  out.at = clock_.now();
  out.status = answer.status;
  out.error = answer.error.substr(0, 200);
  out.provider_id = answer.provider_id;
  switch (answer.kind) {
    case ChannelAnswer::Kind::kSent: out.kind = NotificationOutcome::Kind::kSent; break;
    case ChannelAnswer::Kind::kPermanent: out.kind = NotificationOutcome::Kind::kDead; break;
    case ChannelAnswer::Kind::kNotConfigured:
      if (auto st = store_.release_notification(m.id, out.at); !st)
        spdlog::warn("notify: cannot release {}: {}", m.id.str(), st.error().message);
      return NotificationOutcome::Kind::kRetry;
    case ChannelAnswer::Kind::kRetry:
      if (attempts >= options_.max_attempts) {
        out.kind = NotificationOutcome::Kind::kDead;
      } else {
        out.kind = NotificationOutcome::Kind::kRetry;
        const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
        out.next_attempt_at = core::Timestamp{out.at.ms + retry_delay_ms(attempts, jitter, options_.backoff)};
      }
      break;
  }
  if (out.kind != NotificationOutcome::Kind::kSent) {
    const std::string to = m.channel == "email" ? domain::mask_email(m.recipient) : domain::mask_phone(m.recipient);
    spdlog::info("notify: {} {} to {} ({}): {}", m.channel, m.rule, to, m.idempotency_key, out.error);
  }
  if (auto st = store_.finish_notification(m.id, out); !st) {
    spdlog::warn("notify: cannot record {}: {}", m.id.str(), st.error().message);
    return out.kind;
  }
  if (options_.on_outcome) options_.on_outcome(m.channel, out.kind);
  return out.kind;
}

std::chrono::milliseconds NotificationWorker::pass() {
  if (!gate_.admit([this] { requeue(); })) return options_.poll;
  run_once();
  const auto ch = channels();
  if (ch.empty()) return options_.poll;
  auto next = store_.next_notification_due(ch);
  return sleep_until_due(next ? *next : std::nullopt, clock_.now(), options_.poll);
}

}  // namespace lastmile::notify
