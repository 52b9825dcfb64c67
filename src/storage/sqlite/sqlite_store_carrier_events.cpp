// Carriers' own status events and code mappings (storage/carrier_event_store.hpp).
#include <algorithm>
#include <limits>

#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using domain::CarrierEventOutcome;

constexpr std::string_view kRecordColumns =
    "seq, tenant_id, carrier_id, carrier_event_id, tracking_number, order_id, code, occurred_at, lat, lon, "
    "description, shipment_id, outcome, why, event_id, received_at";

Result<CarrierEventRecord> record_from_row(const Statement& s) {
  CarrierEventRecord r;
  r.seq = s.int64(0);
  r.tenant_id = core::TenantId(s.text(1));
  r.carrier_id = core::CarrierId(s.text(2));
  r.input.event_id = s.text(3);
  r.input.tracking_number = s.text(4);
  r.input.order_id = s.text(5);
  r.input.code = s.text(6);
  r.input.occurred_at = core::Timestamp{s.int64(7)};
  if (auto lat = s.optional_real(8), lon = s.optional_real(9); lat && lon)
    r.input.location = core::LatLon::from_unsafe({*lat, *lon});
  r.input.description = s.text(10);
  if (auto sh = s.optional_text(11)) r.shipment_id = core::ShipmentId(*sh);
  r.outcome = domain::parse_carrier_event_outcome(s.text(12)).value_or(CarrierEventOutcome::kRecorded);
  r.why = s.text(13);
  if (auto e = s.optional_text(14)) r.event_id = core::EventId(*e);
  r.received_at = core::Timestamp{s.int64(15)};
  return r;
}

Result<domain::CarrierCodeMapping> mapping_from_row(const Statement& s) {
  domain::CarrierCodeMapping m;
  m.code = s.text(0);
  m.milestone = domain::parse_milestone(s.text(1)).value_or(domain::Milestone::kProcessed);
  m.reason = s.text(2);
  m.description = s.text(3);
  return m;
}

Status check_carrier(Connection& db, const core::TenantId& tenant, const core::CarrierId& carrier) {
  auto stmt = db.prepare("SELECT 1 FROM carriers WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  auto found = exists(stmt->bind_all(tenant.str(), carrier.str()));
  if (!found) return found.error();
  if (!*found) return Error::not_found("carrier");
  return {};
}

Result<std::optional<CarrierEventRecord>> find_record(Connection& db, const core::TenantId& tenant,
                                                      const core::CarrierId& carrier, const std::string& event_id) {
  auto stmt = db.prepare(sql({"SELECT ", kRecordColumns,
                              " FROM carrier_events WHERE tenant_id = ? AND carrier_id = ? AND carrier_event_id = ?"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), carrier.str(), event_id);
  return fetch_optional<CarrierEventRecord>(*stmt, record_from_row);
}

std::optional<std::string> shipment_text(const std::optional<core::ShipmentId>& id) {
  return id ? std::optional<std::string>(id->str()) : std::nullopt;
}

// Appends `event` when given (compare-and-set) and returns its id.
Result<std::optional<core::EventId>> append(Connection& db, const core::TenantId& tenant,
                                            const std::optional<domain::Event>& event, domain::Milestone expected,
                                            std::vector<domain::Event>& committed) {
  if (!event) return std::optional<core::EventId>{};
  auto stored = insert_event(db, tenant, *event, expected);
  if (!stored) return stored.error();
  committed.push_back(*stored);
  return std::optional<core::EventId>{stored->id};
}

}  // namespace

Status SqliteStore::put_code_mappings(const core::TenantId& tenant, const core::CarrierId& carrier,
                                      const std::vector<domain::CarrierCodeMapping>& mappings, core::Timestamp now) {
  return write("put_code_mappings", [&](Connection& db, Events&) -> Status {
    if (auto st = check_carrier(db, tenant, carrier); !st) return st;
    auto del = db.prepare("DELETE FROM carrier_code_mappings WHERE tenant_id = ? AND carrier_id = ?");
    if (!del) return del.error();
    if (auto st = del->bind_all(tenant.str(), carrier.str()).run(); !st) return st;
    for (const auto& m : mappings) {
      auto ins = db.prepare(
          "INSERT INTO carrier_code_mappings (tenant_id, carrier_id, code, milestone, reason, description, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)");
      if (!ins) return ins.error();
      if (auto st = ins->bind_all(tenant.str(), carrier.str(), m.code, domain::milestone_name(m.milestone), m.reason,
                                  m.description, now.ms)
                        .run();
          !st)
        return st;
    }
    return {};
  });
}

Result<std::vector<domain::CarrierCodeMapping>> SqliteStore::list_code_mappings(const core::TenantId& tenant,
                                                                              const core::CarrierId& carrier) {
  using Out = std::vector<domain::CarrierCodeMapping>;
  return read<Out>("list_code_mappings", [&](Connection& db) -> Result<Out> {
    if (auto st = check_carrier(db, tenant, carrier); !st) return st.error();
    auto stmt = db.prepare(
        "SELECT code, milestone, reason, description FROM carrier_code_mappings WHERE tenant_id = ? AND carrier_id = ? "
        "ORDER BY code");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), carrier.str());
    return fetch_all<domain::CarrierCodeMapping>(*stmt, mapping_from_row);
  });
}

