// E-mail/SMS notifications (storage/notification_store.hpp). Rows are enqueued with their events
// by sqlite_notifications.cpp.
#include <map>

#include "domain/masking.hpp"
#include "notify/local_schedule.hpp"
#include "storage/sqlite/sqlite_notifications.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

constexpr std::string_view kColumns =
    "seq, id, tenant_id, kind, shipment_id, event_id, event_type, idempotency_key, recipient, payload, state, "
    "attempts, next_attempt_at, last_error, last_status, provider_id, provider_state, created_at, delivered_at";

Result<NotificationMessage> message_from_row(const Statement& s) {
  NotificationMessage m;
  m.seq = s.int64(0);
  m.id = core::DeliveryId(s.text(1));
  m.tenant_id = core::TenantId(s.text(2));
  m.channel = s.text(3);
  m.shipment_id = core::ShipmentId(s.text(4));
  m.event_id = core::EventId(s.text(5));
  m.rule = s.text(6);
  m.idempotency_key = s.text(7);
  m.recipient = s.text(8);
  m.payload = s.text(9);
  m.state = s.text(10);
  m.attempts = static_cast<int>(s.int64(11));
  m.next_attempt_at = core::Timestamp{s.int64(12)};
  m.last_error = s.text(13);
  if (auto st = s.optional_int64(14)) m.last_status = static_cast<int>(*st);
  m.provider_id = s.text(15);
  m.provider_state = s.text(16);
  m.created_at = core::Timestamp{s.int64(17)};
  if (auto d = s.optional_int64(18)) m.delivered_at = core::Timestamp{*d};
  return m;
}

// "'email','sms'" from the allowed channel names only.
std::string channel_list(const std::vector<std::string>& channels) {
  std::string out;
  for (const auto& c : channels) {
    if (c != "email" && c != "sms") continue;
    if (!out.empty()) out += ',';
    out += "'" + c + "'";
  }
  return out.empty() ? "''" : out;
}

std::string_view state_after(NotificationOutcome::Kind k) {
  switch (k) {
    case NotificationOutcome::Kind::kSent: return "delivered";
    case NotificationOutcome::Kind::kRetry: return "pending";
    case NotificationOutcome::Kind::kDead: return "dead";
  }
  return "dead";
}

}  // namespace

Result<notify::NotificationSettings> SqliteStore::get_notification_settings(const core::TenantId& tenant) {
  return read<notify::NotificationSettings>("get_notification_settings",
                                            [&](Connection& db) { return load_notification_settings(db, tenant); });
}

Result<notify::NotificationSettings> SqliteStore::put_notification_settings(const core::TenantId& tenant,
                                                                            notify::NotificationSettings s,
                                                                            int64_t expected_version,
                                                                            core::Timestamp at) {
  Status st = write("put_notification_settings", [&](Connection& db, Events&) -> Status {
    auto cur = load_notification_settings(db, tenant);
    if (!cur) return cur.error();
    if (cur->version != expected_version)
      return Error{core::ErrorCode::kConflict,
                   "the settings changed (version " + std::to_string(cur->version) + "); reload and retry", "version"};
    s.version = expected_version + 1;
    auto stmt = db.prepare(
        "INSERT INTO notification_settings (tenant_id, version, document, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version, document = excluded.document, "
        "updated_at = excluded.updated_at");
    if (!stmt) return stmt.error();
    return stmt->bind_all(tenant.str(), s.version, notify::settings_json(s), at.ms).run();
  });
  if (!st) return st.error();
  return s;
}

Status SqliteStore::set_notification_public_url(const std::string& url) {
  return write("set_notification_public_url", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("INSERT INTO notification_server (id, public_url) VALUES (1, ?) "
                           "ON CONFLICT (id) DO UPDATE SET public_url = excluded.public_url");
    if (!stmt) return stmt.error();
    return stmt->bind_all(url).run();
  });
}

