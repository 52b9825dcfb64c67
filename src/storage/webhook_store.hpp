#pragma once
// Webhook subscriptions and the transactional outbox (docs/webhooks.md). Outbox rows are written
// by the store itself, in the transaction of the event that causes them (sqlite_outbox.hpp); this
// interface lets the API manage subscriptions and the worker send rows.
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp: another
// tenant's row is kNotFound.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "storage/store.hpp"

namespace lastmile::storage {

struct WebhookSubscription {
  int64_t seq = 0;
  core::WebhookId id;
  core::TenantId tenant_id;
  std::string url;
  std::vector<std::string> events;  // patterns (notify/webhook_types.hpp)
  std::string description;
  // The signing key in clear: HMAC needs the key itself, so unlike API keys it cannot be stored as
  // a hash. Shown to the client once, at creation.
  std::string secret;
  // After a rotation: the replaced secret, which still signs (a second signature) until the time.
  std::string previous_secret;
  std::optional<core::Timestamp> previous_secret_until;
  std::string status = "active";  // "active" | "disabled"
  std::string disabled_reason;    // "deleted", "gone" (the receiver answered 410)
  core::Timestamp created_at;
};

// One outbox message. States: pending → sending → delivered | pending (retry) | dead.
struct OutboxMessage {
  int64_t seq = 0;
  core::DeliveryId id;
  core::TenantId tenant_id;
  std::string kind = "webhook";  // "webhook" now; "email", "sms" later
  core::WebhookId subscription_id;
  core::EventId event_id;
  std::string event_type;       // "shipment.delivered"
  std::string idempotency_key;  // "<event id>:<type>:<subscription id>", stable across retries
  std::string payload;          // the exact body sent on every try
  std::string state = "pending";
  int attempts = 0;
  core::Timestamp next_attempt_at;
  std::string last_error;
  std::optional<int> last_status;
  core::Timestamp created_at;
  std::optional<core::Timestamp> delivered_at;
};

// A due message with what sending it needs.
struct DueMessage {
  OutboxMessage message;
  std::string url;
  std::string secret;
  std::string previous_secret;  // empty unless a rotation's grace period runs at claim time
};

// The result of one try.
struct DeliveryOutcome {
  enum class Kind { kDelivered, kRetry, kDead, kGone };
  Kind kind = Kind::kRetry;
  std::optional<int> status;  // HTTP status when there was one
  std::string error;          // short text for the delivery log; empty on success
  core::Timestamp at;
  core::Timestamp next_attempt_at;  // kRetry only
};

struct OutboxCounts {
  int64_t pending = 0;  // pending + sending
  int64_t dead = 0;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  virtual Status create_webhook(const WebhookSubscription& s) = 0;
  virtual Result<WebhookSubscription> get_webhook(const core::TenantId& tenant, const core::WebhookId& id) = 0;
  virtual Result<Page<WebhookSubscription>> list_webhooks(const core::TenantId& tenant, const PageRequest& page) = 0;
  // Sets status "disabled" (reason "deleted"); pending messages stay in the log and are not sent.
  virtual Result<WebhookSubscription> disable_webhook(const core::TenantId& tenant, const core::WebhookId& id,
                                                      core::Timestamp at) = 0;
  // Replaces the signing secret; the old one keeps signing as a second signature until
  // `previous_until` (nullopt: it stops at once). kConflict for a deleted subscription.
  virtual Result<WebhookSubscription> rotate_webhook_secret(const core::TenantId& tenant, const core::WebhookId& id,
                                                            const std::string& new_secret,
                                                            std::optional<core::Timestamp> previous_until,
                                                            core::Timestamp at) = 0;
  // Makes a subscription disabled by its receiver (reason "gone") active again: events from now on
  // are queued for it, and messages still pending from before are sent. Active: unchanged.
  // kConflict for a deleted subscription.
  virtual Result<WebhookSubscription> enable_webhook(const core::TenantId& tenant, const core::WebhookId& id,
                                                     core::Timestamp at) = 0;
  // The subscription's messages, newest first. kNotFound when the subscription is not the tenant's.
  virtual Result<Page<OutboxMessage>> list_deliveries(const core::TenantId& tenant, const core::WebhookId& id,
                                                      const PageRequest& page) = 0;
  // Makes the message pending again, due at `now`, attempts back to 0 (same key and body).
  // kNotFound unless it is a message of this tenant's subscription.
  virtual Result<OutboxMessage> replay_delivery(const core::TenantId& tenant, const core::WebhookId& id,
                                                const core::DeliveryId& delivery, core::Timestamp now) = 0;

  // Worker side. Marks up to `limit` pending messages of active subscriptions due at `now` as
  // "sending" and returns them, oldest first.
  virtual Result<std::vector<DueMessage>> claim_due_messages(core::Timestamp now, int limit) = 0;
  // Records the try's outcome (attempts + 1). kGone also disables the subscription (reason "gone").
  virtual Status finish_delivery(const core::DeliveryId& id, const DeliveryOutcome& outcome) = 0;
  // After a restart: every "sending" message (its try was cut off) becomes pending and due now.
  virtual Result<int> requeue_interrupted(core::Timestamp now) = 0;
  // The earliest next_attempt_at of a pending message of an active subscription; nullopt: none.
  virtual Result<std::optional<core::Timestamp>> next_due_at() = 0;
  virtual Result<OutboxCounts> outbox_counts() = 0;
};

}  // namespace lastmile::storage
