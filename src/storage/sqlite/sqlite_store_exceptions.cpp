// The exception queue: listing, reading and people's changes. Cases are opened, counted and
// auto-resolved by events (sqlite_exceptions.cpp, from insert_event_row).
#include "storage/sqlite/sqlite_exceptions.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using domain::ExceptionCase;
using domain::ExceptionEntryKind;

// SELECT of list_exceptions for `f`; the parameters are bound by bind_exception_filter in this order.
std::string exception_list_sql(const ExceptionFilter& f) {
  std::string q = sql({"SELECT ", kExceptionColumns, " FROM exceptions WHERE tenant_id = ?"});
  if (f.status) q += " AND status = ?";
  if (f.kind) q += " AND kind = ?";
  if (f.driver_id) q += " AND driver_id = ?";
  if (f.shipment_id) q += " AND shipment_id = ?";
  if (f.route_id) q += " AND route_id = ?";
  if (f.carrier_id)
    q += " AND ((subject LIKE 'shipment:%' AND shipment_id IN (SELECT id FROM shipments WHERE tenant_id = ? AND "
         "carrier_id = ?)) OR (subject LIKE 'driver:%' AND driver_id IN (SELECT id FROM drivers WHERE tenant_id = ? "
         "AND carrier_id = ?)))";
  q += " AND seq < ? ORDER BY seq DESC LIMIT ?";
  return q;
}

void bind_exception_filter(Statement& stmt, const core::TenantId& tenant, const ExceptionFilter& f,
                           const PageRequest& page) {
  int i = 1;
  stmt.bind(i++, tenant.str());
  if (f.status) stmt.bind(i++, domain::exception_status_name(*f.status));
  if (f.kind) stmt.bind(i++, domain::exception_kind_name(*f.kind));
  if (f.driver_id) stmt.bind(i++, f.driver_id->str());
  if (f.shipment_id) stmt.bind(i++, f.shipment_id->str());
  if (f.route_id) stmt.bind(i++, f.route_id->str());
  if (f.carrier_id)
    for (int k = 0; k < 2; ++k) {
      stmt.bind(i++, tenant.str());
      stmt.bind(i++, f.carrier_id->str());
    }
  stmt.bind(i++, page_before(page));
  stmt.bind(i++, page_fetch_limit(page));
}