Result<std::vector<NotificationMessage>> SqliteStore::list_shipment_notifications(const core::TenantId& tenant,
                                                                                  const core::ShipmentId& id) {
  using Out = std::vector<NotificationMessage>;
  return read<Out>("list_shipment_notifications", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare(sql({"SELECT ", kColumns,
                                " FROM outbox WHERE tenant_id = ? AND shipment_id = ? AND kind IN ('email', 'sms') "
                                "ORDER BY seq LIMIT 500"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    return fetch_all<NotificationMessage>(*stmt, message_from_row);
  });
}

Result<std::vector<SkippedNotification>> SqliteStore::list_skipped_notifications(const core::TenantId& tenant,
                                                                                 const core::ShipmentId& id) {
  using Out = std::vector<SkippedNotification>;
  return read<Out>("list_skipped_notifications", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare("SELECT rule, channel, outcome, created_at FROM notification_log WHERE tenant_id = ? AND "
                           "shipment_id = ? ORDER BY seq LIMIT 500");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    return fetch_all<SkippedNotification>(*stmt, [](const Statement& s) -> Result<SkippedNotification> {
      return SkippedNotification{s.text(0), s.text(1), s.text(2), core::Timestamp{s.int64(3)}};
    });
  });
}

Result<std::vector<NotificationMessage>> SqliteStore::claim_due_notifications(core::Timestamp now, int limit,
                                                                              const std::vector<std::string>& channels) {
  std::vector<NotificationMessage> out;
  Status st = write("claim_notifications", [&](Connection& db, Events&) -> Status {
    out.clear();
    auto pick = db.prepare(sql({"SELECT ", kColumns, " FROM outbox WHERE state = 'pending' AND kind IN (",
                                channel_list(channels), ") AND next_attempt_at <= ? ORDER BY next_attempt_at, seq "
                                                        "LIMIT ?"}));
    if (!pick) return pick.error();
    pick->bind_all(now.ms, limit);
    auto rows = fetch_all<NotificationMessage>(*pick, message_from_row);
    if (!rows) return rows.error();
    out = std::move(*rows);
    for (auto& m : out) {
      auto upd = db.prepare("UPDATE outbox SET state = 'sending' WHERE id = ?");
      if (!upd) return upd.error();
      if (auto s = upd->bind_all(m.id.str()).run(); !s) return s;
      m.state = "sending";
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

Status SqliteStore::finish_notification(const core::DeliveryId& id, const NotificationOutcome& o) {
  return write("finish_notification", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare(
        "UPDATE outbox SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?, "
        "delivered_at = ?, provider_id = CASE WHEN ? = '' THEN provider_id ELSE ? END WHERE id = ?");
    if (!stmt) return stmt.error();
    std::optional<int64_t> delivered_at;
    if (o.kind == NotificationOutcome::Kind::kSent) delivered_at = o.at.ms;
    const int64_t next = o.kind == NotificationOutcome::Kind::kRetry ? o.next_attempt_at.ms : o.at.ms;
    return stmt
        ->bind_all(state_after(o.kind), o.status, o.error, next, delivered_at, o.provider_id, o.provider_id, id.str())
        .run();
  });
}

Status SqliteStore::release_notification(const core::DeliveryId& id, core::Timestamp next_attempt_at) {
  return write("release_notification", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = "
                           "'channel not configured' WHERE id = ? AND state = 'sending'");
    if (!stmt) return stmt.error();
    return stmt->bind_all(next_attempt_at.ms, id.str()).run();
  });
}

Result<int> SqliteStore::requeue_interrupted_notifications(core::Timestamp now) {
  int n = 0;
  Status st = write("requeue_notifications", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = ? WHERE state = 'sending' AND "
                           "kind IN ('email', 'sms')");
    if (!stmt) return stmt.error();
    if (auto s = stmt->bind_all(now.ms).run(); !s) return s;
    n = static_cast<int>(db.changes());
    return {};
  });
  if (!st) return st.error();
  return n;
}

Result<std::optional<core::Timestamp>> SqliteStore::next_notification_due(const std::vector<std::string>& channels) {
  using Out = std::optional<core::Timestamp>;
  return read<Out>("notification_next_due", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare(sql({"SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending' AND kind IN (",
                                channel_list(channels), ")"}));
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row || stmt->is_null(0)) return Out{};
    return Out{core::Timestamp{stmt->int64(0)}};
  });
}

Result<int> SqliteStore::enqueue_due_reminders(core::Timestamp now, int64_t window_ms) {
  int n = 0;
  Status st = write("enqueue_reminders", [&](Connection& db, Events&) -> Status {
    n = 0;
    // A day-before reminder is sent at most ~2 days before the window (a late local time plus a
    // time-zone offset), so only windows starting within 3 days are candidates.
    auto stmt = db.prepare(
        "SELECT tenant_id, id, recipient_time_zone, promised_start FROM shipments WHERE promised_start IS NOT NULL "
        "AND promised_start > ? AND promised_start <= ? AND status NOT IN ('delivered', 'returned', 'cancelled') "
        "ORDER BY seq LIMIT 2000");
    if (!stmt) return stmt.error();
    stmt->bind_all(now.ms, static_cast<int64_t>(now.ms + int64_t{3} * 86'400'000));
    struct Candidate {
      core::TenantId tenant;
      core::ShipmentId id;
      std::string tz;
      core::Timestamp start;
    };
    auto rows = fetch_all<Candidate>(*stmt, [](const Statement& s) -> Result<Candidate> {
      return Candidate{core::TenantId(s.text(0)), core::ShipmentId(s.text(1)), s.text(2), core::Timestamp{s.int64(3)}};
    });
    if (!rows) return rows.error();
    std::map<std::string, notify::NotificationSettings> settings;
    for (const auto& c : *rows) {
      auto it = settings.find(c.tenant.str());
      if (it == settings.end()) {
        auto s = load_notification_settings(db, c.tenant);
        if (!s) return s.error();
        it = settings.emplace(c.tenant.str(), std::move(*s)).first;
      }
      const auto& s = it->second;
      const std::string tz = c.tz.empty() ? s.default_time_zone : c.tz;
      for (auto kind : {notify::ReminderKind::kDayBefore, notify::ReminderKind::kMorningOf}) {
        const auto& at = kind == notify::ReminderKind::kDayBefore ? s.reminder_day_before : s.reminder_morning_of;
        if (!at) continue;
        const auto r = notify::reminder_time(c.start, kind, *at, tz);
        if (r.due > now || r.due.ms <= now.ms - window_ms) continue;
        const std::string rule(notify::reminder_rule(kind));
        const std::string key = c.id.str() + ":reminder:" + (kind == notify::ReminderKind::kDayBefore
                                                                  ? "day_before" : "morning_of") + ":" + r.local_date;
        auto added = enqueue_reminder(db, c.tenant, c.id, rule, key, now);
        if (!added) return added.error();
        if (*added) ++n;
      }
    }
    return {};
  });
  if (!st) return st.error();
  return n;
}