Result<domain::Shipment> SqliteStore::find_carrier_shipment(const core::TenantId& tenant,
                                                            const core::CarrierId& carrier,
                                                            const std::string& tracking_number,
                                                            const std::string& order_id) {
  return read<domain::Shipment>("find_carrier_shipment", [&](Connection& db) -> Result<domain::Shipment> {
    const bool by_number = !tracking_number.empty();
    if (!by_number && order_id.empty()) return Error::not_found("shipment");
    auto stmt = db.prepare(sql({"SELECT ", kShipmentColumns, " FROM shipments WHERE tenant_id = ? AND carrier_id = ? AND ",
                                by_number ? "tracking_number = ?" : "external_order_id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), carrier.str(), by_number ? tracking_number : order_id);
    return fetch_shipment(db, *stmt);
  });
}

Result<CarrierEventRecord> SqliteStore::record_carrier_event(const CarrierEventRecord& record,
                                                             const std::optional<domain::Event>& event,
                                                             domain::Milestone expected_status) {
  CarrierEventRecord out = record;
  Status st = write("record_carrier_event", [&](Connection& db, Events& committed) -> Status {
    if (auto st = check_carrier(db, record.tenant_id, record.carrier_id); !st) return st;
    auto seen = find_record(db, record.tenant_id, record.carrier_id, record.input.event_id);
    if (!seen) return seen.error();
    if (*seen) {
      out = std::move(**seen);
      out.why = std::string(domain::carrier_event_outcome_name(out.outcome));
      out.outcome = CarrierEventOutcome::kDuplicate;
      return {};
    }
    auto appended = append(db, record.tenant_id, event, expected_status, committed);
    if (!appended) return appended.error();
    out.event_id = *appended;
    const auto& in = record.input;
    auto ins = db.prepare(
        "INSERT INTO carrier_events (tenant_id, carrier_id, carrier_event_id, tracking_number, order_id, code, "
        "occurred_at, lat, lon, description, shipment_id, outcome, why, event_id, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq");
    if (!ins) return ins.error();
    const std::optional<std::string> event_text = out.event_id ? std::optional(out.event_id->str()) : std::nullopt;
    ins->bind_all(record.tenant_id.str(), record.carrier_id.str(), in.event_id, in.tracking_number, in.order_id, in.code,
                  in.occurred_at.ms, std::nullopt, std::nullopt, in.description, shipment_text(record.shipment_id),
                  domain::carrier_event_outcome_name(record.outcome), record.why, event_text, record.received_at.ms);
    if (in.location) ins->bind(8, in.location->lat()).bind(9, in.location->lon());
    auto row = ins->step();
    if (!row) return row.error();
    out.seq = ins->int64(0);
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<CarrierEventRecord> SqliteStore::resolve_carrier_event(const CarrierEventRecord& record,
                                                              const std::optional<domain::Event>& event,
                                                              domain::Milestone expected_status) {
  CarrierEventRecord out = record;
  Status st = write("resolve_carrier_event", [&](Connection& db, Events& committed) -> Status {
    auto appended = append(db, record.tenant_id, event, expected_status, committed);
    if (!appended) return appended.error();
    out.event_id = *appended;
    const std::optional<std::string> event_text = out.event_id ? std::optional(out.event_id->str()) : std::nullopt;
    auto upd = db.prepare(
        "UPDATE carrier_events SET outcome = ?, why = ?, event_id = ?, shipment_id = ? "
        "WHERE tenant_id = ? AND carrier_id = ? AND seq = ?");
    if (!upd) return upd.error();
    if (auto st = upd->bind_all(domain::carrier_event_outcome_name(record.outcome), record.why, event_text,
                                shipment_text(record.shipment_id), record.tenant_id.str(), record.carrier_id.str(),
                                record.seq)
                      .run();
        !st)
      return st;
    if (db.changes() == 0) return Error::not_found("carrier event");
    return {};
  });
  if (!st) return st.error();
  return out;
}

Result<std::vector<CarrierEventRecord>> SqliteStore::list_carrier_events(
    const core::TenantId& tenant, const core::CarrierId& carrier, const std::optional<core::ShipmentId>& shipment,
    std::optional<domain::CarrierEventOutcome> outcome, int64_t before, int limit) {
  using Out = std::vector<CarrierEventRecord>;
  return read<Out>("list_carrier_events", [&](Connection& db) -> Result<Out> {
    if (auto st = check_carrier(db, tenant, carrier); !st) return st.error();
    auto stmt = db.prepare(sql({"SELECT ", kRecordColumns,
                                " FROM carrier_events WHERE tenant_id = ? AND carrier_id = ? AND seq < ? "
                                "AND (CAST(? AS TEXT) IS NULL OR shipment_id = ?) AND (CAST(? AS TEXT) IS NULL OR outcome = ?) "
                                "ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    const auto sh = shipment_text(shipment);
    const std::optional<std::string> oc =
        outcome ? std::optional(std::string(domain::carrier_event_outcome_name(*outcome))) : std::nullopt;
    stmt->bind_all(tenant.str(), carrier.str(), before > 0 ? before : std::numeric_limits<int64_t>::max(), sh, sh, oc,
                   oc, static_cast<int64_t>(std::clamp(limit, 1, 500)));
    return fetch_all<CarrierEventRecord>(*stmt, record_from_row);
  });
}

Result<std::vector<MappingTask>> SqliteStore::list_mapping_tasks(const core::TenantId& tenant,
                                                                 const core::CarrierId& carrier) {
  using Out = std::vector<MappingTask>;
  return read<Out>("list_mapping_tasks", [&](Connection& db) -> Result<Out> {
    if (auto st = check_carrier(db, tenant, carrier); !st) return st.error();
    auto stmt = db.prepare(
        "SELECT code, COUNT(*), MIN(received_at), MAX(received_at), MAX(description) FROM carrier_events "
        "WHERE tenant_id = ? AND carrier_id = ? AND outcome = 'unmapped' GROUP BY code ORDER BY COUNT(*) DESC, code");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), carrier.str());
    return fetch_all<MappingTask>(*stmt, [](const Statement& s) -> Result<MappingTask> {
      return MappingTask{s.text(0), s.int64(1), core::Timestamp{s.int64(2)}, core::Timestamp{s.int64(3)}, s.text(4)};
    });
  });
}

}  // namespace lastmile::storage::sqlite
