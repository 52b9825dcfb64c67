// Privacy (storage/privacy_store.hpp, docs/privacy.md): retention settings and passes, erasure of
// one recipient's personal data.
#include "core/crypto.hpp"
#include "core/new_id.hpp"
#include "pod/hash_chain.hpp"
#include "storage/redaction.hpp"
#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using core::Error;

constexpr int kMaxErasedShipments = 10'000;
constexpr std::string_view kExpiredChatBody = "[expired]";

RetentionSettings settings_from_row(const Statement& s, int first) {
  RetentionSettings r;
  if (auto v = s.optional_int64(first)) r.track_days = static_cast<int>(*v);
  if (auto v = s.optional_int64(first + 1)) r.photo_days = static_cast<int>(*v);
  if (auto v = s.optional_int64(first + 2)) r.chat_days = static_cast<int>(*v);
  if (auto v = s.optional_int64(first + 3)) r.updated_at = core::Timestamp{*v};
  return r;
}

std::optional<int64_t> as_int64(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return *v;
}

Result<std::vector<core::ShipmentId>> recipient_shipments(Connection& db, const core::TenantId& tenant,
                                                          const RecipientKey& key, int limit) {
  const bool by_email = !key.email.empty();
  auto stmt = db.prepare(by_email ? "SELECT id FROM shipments WHERE tenant_id = ? AND recipient_email <> '' AND "
                                    "lower(recipient_email) = lower(?) ORDER BY seq LIMIT ?"
                                  : "SELECT id FROM shipments WHERE tenant_id = ? AND recipient_phone <> '' AND "
                                    "recipient_phone = ? ORDER BY seq LIMIT ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), by_email ? key.email : key.phone, limit);
  std::vector<core::ShipmentId> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    out.emplace_back(stmt->text(0));
  }
  return out;
}

// Runs an UPDATE/DELETE with `args`; returns the rows it changed.
template <typename... Ts>
Result<int> change(Connection& db, std::string_view sql, const Ts&... args) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  if (auto st = stmt->bind_all(args...).run(); !st) return st.error();
  return static_cast<int>(db.changes());
}

// Redacts the personal fields of the shipment's event payloads and appends the sealing
// personal_data_erased event (pod/hash_chain.hpp). Returns that event, or nullopt when no payload
// had personal data.
Result<std::optional<domain::Event>> erase_event_payloads(Connection& db, const core::TenantId& tenant,
                                                          const core::ShipmentId& shipment, core::Timestamp at,
                                                          const std::string& actor, int& redacted) {
  auto chain = load_chain(db, &tenant, &shipment);
  if (!chain) return chain.error();
  domain::Event seal;
  seal.id = core::new_id<core::EventId>();
  std::vector<pod::ErasedEntry> entries;
  for (pod::ChainedEvent& e : *chain) {
    if (!e.erased_by.empty() || e.type == pod::kErasureEventType) continue;
    auto payload = redact_personal_fields(e.payload, kErasedMarker);
    if (!payload) continue;
    e.payload = std::move(*payload);
    entries.push_back({e.id, core::sha256_hex(pod::canonical_event(e))});
    auto n = change(db, "UPDATE events SET payload = ?, erased_by = ? WHERE id = ?", e.payload, seal.id.str(), e.id);
    if (!n) return n.error();
  }
  if (entries.empty()) return std::optional<domain::Event>{};
  redacted += static_cast<int>(entries.size());
  seal.tenant_id = tenant;
  seal.shipment_id = shipment;
  seal.type = std::string(pod::kErasureEventType);
  seal.at = seal.recorded_at = at;
  seal.actor = actor;
  seal.source = "api";
  seal.payload_json = pod::erasure_payload(entries);
  auto stored = insert_event_row(db, std::move(seal));
  if (!stored) return stored.error();
  return std::optional(std::move(*stored));
}

