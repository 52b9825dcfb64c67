// Webhook subscriptions and the outbox worker's side (storage/webhook_store.hpp). Rows are
// enqueued with their events by sqlite_outbox.cpp.
#include "storage/sqlite/sqlite_outbox.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

constexpr std::string_view kWebhookColumns =
    "seq, id, tenant_id, url, events, description, secret, status, disabled_reason, created_at, previous_secret, "
    "previous_secret_until";
constexpr std::string_view kOutboxColumns =
    "seq, id, tenant_id, kind, subscription_id, event_id, event_type, idempotency_key, payload, state, attempts, "
    "next_attempt_at, last_error, last_status, created_at, delivered_at";

Result<WebhookSubscription> webhook_from_row(const Statement& s) {
  WebhookSubscription w;
  w.seq = s.int64(0);
  w.id = core::WebhookId(s.text(1));
  w.tenant_id = core::TenantId(s.text(2));
  w.url = s.text(3);
  w.events = split_patterns(s.text(4));
  w.description = s.text(5);
  w.secret = s.text(6);
  w.status = s.text(7);
  w.disabled_reason = s.text(8);
  w.created_at = core::Timestamp{s.int64(9)};
  w.previous_secret = s.text(10);
  if (auto until = s.optional_int64(11)) w.previous_secret_until = core::Timestamp{*until};
  return w;
}

Result<OutboxMessage> message_from_row(const Statement& s) {
  OutboxMessage m;
  m.seq = s.int64(0);
  m.id = core::DeliveryId(s.text(1));
  m.tenant_id = core::TenantId(s.text(2));
  m.kind = s.text(3);
  m.subscription_id = core::WebhookId(s.text(4));
  m.event_id = core::EventId(s.text(5));
  m.event_type = s.text(6);
  m.idempotency_key = s.text(7);
  m.payload = s.text(8);
  m.state = s.text(9);
  m.attempts = static_cast<int>(s.int64(10));
  m.next_attempt_at = core::Timestamp{s.int64(11)};
  m.last_error = s.text(12);
  if (auto st = s.optional_int64(13)) m.last_status = static_cast<int>(*st);
  m.created_at = core::Timestamp{s.int64(14)};
  if (auto d = s.optional_int64(15)) m.delivered_at = core::Timestamp{*d};
  return m;
}

