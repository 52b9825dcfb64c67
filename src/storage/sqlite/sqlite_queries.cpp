#include "storage/sqlite/sqlite_queries.hpp"

#include <algorithm>

#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/sqlite_exceptions.hpp"
#include "storage/sqlite/sqlite_notifications.hpp"
#include "storage/sqlite/sqlite_outbox.hpp"
#include "storage/sqlite/sqlite_rows.hpp"

namespace lastmile::storage::sqlite {
namespace {

constexpr int kMaxPageSize = 500;

}  // namespace

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

int64_t page_fetch_limit(const PageRequest& page) {
  // The caller checks 1..500; clamping keeps a bad value from producing an odd page.
  return std::clamp(page.limit, 1, kMaxPageSize) + 1;
}

Result<bool> exists(Statement& stmt) { return stmt.step(); }

Status insert_credential(Connection& db, const domain::Credential& c) {
  auto stmt = db.prepare(
      "INSERT INTO credentials (id, tenant_id, role, name, prefix, secret_hash, carrier_id, driver_id, revoked, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  return stmt
      ->bind_all(c.id.str(), id_or_null(c.tenant_id), domain::role_name(c.role), c.name, c.prefix, c.secret_hash,
                 id_or_null(c.carrier_id), id_or_null(c.driver_id), c.revoked, c.created_at.ms)
      .run();
}

Status insert_idempotency(Connection& db, const core::TenantId& tenant, const IdempotencyRecord* idem,
                          core::Timestamp at) {
  if (!idem) return {};
  auto stmt = db.prepare(
      "INSERT INTO idempotency (tenant_id, scope, idempotency_key, request_hash, status_code, body, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  Status st = stmt->bind_all(tenant.str(), idem->scope, idem->key, idem->request_hash, idem->status, idem->body,
                             at.ms)
                  .run();
  if (!st && st.error().code == core::ErrorCode::kConflict && st.error().field == "idempotency_key")
    return Error{core::ErrorCode::kIdempotencyConflict, "Idempotency-Key was already used", "Idempotency-Key"};
  return st;
}

namespace {

// The status of the tenant's shipment; kNotFound when it is not the tenant's.
Result<std::string> shipment_status(Connection& db, const core::TenantId& tenant, const core::ShipmentId& id) {
  auto stmt = db.prepare("SELECT status FROM shipments WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str(), id.str()).step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("shipment");
  return stmt->text(0);
}

Status set_status(Connection& db, const domain::Event& e) {
  auto stmt = db.prepare("UPDATE shipments SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  return stmt
      ->bind_all(domain::milestone_name(*e.milestone), e.recorded_at.ms, e.tenant_id.str(), e.shipment_id.str())
      .run();
}

}  // namespace

Result<domain::Event> insert_event_row(Connection& db, domain::Event event) {
  if (event.payload_json.empty()) event.payload_json = "{}";
  // The shipment's hash chain is extended in the caller's transaction (event_chain.hpp).
  auto prev_hash = last_event_hash(db, event.tenant_id, event.shipment_id);
  if (!prev_hash) return prev_hash.error();
  const std::string hash = pod::event_hash(chained_event_of(event), *prev_hash);
  auto stmt = db.prepare(
      "INSERT INTO events (id, tenant_id, shipment_id, event_type, milestone, occurred_at, recorded_at, actor, "
      "source, lat, lon, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING global_seq");
  if (!stmt) return stmt.error();
  std::optional<std::string_view> milestone;
  if (event.milestone) milestone = domain::milestone_name(*event.milestone);
  auto row = stmt->bind_all(event.id.str(), event.tenant_id.str(), event.shipment_id.str(), event.type, milestone,
                            event.at.ms, event.recorded_at.ms, event.actor, event.source, lat_or_null(event.location),
                            lon_or_null(event.location), event.payload_json, *prev_hash, hash)
                 .step();
  if (!row) return row.error();
  if (!*row) return Error::internal();
  event.global_seq = stmt->int64(0);
  if (auto st = stmt->run(); !st) return st.error();
  // The exception queue follows its events in the same transaction (sqlite_exceptions.hpp).
  // A conflict there would be a bug (the case is read first in this transaction); it must not look
  // like the compare-and-set conflict that callers skip or retry.
  if (auto st = apply_exception_signals(db, event); !st)
    return st.error().code == core::ErrorCode::kConflict ? Error::internal() : st.error();
  // So do its webhook messages (the transactional outbox, sqlite_outbox.hpp).
  if (auto st = enqueue_webhooks(db, event); !st)
    return st.error().code == core::ErrorCode::kConflict ? Error::internal() : st.error();
  // And its e-mail/SMS notifications (sqlite_notifications.hpp).
  if (auto st = enqueue_notifications(db, event); !st)
    return st.error().code == core::ErrorCode::kConflict ? Error::internal() : st.error();
  return event;
}

Result<domain::Event> insert_event(Connection& db, const core::TenantId& tenant, domain::Event event,
                                   domain::Milestone expected) {
  event.tenant_id = tenant;
  // Inside the caller's write transaction: nobody can change the status between this read and the
  // update below, so read-compare-update is a compare-and-set.
  auto status = shipment_status(db, tenant, event.shipment_id);
  if (!status) return status.error();
  if (event.milestone) {
    if (*status != domain::milestone_name(expected))
      return Error{core::ErrorCode::kConflict, "the shipment's status changed meanwhile; re-read and retry", ""};
    if (auto st = set_status(db, event); !st) return st.error();
  }
  return insert_event_row(db, std::move(event));
}

Status insert_events(Connection& db, const core::TenantId& tenant,
                     const std::vector<std::pair<domain::Event, domain::Milestone>>& events,
                     std::vector<domain::Event>& committed) {
  for (const auto& [event, expected] : events) {
    auto e = insert_event(db, tenant, event, expected);
    if (!e) return e.error();
    committed.push_back(std::move(*e));
  }
  return {};
}

std::string upsert_tail(std::string_view key, std::string_view columns) {
  std::string out = " ON CONFLICT (" + std::string(key) + ") DO UPDATE SET ";
  bool first = true;
  while (!columns.empty()) {
    const size_t comma = columns.find(',');
    std::string_view column = columns.substr(0, comma);
    columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 1);
    while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
    while (!column.empty() && column.back() == ' ') column.remove_suffix(1);
    if (column.empty()) continue;
    if (!first) out += ", ";
    first = false;
    out.append(column).append(" = excluded.").append(column);
  }
  return out;
}

}  // namespace lastmile::storage::sqlite