Status erase_shipment(Connection& db, const core::TenantId& tenant, const core::ShipmentId& id, core::Timestamp at,
                      const std::string& actor, ErasureResult& out, std::vector<std::string>& shas) {
  const std::string t = tenant.str(), s = id.str();
  const std::string marker(kErasedMarker);
  auto n = change(db,
                  "UPDATE shipments SET recipient_name = ?, recipient_name_folded = ?, recipient_phone = '', "
                  "recipient_email = '', address_line1 = ?, address_line2 = '', gate_code = '', safe_place = '', "
                  "instructions_note = '', updated_at = ? WHERE tenant_id = ? AND id = ?",
                  marker, marker, marker, at.ms, t, s);
  if (!n) return n.error();
  auto seal = erase_event_payloads(db, tenant, id, at, actor, out.events_redacted);
  if (!seal) return seal.error();
  if (*seal) out.erasure_events.push_back(std::move(**seal));
  n = change(db, "UPDATE chat_messages SET body = ? WHERE tenant_id = ? AND shipment_id = ? AND body <> ?", marker, t,
             s, marker);
  if (!n) return n.error();
  out.messages_redacted += *n;
  n = change(db,
             "UPDATE surveys SET comment = ? WHERE tenant_id = ? AND shipment_id = ? AND comment <> '' AND "
             "comment <> ?",
             marker, t, s, marker);
  if (!n) return n.error();
  out.surveys_redacted += *n;
  // Pending e-mails/SMS are never sent; sent (or given up) ones lose their address and text.
  // A message being sent right now is left to finish.
  n = change(db,
             "UPDATE outbox SET state = 'dead', last_error = 'recipient erased' WHERE tenant_id = ? AND "
             "shipment_id = ? AND kind IN ('email', 'sms') AND state = 'pending'",
             t, s);
  if (!n) return n.error();
  n = change(db,
             "UPDATE outbox SET recipient = ?, payload = '{\"erased\":true}' WHERE tenant_id = ? AND shipment_id = ? "
             "AND kind IN ('email', 'sms') AND state IN ('delivered', 'dead') AND recipient <> ?",
             marker, t, s, marker);
  if (!n) return n.error();
  out.notifications_redacted += *n;
  n = change(db, "UPDATE sms_inbound SET body = ?, from_masked = ? WHERE tenant_id = ? AND shipment_id = ?", marker,
             marker, t, s);
  if (!n) return n.error();
  {
    auto stmt = db.prepare("SELECT DISTINCT sha256 FROM proof_blobs WHERE tenant_id = ? AND shipment_id = ? AND "
                           "expired_at IS NULL");
    if (!stmt) return stmt.error();
    stmt->bind_all(t, s);
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      shas.push_back(stmt->text(0));
    }
  }
  n = change(db,
             "UPDATE proof_blobs SET expired_at = ?, expired_reason = 'erasure' WHERE tenant_id = ? AND "
             "shipment_id = ? AND expired_at IS NULL",
             at.ms, t, s);
  if (!n) return n.error();
  out.images_expired += *n;
  return {};
}

Result<bool> has_live_reference(Connection& db, const std::string& sha) {
  auto stmt = db.prepare("SELECT 1 FROM proof_blobs WHERE sha256 = ? AND expired_at IS NULL LIMIT 1");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(sha).step();
  if (!row) return row.error();
  return *row;
}

}  // namespace

Result<RetentionSettings> SqliteStore::get_retention(const core::TenantId& tenant) {
  return read<RetentionSettings>("get_retention", [&](Connection& db) -> Result<RetentionSettings> {
    auto stmt = db.prepare(
        "SELECT track_days, photo_days, chat_days, updated_at FROM tenant_retention WHERE tenant_id = ?");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str()).step();
    if (!row) return row.error();
    if (!*row) return RetentionSettings{};
    return settings_from_row(*stmt, 0);
  });
}

Result<RetentionSettings> SqliteStore::put_retention(const core::TenantId& tenant, const RetentionSettings& s,
                                                     core::Timestamp at) {
  Status st = write("put_retention", [&](Connection& db, Events&) -> Status {
    auto n = change(db,
                    "INSERT INTO tenant_retention (tenant_id, track_days, photo_days, chat_days, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET track_days = excluded.track_days, "
                    "photo_days = excluded.photo_days, chat_days = excluded.chat_days, "
                    "updated_at = excluded.updated_at",
                    tenant.str(), as_int64(s.track_days), as_int64(s.photo_days), as_int64(s.chat_days), at.ms);
    return n ? Status{} : Status{n.error()};
  });
  if (!st) return st.error();
  RetentionSettings out = s;
  out.updated_at = at;
  return out;
}

Result<std::vector<TenantRetention>> SqliteStore::list_retention() {
  return read<std::vector<TenantRetention>>("list_retention", [&](Connection& db) -> Result<std::vector<TenantRetention>> {
    auto stmt = db.prepare(
        "SELECT t.id, r.track_days, r.photo_days, r.chat_days, r.updated_at FROM tenants t "
        "LEFT JOIN tenant_retention r ON r.tenant_id = t.id ORDER BY t.seq");
    if (!stmt) return stmt.error();
    std::vector<TenantRetention> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      out.push_back({core::TenantId(stmt->text(0)), settings_from_row(*stmt, 1)});
    }
    return out;
  });
}

Result<int> SqliteStore::expire_chat_messages_before(const core::TenantId& tenant, core::Timestamp cutoff, int limit) {
  // The message stays as a placeholder (its seq orders the thread and is the clients' cursor); its
  // text goes.
  int changed = 0;
  Status st = write("expire_chat_messages", [&](Connection& db, Events&) -> Status {
    auto n = change(db,
                    "UPDATE chat_messages SET body = ? WHERE tenant_id = ? AND id IN (SELECT id FROM chat_messages "
                    "WHERE tenant_id = ? AND created_at < ? AND body <> ? AND body <> ? LIMIT ?)",
                    kExpiredChatBody, tenant.str(), tenant.str(), cutoff.ms, kExpiredChatBody, kErasedMarker, limit);
    if (!n) return n.error();
    changed = *n;
    return {};
  });
  if (!st) return st.error();
  return changed;
}