Result<bool> SqliteStore::update_sms_status(const std::string& provider_id, const std::string& status,
                                            const std::string& error_code) {
  bool found = false;
  Status st = write("update_sms_status", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("UPDATE outbox SET provider_state = ?, last_error = CASE WHEN ? = '' THEN last_error ELSE "
                           "'provider error ' || ? END WHERE kind = 'sms' AND provider_id = ?");
    if (!stmt) return stmt.error();
    if (auto s = stmt->bind_all(status, error_code, error_code, provider_id).run(); !s) return s;
    found = db.changes() > 0;
    return {};
  });
  if (!st) return st.error();
  return found;
}

Result<std::optional<SmsSender>> SqliteStore::find_sms_sender(const std::string& phone) {
  using Out = std::optional<SmsSender>;
  return read<Out>("find_sms_sender", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare("SELECT tenant_id, id FROM shipments WHERE recipient_phone = ? AND status NOT IN "
                           "('delivered', 'returned', 'cancelled') ORDER BY seq DESC LIMIT 1");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(phone).step();
    if (!row) return row.error();
    if (*row) return Out{SmsSender{core::TenantId(stmt->text(0)), core::ShipmentId(stmt->text(1))}};
    // A delivered shipment still identifies the tenant (a STOP after the last message).
    auto any = db.prepare("SELECT tenant_id, id FROM shipments WHERE recipient_phone = ? ORDER BY seq DESC LIMIT 1");
    if (!any) return any.error();
    auto row2 = any->bind_all(phone).step();
    if (!row2) return row2.error();
    if (!*row2) return Out{};
    return Out{SmsSender{core::TenantId(any->text(0)), core::ShipmentId(any->text(1))}};
  });
}

Status SqliteStore::set_opt_out(const core::TenantId& tenant, const std::string& channel, const std::string& address,
                                bool opted_out, core::Timestamp at) {
  return write("set_opt_out", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare(opted_out ? "INSERT INTO notification_optouts (tenant_id, channel, address, "
                                       "created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
                                     : "DELETE FROM notification_optouts WHERE tenant_id = ? AND channel = ? AND "
                                       "address = ? AND CAST(? AS BIGINT) IS NOT NULL");
    if (!stmt) return stmt.error();
    if (auto s = stmt->bind_all(tenant.str(), channel, address, at.ms).run(); !s) return s;
    if (!opted_out) return {};
    // Messages not yet sent to that address are not sent.
    auto drop = db.prepare("UPDATE outbox SET state = 'dead', last_error = 'opted out' WHERE tenant_id = ? AND "
                           "kind = ? AND recipient = ? AND state = 'pending'");
    if (!drop) return drop.error();
    return drop->bind_all(tenant.str(), channel, address).run();
  });
}

Status SqliteStore::record_inbound_sms(const std::string& message_sid, const std::optional<SmsSender>& sender,
                                       const std::string& from, const std::string& body, const std::string& action,
                                       core::Timestamp at) {
  return write("record_inbound_sms", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare("INSERT INTO sms_inbound (message_sid, tenant_id, shipment_id, from_masked, body, action, "
                           "received_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    return stmt
        ->bind_all(message_sid, sender ? sender->tenant_id.str() : std::string(),
                   sender ? sender->shipment_id.str() : std::string(), domain::mask_phone(from), body.substr(0, 1600),
                   action, at.ms)
        .run();
  });
}

Result<std::pair<core::TenantId, std::string>> SqliteStore::find_unsubscribe_token(const std::string& token) {
  using Out = std::pair<core::TenantId, std::string>;
  return read<Out>("find_unsubscribe_token", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare("SELECT tenant_id, address FROM unsubscribe_tokens WHERE token = ?");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(token).step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("unsubscribe link");
    return Out{core::TenantId(stmt->text(0)), stmt->text(1)};
  });
}

}  // namespace lastmile::storage::sqlite
