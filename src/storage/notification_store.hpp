#pragma once
// E-mail and SMS notifications (docs/notifications.md): each tenant's settings document, the
// e-mail/SMS rows of the outbox (enqueued with their events by sqlite_notifications.hpp), opt-outs,
// unsubscribe tokens and the provider's callbacks.
//
// Threading: every method may be called from any thread. Another tenant's row is kNotFound.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "notify/notification_settings.hpp"
#include "storage/store.hpp"

namespace lastmile::storage {

// One e-mail or SMS. States: pending → sending → delivered | pending (retry) | dead.
struct NotificationMessage {
  int64_t seq = 0;
  core::DeliveryId id;
  core::TenantId tenant_id;
  std::string channel;  // "email" | "sms" (the outbox kind)
  core::ShipmentId shipment_id;
  core::EventId event_id;  // empty for reminders
  std::string rule;        // "delivered", "reminder_day_before", …
  std::string idempotency_key;
  std::string recipient;  // e-mail address or E.164 phone (never shown unmasked)
  std::string payload;    // notify::message_payload
  std::string state = "pending";
  int attempts = 0;
  core::Timestamp next_attempt_at;
  std::string last_error;
  std::optional<int> last_status;
  std::string provider_id;     // the SMS provider's sid
  std::string provider_state;  // queued | sent | delivered | undelivered | failed (SMS callbacks)
  core::Timestamp created_at;
  std::optional<core::Timestamp> delivered_at;
};

// A skipped notification (opted out, no address), for the shipment's log.
struct SkippedNotification {
  std::string rule;
  std::string channel;
  std::string reason;  // "opted_out" | "no_address"
  core::Timestamp at;
};

struct NotificationOutcome {
  enum class Kind { kSent, kRetry, kDead };
  Kind kind = Kind::kRetry;
  std::optional<int> status;
  std::string error;
  std::string provider_id;
  core::Timestamp at;
  core::Timestamp next_attempt_at;  // kRetry only
};

// The shipment an inbound SMS is about: the most recent not-final shipment whose recipient phone
// is the sender.
struct SmsSender {
  core::TenantId tenant_id;
  core::ShipmentId shipment_id;
};

class NotificationStore {
 public:
  virtual ~NotificationStore() = default;

  // The tenant's settings; the built-in defaults with version 0 when never saved.
  virtual Result<notify::NotificationSettings> get_notification_settings(const core::TenantId& tenant) = 0;
  // Saves `s` as version expected_version + 1. kConflict when the stored version is not
  // `expected_version` (0: never saved). Returns the saved settings with their version.
  virtual Result<notify::NotificationSettings> put_notification_settings(const core::TenantId& tenant,
                                                                         notify::NotificationSettings s,
                                                                         int64_t expected_version,
                                                                         core::Timestamp at) = 0;
  // The base of tracking and unsubscribe links in rendered messages (serve --public-url).
  virtual Status set_notification_public_url(const std::string& url) = 0;

  virtual Result<std::vector<NotificationMessage>> list_shipment_notifications(const core::TenantId& tenant,
                                                                               const core::ShipmentId& id) = 0;
  virtual Result<std::vector<SkippedNotification>> list_skipped_notifications(const core::TenantId& tenant,
                                                                              const core::ShipmentId& id) = 0;

  // Worker side. Claims up to `limit` pending e-mail/SMS messages of the given channels due at `now`.
  virtual Result<std::vector<NotificationMessage>> claim_due_notifications(core::Timestamp now, int limit,
                                                                           const std::vector<std::string>& channels) = 0;
  virtual Status finish_notification(const core::DeliveryId& id, const NotificationOutcome& outcome) = 0;
  // A claimed message goes back to pending unchanged (its channel is not configured).
  virtual Status release_notification(const core::DeliveryId& id, core::Timestamp next_attempt_at) = 0;
  virtual Result<int> requeue_interrupted_notifications(core::Timestamp now) = 0;
  virtual Result<std::optional<core::Timestamp>> next_notification_due(const std::vector<std::string>& channels) = 0;
  // Enqueues the day-before / morning-of reminders due at `now` (within the last `window_ms`), once
  // each (key "<shipment>:reminder:<kind>:<local date>"). Returns how many were enqueued.
  virtual Result<int> enqueue_due_reminders(core::Timestamp now, int64_t window_ms) = 0;

  // Provider callbacks. Returns false when no message has that provider id.
  virtual Result<bool> update_sms_status(const std::string& provider_id, const std::string& status,
                                         const std::string& error_code) = 0;
  virtual Result<std::optional<SmsSender>> find_sms_sender(const std::string& phone) = 0;
  // Opt out (or back in) of `channel` for `address` in the tenant.
  virtual Status set_opt_out(const core::TenantId& tenant, const std::string& channel, const std::string& address,
                             bool opted_out, core::Timestamp at) = 0;
  // Records an inbound SMS (masked sender) with what was done about it.
  virtual Status record_inbound_sms(const std::string& message_sid, const std::optional<SmsSender>& sender,
                                    const std::string& from, const std::string& body, const std::string& action,
                                    core::Timestamp at) = 0;
  // The e-mail address an unsubscribe token stands for; kNotFound for an unknown token.
  virtual Result<std::pair<core::TenantId, std::string>> find_unsubscribe_token(const std::string& token) = 0;
};

}  // namespace lastmile::storage