Result<int> SqliteStore::expire_photos_before(const core::TenantId& tenant, core::Timestamp cutoff,
                                              core::Timestamp now, int limit) {
  int changed = 0;
  Status st = write("expire_photos", [&](Connection& db, Events&) -> Status {
    auto n = change(db,
                    "UPDATE proof_blobs SET expired_at = ?, expired_reason = 'retention' WHERE seq IN (SELECT pb.seq "
                    "FROM proof_blobs pb JOIN events e ON e.id = pb.event_id WHERE pb.tenant_id = ? AND "
                    "pb.expired_at IS NULL AND e.occurred_at < ? LIMIT ?)",
                    now.ms, tenant.str(), cutoff.ms, limit);
    if (!n) return n.error();
    changed = *n;
    return {};
  });
  if (!st) return st.error();
  return changed;
}

Result<std::vector<std::string>> SqliteStore::unreferenced_expired_blobs(int limit) {
  return read<std::vector<std::string>>("unreferenced_expired_blobs", [&](Connection& db) -> Result<std::vector<std::string>> {
    auto stmt = db.prepare(
        "SELECT DISTINCT pb.sha256 FROM proof_blobs pb WHERE pb.expired_at IS NOT NULL AND pb.blob_removed = 0 AND "
        "NOT EXISTS (SELECT 1 FROM proof_blobs l WHERE l.sha256 = pb.sha256 AND l.expired_at IS NULL) LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->bind_all(limit);
    std::vector<std::string> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      out.push_back(stmt->text(0));
    }
    return out;
  });
}

Status SqliteStore::mark_blobs_removed(const std::vector<std::string>& shas) {
  return write("mark_blobs_removed", [&](Connection& db, Events&) -> Status {
    for (const auto& sha : shas) {
      // A proof stored meanwhile with the same bytes keeps the blob: do not mark (its file is kept
      // by the idle time of BlobStore::remove_if_idle).
      auto live = has_live_reference(db, sha);
      if (!live) return live.error();
      if (*live) continue;
      auto n = change(db, "UPDATE proof_blobs SET blob_removed = 1 WHERE sha256 = ? AND expired_at IS NOT NULL", sha);
      if (!n) return n.error();
    }
    return {};
  });
}

Result<std::vector<ExpiredBlob>> SqliteStore::expired_blobs(const core::TenantId& tenant,
                                                            const core::ShipmentId& shipment) {
  return read<std::vector<ExpiredBlob>>("expired_blobs", [&](Connection& db) -> Result<std::vector<ExpiredBlob>> {
    auto stmt = db.prepare(
        "SELECT sha256, expired_reason, expired_at FROM proof_blobs WHERE tenant_id = ? AND shipment_id = ? AND "
        "expired_at IS NOT NULL ORDER BY seq");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), shipment.str());
    std::vector<ExpiredBlob> out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      out.push_back({stmt->text(0), stmt->text(1), core::Timestamp{stmt->int64(2)}});
    }
    return out;
  });
}

Result<std::vector<core::ShipmentId>> SqliteStore::find_recipient_shipments(const core::TenantId& tenant,
                                                                            const RecipientKey& key, int limit) {
  return read<std::vector<core::ShipmentId>>("find_recipient_shipments", [&](Connection& db) {
    return recipient_shipments(db, tenant, key, limit);
  });
}

Result<ErasureResult> SqliteStore::erase_recipient(const core::TenantId& tenant, const RecipientKey& key,
                                                   core::Timestamp at, const std::string& actor) {
  ErasureResult out;
  Status st = write("erase_recipient", [&](Connection& db, Events& committed) -> Status {
    out = ErasureResult{};
    auto ids = recipient_shipments(db, tenant, key, kMaxErasedShipments);
    if (!ids) return ids.error();
    std::vector<std::string> shas;
    for (const auto& id : *ids)
      if (auto s = erase_shipment(db, tenant, id, at, actor, out, shas); !s) return s;
    out.shipments = std::move(*ids);
    // Their address for notifications: no opt-out or unsubscribe link of theirs is kept either.
    const std::string address = key.email.empty() ? key.phone : key.email;
    for (std::string_view table : {"notification_optouts", "unsubscribe_tokens"}) {
      auto n = change(db, "DELETE FROM " + std::string(table) + " WHERE tenant_id = ? AND lower(address) = lower(?)",
                      tenant.str(), address);
      if (!n) return n.error();
    }
    // Stored answers to repeated requests (idempotency) that quote the address are dropped to a stub.
    auto n = change(db, "UPDATE idempotency SET body = '{\"erased\":true}' WHERE tenant_id = ? AND strpos(body, ?) > 0",
                    tenant.str(), address);
    if (!n) return n.error();
    for (const auto& sha : shas) {
      auto live = has_live_reference(db, sha);
      if (!live) return live.error();
      if (!*live) out.unreferenced_blobs.push_back(sha);
    }
    committed.insert(committed.end(), out.erasure_events.begin(), out.erasure_events.end());
    return {};
  });
  if (!st) return st.error();
  return out;
}

}  // namespace lastmile::storage::sqlite