Result<WebhookSubscription> load_webhook(Connection& db, const core::TenantId& tenant, const core::WebhookId& id) {
  auto stmt = db.prepare(sql({"SELECT ", kWebhookColumns, " FROM webhook_subscriptions WHERE tenant_id = ? AND id = ?"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), id.str());
  return fetch_one<WebhookSubscription>(*stmt, webhook_from_row, "webhook");
}

Result<OutboxMessage> load_message(Connection& db, const core::TenantId& tenant, const core::WebhookId& sub,
                                   const core::DeliveryId& id) {
  auto stmt = db.prepare(
      sql({"SELECT ", kOutboxColumns, " FROM outbox WHERE tenant_id = ? AND subscription_id = ? AND id = ?"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), sub.str(), id.str());
  return fetch_one<OutboxMessage>(*stmt, message_from_row, "delivery");
}

std::string_view state_after(DeliveryOutcome::Kind k) {
  switch (k) {
    case DeliveryOutcome::Kind::kDelivered: return "delivered";
    case DeliveryOutcome::Kind::kRetry: return "pending";
    case DeliveryOutcome::Kind::kDead:
    case DeliveryOutcome::Kind::kGone: return "dead";
  }
  return "dead";
}

}  // namespace

Status SqliteStore::create_webhook(const WebhookSubscription& w) {
  return write("create_webhook", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare(
        "INSERT INTO webhook_subscriptions (id, tenant_id, url, events, description, secret, status, "
        "disabled_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    return stmt
        ->bind_all(w.id.str(), w.tenant_id.str(), w.url, join_patterns(w.events), w.description, w.secret, w.status,
                   w.disabled_reason, w.created_at.ms, w.created_at.ms)
        .run();
  });
}

Result<WebhookSubscription> SqliteStore::get_webhook(const core::TenantId& tenant, const core::WebhookId& id) {
  return read<WebhookSubscription>("get_webhook", [&](Connection& db) { return load_webhook(db, tenant, id); });
}

Result<Page<WebhookSubscription>> SqliteStore::list_webhooks(const core::TenantId& tenant, const PageRequest& page) {
  return read<Page<WebhookSubscription>>("list_webhooks", [&](Connection& db) -> Result<Page<WebhookSubscription>> {
    auto stmt = db.prepare(sql({"SELECT ", kWebhookColumns,
                                " FROM webhook_subscriptions WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), page_before(page), page_fetch_limit(page));
    return fetch_page<WebhookSubscription>(*stmt, page, webhook_from_row);
  });
}

Result<WebhookSubscription> SqliteStore::disable_webhook(const core::TenantId& tenant, const core::WebhookId& id,
                                                         core::Timestamp at) {
  std::optional<WebhookSubscription> after;
  Status st = write("disable_webhook", [&](Connection& db, Events&) -> Status {
    auto w = load_webhook(db, tenant, id);
    if (!w) return w.error();
    if (w->status == "active") {
      auto stmt = db.prepare("UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'deleted', "
                             "updated_at = ? WHERE tenant_id = ? AND id = ?");
      if (!stmt) return stmt.error();
      if (auto s = stmt->bind_all(at.ms, tenant.str(), id.str()).run(); !s) return s;
      w->status = "disabled";
      w->disabled_reason = "deleted";
    }
    after = std::move(*w);
    return {};
  });
  if (!st) return st.error();
  return std::move(*after);
}

Result<WebhookSubscription> SqliteStore::rotate_webhook_secret(const core::TenantId& tenant, const core::WebhookId& id,
                                                               const std::string& new_secret,
                                                               std::optional<core::Timestamp> previous_until,
                                                               core::Timestamp at) {
  std::optional<WebhookSubscription> after;
  Status st = write("rotate_webhook_secret", [&](Connection& db, Events&) -> Status {
    auto w = load_webhook(db, tenant, id);
    if (!w) return w.error();
    if (w->disabled_reason == "deleted") return core::Error{core::ErrorCode::kConflict, "the webhook subscription was deleted", ""};
    std::optional<int64_t> until;
    if (previous_until) until = previous_until->ms;
    const std::string previous = previous_until ? w->secret : std::string();
    auto stmt = db.prepare("UPDATE webhook_subscriptions SET secret = ?, previous_secret = ?, previous_secret_until = ?, "
                           "updated_at = ? WHERE tenant_id = ? AND id = ?");
    if (!stmt) return stmt.error();
    if (auto s = stmt->bind_all(new_secret, previous, until, at.ms, tenant.str(), id.str()).run(); !s) return s;
    w->secret = new_secret;
    w->previous_secret = previous;
    w->previous_secret_until = previous_until;
    after = std::move(*w);
    return {};
  });
  if (!st) return st.error();
  return std::move(*after);
}

Result<WebhookSubscription> SqliteStore::enable_webhook(const core::TenantId& tenant, const core::WebhookId& id,
                                                        core::Timestamp at) {
  std::optional<WebhookSubscription> after;
  Status st = write("enable_webhook", [&](Connection& db, Events&) -> Status {
    auto w = load_webhook(db, tenant, id);
    if (!w) return w.error();
    if (w->disabled_reason == "deleted") return core::Error{core::ErrorCode::kConflict, "the webhook subscription was deleted", ""};
    if (w->status != "active") {
      auto stmt = db.prepare("UPDATE webhook_subscriptions SET status = 'active', disabled_reason = '', updated_at = ? "
                             "WHERE tenant_id = ? AND id = ?");
      if (!stmt) return stmt.error();
      if (auto s = stmt->bind_all(at.ms, tenant.str(), id.str()).run(); !s) return s;
      w->status = "active";
      w->disabled_reason.clear();
    }
    after = std::move(*w);
    return {};
  });
  if (!st) return st.error();
  return std::move(*after);
}

Result<Page<OutboxMessage>> SqliteStore::list_deliveries(const core::TenantId& tenant, const core::WebhookId& id,
                                                         const PageRequest& page) {
  return read<Page<OutboxMessage>>("list_deliveries", [&](Connection& db) -> Result<Page<OutboxMessage>> {
    if (auto w = load_webhook(db, tenant, id); !w) return w.error();
    auto stmt = db.prepare(sql({"SELECT ", kOutboxColumns,
                                " FROM outbox WHERE tenant_id = ? AND subscription_id = ? AND seq < ? "
                                "ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str(), page_before(page), page_fetch_limit(page));
    return fetch_page<OutboxMessage>(*stmt, page, message_from_row);
  });
}

Result<OutboxMessage> SqliteStore::replay_delivery(const core::TenantId& tenant, const core::WebhookId& id,
                                                   const core::DeliveryId& delivery, core::Timestamp now) {
  std::optional<OutboxMessage> after;
  Status st = write("replay_delivery", [&](Connection& db, Events&) -> Status {
    auto m = load_message(db, tenant, id, delivery);
    if (!m) return m.error();
    auto stmt = db.prepare("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, "
                           "delivered_at = NULL WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto s = stmt->bind_all(now.ms, delivery.str()).run(); !s) return s;
    m->state = "pending";
    m->attempts = 0;
    m->next_attempt_at = now;
    m->delivered_at.reset();
    after = std::move(*m);
    return {};
  });
  if (!st) return st.error();
  return std::move(*after);
}

Result<std::vector<DueMessage>> SqliteStore::claim_due_messages(core::Timestamp now, int limit) {
  std::vector<DueMessage> out;
  Status st = write("claim_outbox", [&](Connection& db, Events&) -> Status {
    out.clear();
    auto pick = db.prepare(
        "SELECT o.seq, o.id, o.tenant_id, o.kind, o.subscription_id, o.event_id, o.event_type, o.idempotency_key, "
        "o.payload, o.state, o.attempts, o.next_attempt_at, o.last_error, o.last_status, o.created_at, "
        "o.delivered_at, w.url, w.secret, CASE WHEN w.previous_secret_until > ? THEN w.previous_secret ELSE '' END "
        "FROM outbox o JOIN webhook_subscriptions w ON w.id = o.subscription_id "
        "WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND w.status = 'active' "
        "ORDER BY o.next_attempt_at, o.seq LIMIT ?");
    if (!pick) return pick.error();
    pick->bind_all(now.ms, now.ms, limit);
    for (;;) {
      auto row = pick->step();
      if (!row) return row.error();
      if (!*row) break;
      auto m = message_from_row(*pick);
      if (!m) return m.error();
      out.push_back(DueMessage{std::move(*m), pick->text(16), pick->text(17), pick->text(18)});
    }
    for (auto& d : out) {
      auto upd = db.prepare("UPDATE outbox SET state = 'sending' WHERE id = ?");
      if (!upd) return upd.error();
      if (auto s = upd->bind_all(d.message.id.str()).run(); !s) return s;
      d.message.state = "sending";
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status SqliteStore::finish_delivery(const core::DeliveryId& id, const DeliveryOutcome& o) {
  return write("finish_delivery", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("UPDATE outbox SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, "
                           "next_attempt_at = ?, delivered_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    const bool delivered = o.kind == DeliveryOutcome::Kind::kDelivered;
    std::optional<int64_t> delivered_at;
    if (delivered) delivered_at = o.at.ms;
    const int64_t next = o.kind == DeliveryOutcome::Kind::kRetry ? o.next_attempt_at.ms : o.at.ms;
    if (auto s = stmt->bind_all(state_after(o.kind), o.status, o.error, next, delivered_at, id.str()).run(); !s)
      return s;
    if (o.kind != DeliveryOutcome::Kind::kGone) return {};
    auto gone = db.prepare("UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = 'gone', "
                           "updated_at = ? WHERE id = (SELECT subscription_id FROM outbox WHERE id = ?)");
    if (!gone) return gone.error();
    return gone->bind_all(o.at.ms, id.str()).run();
  });
}

Result<int> SqliteStore::requeue_interrupted(core::Timestamp now) {
  int n = 0;
  Status st = write("requeue_outbox", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE state = 'sending' "
                           "AND kind = 'webhook'");
    if (!stmt) return stmt.error();
    if (auto s = stmt->bind_all(now.ms).run(); !s) return s;
    n = static_cast<int>(db.changes());
    return {};
  });
  if (!st) return st.error();
  return n;
}

Result<std::optional<core::Timestamp>> SqliteStore::next_due_at() {
  using Out = std::optional<core::Timestamp>;
  return read<Out>("outbox_next_due", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare(
        "SELECT MIN(o.next_attempt_at) FROM outbox o JOIN webhook_subscriptions w ON w.id = o.subscription_id "
        "WHERE o.state = 'pending' AND w.status = 'active'");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row || stmt->is_null(0)) return Out{};
    return Out{core::Timestamp{stmt->int64(0)}};
  });
}

Result<OutboxCounts> SqliteStore::outbox_counts() {
  return read<OutboxCounts>("outbox_counts", [&](Connection& db) -> Result<OutboxCounts> {
    // COUNT(CASE …): PostgreSQL has no SUM over booleans.
    auto stmt = db.prepare("SELECT COUNT(CASE WHEN state IN ('pending', 'sending') THEN 1 END), "
                           "COUNT(CASE WHEN state = 'dead' THEN 1 END) FROM outbox");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    OutboxCounts c;
    if (*row) {
      c.pending = stmt->int64(0);
      c.dead = stmt->int64(1);
    }
    return c;
  });
}

}  // namespace lastmile::storage::sqlite