// Writes the new status and its stamp (acknowledge/resolve) of `c`.
Status write_transition(Connection& db, const core::TenantId& tenant, const ExceptionCase& c,
                        const ExceptionUpdate& u, domain::ExceptionStatus to) {
  const bool resolve = to == domain::ExceptionStatus::kResolved;
  auto stmt = db.prepare(resolve ? "UPDATE exceptions SET status = ?, resolved_at = ?, resolved_by = ?, "
                                   "resolved_role = ?, resolution = ?, revision = revision + 1, updated_at = ? "
                                   "WHERE tenant_id = ? AND id = ?"
                                 : "UPDATE exceptions SET status = ?, acknowledged_at = ?, acknowledged_by = ?, "
                                   "acknowledged_role = ?, revision = revision + 1, updated_at = ? "
                                   "WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(domain::exception_status_name(to), u.at.ms, u.actor, u.role);
  int i = 5;
  if (resolve) stmt->bind(i++, domain::resolution_name(u.resolution));
  stmt->bind(i++, u.at.ms);
  stmt->bind(i++, tenant.str());
  stmt->bind(i++, c.id.str());
  return stmt->run();
}

Status touch(Connection& db, const core::TenantId& tenant, const ExceptionCase& c, core::Timestamp at) {
  auto stmt =
      db.prepare("UPDATE exceptions SET revision = revision + 1, updated_at = ? WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  return stmt->bind_all(at.ms, tenant.str(), c.id.str()).run();
}

}  // namespace

Result<Page<ExceptionCase>> SqliteStore::list_exceptions(const core::TenantId& tenant, const ExceptionFilter& filter,
                                                         const PageRequest& page) {
  return read<Page<ExceptionCase>>("list_exceptions", [&](Connection& db) -> Result<Page<ExceptionCase>> {
    auto stmt = db.prepare(exception_list_sql(filter));
    if (!stmt) return stmt.error();
    bind_exception_filter(*stmt, tenant, filter, page);
    return fetch_page<ExceptionCase>(*stmt, page, exception_from_row);
  });
}

Result<ExceptionDetail> SqliteStore::get_exception(const core::TenantId& tenant, const core::ExceptionId& id) {
  return read<ExceptionDetail>("get_exception", [&](Connection& db) -> Result<ExceptionDetail> {
    auto c = load_exception(db, tenant, id);
    if (!c) return c.error();
    auto stmt = db.prepare(sql({"SELECT ", kExceptionEntryColumns,
                                " FROM exception_entries WHERE tenant_id = ? AND exception_id = ? ORDER BY seq"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    auto history = fetch_all<domain::ExceptionEntry>(*stmt, exception_entry_from_row);
    if (!history) return history.error();
    return ExceptionDetail{std::move(*c), std::move(*history)};
  });
}

Result<ExceptionCase> SqliteStore::update_exception(const core::TenantId& tenant, const core::ExceptionId& id,
                                                    const ExceptionUpdate& update) {
  std::optional<ExceptionCase> after;
  Status st = write("update_exception", [&](Connection& db, Events&) -> Status {
    auto c = load_exception(db, tenant, id);
    if (!c) return c.error();
    domain::ExceptionEntry entry;
    entry.at = update.at;
    entry.actor = update.actor;
    entry.role = update.role;
    entry.note = update.note;
    if (update.kind == ExceptionUpdate::Kind::kNote) {
      entry.kind = ExceptionEntryKind::kNote;
      if (auto s = touch(db, tenant, *c, update.at); !s) return s;
    } else {
      const bool ack = update.kind == ExceptionUpdate::Kind::kAcknowledge;
      auto to = domain::apply_action(c->status, ack ? domain::ExceptionAction::kAcknowledge
                                                    : domain::ExceptionAction::kResolve);
      if (!to) return to.error();
      entry.kind = ack ? ExceptionEntryKind::kAcknowledged : ExceptionEntryKind::kResolved;
      if (!ack) entry.resolution = update.resolution;
      if (auto s = write_transition(db, tenant, *c, update, *to); !s) return s;
    }
    if (auto s = insert_exception_entry(db, tenant, id, entry); !s) return s;
    auto reread = load_exception(db, tenant, id);
    if (!reread) return reread.error();
    after = std::move(*reread);
    return {};
  });
  if (!st) return st.error();
  return std::move(*after);
}

Result<std::vector<ExceptionCase>> SqliteStore::exceptions_of_event(const core::TenantId& tenant,
                                                                    const core::EventId& event) {
  using Cases = std::vector<ExceptionCase>;
  return read<Cases>("exceptions_of_event", [&](Connection& db) -> Result<Cases> {
    auto stmt = db.prepare(sql({"SELECT ", kExceptionColumns,
                                " FROM exceptions WHERE tenant_id = ? AND id IN (SELECT exception_id FROM "
                                "exception_entries WHERE event_id = ? AND tenant_id = ?) ORDER BY seq"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), event.str(), tenant.str());
    return fetch_all<ExceptionCase>(*stmt, exception_from_row);
  });
}

Result<std::vector<std::pair<domain::ExceptionKind, int64_t>>> SqliteStore::count_unresolved_exceptions() {
  using Counts = std::vector<std::pair<domain::ExceptionKind, int64_t>>;
  return read<Counts>("count_unresolved_exceptions", [&](Connection& db) -> Result<Counts> {
    // The literal condition lets SQLite scan the partial index of unresolved cases only.
    auto stmt =
        db.prepare("SELECT kind, COUNT(*) FROM exceptions WHERE status <> 'resolved' GROUP BY kind ORDER BY kind");
    if (!stmt) return stmt.error();
    Counts out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) return out;
      if (auto kind = domain::parse_exception_kind(stmt->text(0))) out.emplace_back(*kind, stmt->int64(1));
    }
  });
}

}  // namespace lastmile::storage::sqlite
