#include "storage/sqlite/sqlite_exceptions.hpp"

#include <string>

#include "core/new_id.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"

namespace lastmile::storage::sqlite {
namespace {

using domain::ExceptionCase;
using domain::ExceptionEntry;
using domain::ExceptionEntryKind;
using domain::ExceptionKind;
using domain::ExceptionSignal;
using domain::ExceptionStatus;

constexpr std::string_view kSystem = "system";

std::optional<domain::ExceptionStamp> stamp(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return domain::ExceptionStamp{core::Timestamp{s.int64(column)}, s.text(column + 1), s.text(column + 2)};
}

// The subject of a case raised by an event on `shipment`: the shipment itself, or for driver
// kinds the driver on the shipment's route (the pipeline writes them on the route's shipments).
struct Subject {
  std::string key;
  std::optional<core::ShipmentId> shipment;
  std::optional<core::DriverId> driver;
  std::optional<core::RouteId> route;
};

Result<Subject> subject_of(Connection& db, const domain::Event& e, ExceptionKind kind) {
  auto stmt = db.prepare(
      "SELECT s.route_id, r.driver_id FROM shipments s LEFT JOIN routes r ON r.tenant_id = s.tenant_id AND "
      "r.id = s.route_id WHERE s.tenant_id = ? AND s.id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(e.tenant_id.str(), e.shipment_id.str()).step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("shipment");
  Subject out;
  out.shipment = e.shipment_id;
  if (!stmt->is_null(0)) out.route = core::RouteId(stmt->text(0));
  if (!stmt->is_null(1)) out.driver = core::DriverId(stmt->text(1));
  if (domain::is_driver_exception(kind) && out.route && out.driver) {
    out.key = "driver:" + out.driver->str() + "/route:" + out.route->str();
  } else {
    out.key = "shipment:" + e.shipment_id.str();
  }
  return out;
}

Result<std::optional<ExceptionCase>> find_unresolved(Connection& db, const core::TenantId& tenant, ExceptionKind kind,
                                                     const std::string& subject) {
  auto stmt = db.prepare(sql({"SELECT ", kExceptionColumns,
                              " FROM exceptions WHERE tenant_id = ? AND kind = ? AND subject = ? AND status <> ?"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), domain::exception_kind_name(kind), subject,
                 domain::exception_status_name(ExceptionStatus::kResolved));
  return fetch_optional<ExceptionCase>(*stmt, exception_from_row);
}

ExceptionEntry event_entry(ExceptionEntryKind kind, const domain::Event& e) {
  ExceptionEntry entry;
  entry.kind = kind;
  entry.at = e.at;
  entry.actor = e.actor;
  entry.role = std::string(kSystem);
  entry.event_id = e.id;
  return entry;
}

Status open_case(Connection& db, const domain::Event& e, ExceptionKind kind, const Subject& subject) {
  const auto id = core::new_id<core::ExceptionId>();
  auto stmt = db.prepare(
      "INSERT INTO exceptions (id, tenant_id, kind, status, subject, shipment_id, driver_id, route_id, "
      "first_seen_at, last_seen_at, raise_count, details, revision, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 1, ?, ?)");
  if (!stmt) return stmt.error();
  Status st = stmt->bind_all(id.str(), e.tenant_id.str(), domain::exception_kind_name(kind),
                             domain::exception_status_name(ExceptionStatus::kOpen), subject.key,
                             id_or_null(subject.shipment), id_or_null(subject.driver), id_or_null(subject.route),
                             e.at.ms, e.at.ms, e.payload_json.empty() ? std::string("{}") : e.payload_json,
                             e.recorded_at.ms, e.recorded_at.ms)
                  .run();
  if (!st) return st;
  return insert_exception_entry(db, e.tenant_id, id, event_entry(ExceptionEntryKind::kRaised, e));
}

Status repeat_case(Connection& db, const domain::Event& e, const ExceptionCase& c) {
  auto stmt = db.prepare(
      "UPDATE exceptions SET last_seen_at = ?, raise_count = raise_count + 1, details = ?, "
      "revision = revision + 1, updated_at = ? WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  Status st = stmt->bind_all(e.at.ms, e.payload_json.empty() ? std::string("{}") : e.payload_json,
                             e.recorded_at.ms, e.tenant_id.str(), c.id.str())
                  .run();
  if (!st) return st;
  return insert_exception_entry(db, e.tenant_id, c.id, event_entry(ExceptionEntryKind::kRepeated, e));
}

Status raise(Connection& db, const domain::Event& e, ExceptionKind kind) {
  auto subject = subject_of(db, e, kind);
  if (!subject) return subject.error();
  auto open = find_unresolved(db, e.tenant_id, kind, subject->key);
  if (!open) return open.error();
  switch (domain::on_raise(*open, e.at)) {
    case domain::RaiseOutcome::kOpenNew: return open_case(db, e, kind, *subject);
    case domain::RaiseOutcome::kRepeat: return repeat_case(db, e, **open);
    case domain::RaiseOutcome::kSame: return {};
  }
  return {};
}

// Resolves (resolution auto) the unresolved cases the WHERE clause `where` selects; its parameters
// after the tenant are `bind_rest`'s.
template <typename Bind>
Status auto_resolve(Connection& db, const domain::Event& e, std::string_view where, Bind bind_rest) {
  auto select = db.prepare(sql({"SELECT id FROM exceptions WHERE tenant_id = ? AND status <> ? AND ", where}));
  if (!select) return select.error();
  select->bind_all(e.tenant_id.str(), domain::exception_status_name(ExceptionStatus::kResolved));
  bind_rest(*select, 3);
  std::vector<core::ExceptionId> ids;
  for (;;) {
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) break;
    ids.emplace_back(select->text(0));
  }
  for (const auto& id : ids) {
    auto stmt = db.prepare(
        "UPDATE exceptions SET status = ?, resolved_at = ?, resolved_by = ?, resolved_role = ?, resolution = ?, "
        "revision = revision + 1, updated_at = ? WHERE tenant_id = ? AND id = ?");
    if (!stmt) return stmt.error();
    Status st = stmt->bind_all(domain::exception_status_name(ExceptionStatus::kResolved), e.at.ms, e.actor,
                               std::string(kSystem), domain::resolution_name(domain::Resolution::kAuto),
                               e.recorded_at.ms, e.tenant_id.str(), id.str())
                    .run();
    if (!st) return st;
    ExceptionEntry entry = event_entry(ExceptionEntryKind::kResolved, e);
    entry.resolution = domain::Resolution::kAuto;
    if (auto st2 = insert_exception_entry(db, e.tenant_id, id, entry); !st2) return st2;
  }
  return {};
}

Status clear(Connection& db, const domain::Event& e, ExceptionKind kind) {
  auto subject = subject_of(db, e, kind);
  if (!subject) return subject.error();
  const std::string kind_name(domain::exception_kind_name(kind));
  return auto_resolve(db, e, "kind = ? AND subject = ?", [&](Statement& s, int i) {
    s.bind(i, kind_name);
    s.bind(i + 1, subject->key);
  });
}

Status clear_shipment_cases(Connection& db, const domain::Event& e) {
  const std::string key = "shipment:" + e.shipment_id.str();
  return auto_resolve(db, e, "subject = ?", [&](Statement& s, int i) { s.bind(i, key); });
}

}  // namespace

Result<ExceptionCase> exception_from_row(const Statement& s) {
  ExceptionCase c;
  c.seq = s.int64(0);
  c.id = core::ExceptionId(s.text(1));
  c.tenant_id = core::TenantId(s.text(2));
  auto kind = domain::parse_exception_kind(s.text(3));
  auto status = domain::parse_exception_status(s.text(4));
  if (!kind || !status) return corrupt_row("exceptions");
  c.kind = *kind;
  c.status = *status;
  if (!s.is_null(5)) c.shipment_id = core::ShipmentId(s.text(5));
  if (!s.is_null(6)) c.driver_id = core::DriverId(s.text(6));
  if (!s.is_null(7)) c.route_id = core::RouteId(s.text(7));
  c.first_seen_at = core::Timestamp{s.int64(8)};
  c.last_seen_at = core::Timestamp{s.int64(9)};
  c.count = static_cast<int>(s.int64(10));
  c.details_json = s.text(11);
  c.acknowledged = stamp(s, 12);
  c.resolved = stamp(s, 15);
  if (!s.is_null(18)) {
    c.resolution = domain::parse_resolution(s.text(18));
    if (!c.resolution) return corrupt_row("exceptions");
  }
  c.revision = s.int64(19);
  c.created_at = core::Timestamp{s.int64(20)};
  c.updated_at = core::Timestamp{s.int64(21)};
  return c;
}

Result<ExceptionEntry> exception_entry_from_row(const Statement& s) {
  ExceptionEntry e;
  auto kind = domain::parse_exception_entry(s.text(0));
  if (!kind) return corrupt_row("exception_entries");
  e.kind = *kind;
  e.at = core::Timestamp{s.int64(1)};
  e.actor = s.text(2);
  e.role = s.text(3);
  e.note = s.text(4);
  if (!s.is_null(5)) e.event_id = core::EventId(s.text(5));
  if (!s.is_null(6)) {
    e.resolution = domain::parse_resolution(s.text(6));
    if (!e.resolution) return corrupt_row("exception_entries");
  }
  return e;
}

Status apply_exception_signals(Connection& db, const domain::Event& event) {
  for (const ExceptionSignal& signal : domain::exception_signals(event)) {
    Status st;
    switch (signal.action) {
      case ExceptionSignal::Action::kRaise: st = raise(db, event, signal.kind); break;
      case ExceptionSignal::Action::kClear: st = clear(db, event, signal.kind); break;
      case ExceptionSignal::Action::kClearShipmentCases: st = clear_shipment_cases(db, event); break;
    }
    if (!st) return st;
  }
  return {};
}

Status insert_exception_entry(Connection& db, const core::TenantId& tenant, const core::ExceptionId& id,
                              const ExceptionEntry& entry) {
  auto stmt = db.prepare(
      "INSERT INTO exception_entries (tenant_id, exception_id, kind, at, actor, role, note, event_id, resolution) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  std::optional<std::string_view> resolution;
  if (entry.resolution) resolution = domain::resolution_name(*entry.resolution);
  std::optional<std::string> event_id;
  if (entry.event_id) event_id = entry.event_id->str();
  return stmt
      ->bind_all(tenant.str(), id.str(), domain::exception_entry_name(entry.kind), entry.at.ms, entry.actor,
                 entry.role, entry.note, event_id, resolution)
      .run();
}

Result<ExceptionCase> load_exception(Connection& db, const core::TenantId& tenant, const core::ExceptionId& id) {
  auto stmt = db.prepare(sql({"SELECT ", kExceptionColumns, " FROM exceptions WHERE tenant_id = ? AND id = ?"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), id.str());
  return fetch_one<ExceptionCase>(*stmt, exception_from_row, "exception");
}

}  // namespace lastmile::storage::sqlite
