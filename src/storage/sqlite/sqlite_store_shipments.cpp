// SqliteStore: shipments (with their parcels) and their events.
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/text_fold.hpp"

namespace lastmile::storage::sqlite {
namespace {

// kConflict from the shipments insert, with a message per unique column.
Error shipment_conflict(const Error& e) {
  if (e.field == "external_order_id")
    return Error{core::ErrorCode::kConflict, "a shipment with this external_order_id already exists", e.field};
  if (e.field == "tracking_number")
    return Error{core::ErrorCode::kConflict, "tracking number collision; generate another", e.field};
  return e;
}

Status insert_shipment_row(Connection& db, const domain::Shipment& s) {
  auto stmt = db.prepare(
      "INSERT INTO shipments (id, tenant_id, tracking_number, tracking_token, external_order_id, carrier_id, status, "
      "recipient_name, recipient_name_folded, recipient_phone, recipient_email, recipient_time_zone, "
      "address_line1, address_line2, address_city, address_postal_code, address_country, address_lat, address_lon, "
      "gate_code, safe_place, instructions_note, promised_start, promised_end, service_level, route_id, stop_id, "
      "created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  std::optional<int64_t> promised_start, promised_end;
  if (s.promised) {
    promised_start = s.promised->start.ms;
    promised_end = s.promised->end.ms;
  }
  const auto& r = s.recipient;
  const auto& a = s.address;
  const auto& in = s.instructions;
  Status st = stmt->bind_all(s.id.str(), s.tenant_id.str(), s.tracking_number, s.tracking_token, s.external_order_id,
                             id_or_null(s.carrier_id), domain::milestone_name(s.status), r.name, fold_case(r.name),
                             r.phone, r.email, r.time_zone, a.line1, a.line2, a.city, a.postal_code, a.country,
                             lat_or_null(a.location), lon_or_null(a.location), in.gate_code, in.safe_place, in.note,
                             promised_start, promised_end, s.service_level, id_or_null(s.route_id),
                             id_or_null(s.stop_id), s.created_at.ms, s.updated_at.ms)
                  .run();
  if (!st && st.error().code == core::ErrorCode::kConflict) return shipment_conflict(st.error());
  return st;
}

Status insert_parcels(Connection& db, const domain::Shipment& s) {
  for (size_t i = 0; i < s.parcels.size(); ++i) {
    auto stmt = db.prepare(
        "INSERT INTO parcels (tenant_id, shipment_id, item_order, barcode, weight_kg, description) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    const auto& p = s.parcels[i];
    Status st = stmt->bind_all(s.tenant_id.str(), s.id.str(), static_cast<int64_t>(i), p.barcode, p.weight_kg,
                               p.description)
                    .run();
    if (!st) return st;
  }
  return {};
}

// Fills `s.parcels` from the parcels table.
Status load_parcels(Connection& db, domain::Shipment& s) {
  auto stmt = db.prepare(sql({"SELECT ", kParcelColumns,
                              " FROM parcels WHERE tenant_id = ? AND shipment_id = ? ORDER BY item_order"}));
  if (!stmt) return stmt.error();
  stmt->bind_all(s.tenant_id.str(), s.id.str());
  auto parcels = fetch_all<domain::Parcel>(*stmt, parcel_from_row);
  if (!parcels) return parcels.error();
  s.parcels = std::move(*parcels);
  return {};
}

}  // namespace

// The one shipment the query `stmt` selects (kShipmentColumns), with its parcels.
Result<domain::Shipment> fetch_shipment(Connection& db, Statement& stmt) {
  auto s = fetch_one<domain::Shipment>(stmt, shipment_from_row, "shipment");
  if (!s) return s;
  if (auto st = load_parcels(db, *s); !st) return st.error();
  return s;
}

namespace {

// SELECT of list_shipments for `f`; the parameters are bound by bind_shipment_filter in this order.
std::string shipment_list_sql(const ShipmentFilter& f) {
  std::string q = sql({"SELECT ", kShipmentColumns, " FROM shipments WHERE tenant_id = ?"});
  if (f.status) q += " AND status = ?";
  if (f.carrier_id) q += " AND carrier_id = ?";
  if (f.route_id) q += " AND route_id = ?";
  if (f.created_from) q += " AND created_at >= ?";
  if (f.created_to) q += " AND created_at < ?";
  if (!f.text.empty())
    q += " AND (tracking_number = ? OR external_order_id = ? OR recipient_name_folded LIKE ? ESCAPE '\\')";
  q += " AND seq < ? ORDER BY seq DESC LIMIT ?";
  return q;
}

void bind_shipment_filter(Statement& stmt, const core::TenantId& tenant, const ShipmentFilter& f,
                          const PageRequest& page) {
  int i = 1;
  stmt.bind(i++, tenant.str());
  if (f.status) stmt.bind(i++, domain::milestone_name(*f.status));
  if (f.carrier_id) stmt.bind(i++, f.carrier_id->str());
  if (f.route_id) stmt.bind(i++, f.route_id->str());
  if (f.created_from) stmt.bind(i++, f.created_from->ms);
  if (f.created_to) stmt.bind(i++, f.created_to->ms);
  if (!f.text.empty()) {
    stmt.bind(i++, f.text);
    stmt.bind(i++, f.text);
    stmt.bind(i++, "%" + escape_like(fold_case(f.text)) + "%");
  }
  stmt.bind(i++, page_before(page));
  stmt.bind(i++, page_fetch_limit(page));
}

}  // namespace

Status insert_new_shipment(Connection& db, const domain::Shipment& shipment, const domain::Event& created,
                           std::vector<domain::Event>& committed) {
  if (auto st = insert_shipment_row(db, shipment); !st) return st;
  if (auto st = insert_parcels(db, shipment); !st) return st;
  auto event = insert_event_row(db, created);
  if (!event) return event.error();
  committed.push_back(std::move(*event));
  return {};
}

// ---- shipments ----------------------------------------------------------------------------------

Status SqliteStore::create_shipment(const domain::Shipment& shipment, const domain::Event& created,
                                    const IdempotencyRecord* idem) {
  return write("create_shipment", [&](Connection& db, Events& committed) -> Status {
    // The key first: a repeated request is answered from its record, not as a duplicate order.
    if (auto st = insert_idempotency(db, shipment.tenant_id, idem, shipment.created_at); !st) return st;
    return insert_new_shipment(db, shipment, created, committed);
  });
}

Result<domain::Shipment> SqliteStore::get_shipment(const core::TenantId& tenant, const core::ShipmentId& id) {
  return read<domain::Shipment>("get_shipment", [&](Connection& db) -> Result<domain::Shipment> {
    auto stmt = db.prepare(sql({"SELECT ", kShipmentColumns, " FROM shipments WHERE tenant_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    return fetch_shipment(db, *stmt);
  });
}

Result<domain::Shipment> SqliteStore::find_shipment_by_external_id(const core::TenantId& tenant,
                                                                   std::string_view external_order_id) {
  return read<domain::Shipment>("find_shipment_by_external_id", [&](Connection& db) -> Result<domain::Shipment> {
    if (external_order_id.empty()) return Error::not_found("shipment");  // empty is "none", not an id
    auto stmt = db.prepare(
        sql({"SELECT ", kShipmentColumns, " FROM shipments WHERE tenant_id = ? AND external_order_id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), external_order_id);
    return fetch_shipment(db, *stmt);
  });
}

Result<domain::Shipment> SqliteStore::find_shipment_by_token(std::string_view tracking_token) {
  return read<domain::Shipment>("find_shipment_by_token", [&](Connection& db) -> Result<domain::Shipment> {
    auto stmt = db.prepare(sql({"SELECT ", kShipmentColumns, " FROM shipments WHERE tracking_token = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tracking_token);
    return fetch_shipment(db, *stmt);
  });
}

Result<Page<domain::Shipment>> SqliteStore::list_shipments(const core::TenantId& tenant, const ShipmentFilter& filter,
                                                           const PageRequest& page) {
  return read<Page<domain::Shipment>>("list_shipments", [&](Connection& db) -> Result<Page<domain::Shipment>> {
    auto stmt = db.prepare(shipment_list_sql(filter));
    if (!stmt) return stmt.error();
    bind_shipment_filter(*stmt, tenant, filter, page);
    auto out = fetch_page<domain::Shipment>(*stmt, page, shipment_from_row);
    if (!out) return out;
    for (auto& s : out->items)
      if (auto st = load_parcels(db, s); !st) return st.error();
    return out;
  });
}

Status SqliteStore::update_instructions(const core::TenantId& tenant, const core::ShipmentId& id,
                                        const domain::Instructions& instructions, domain::Milestone expected_status) {
  return write("update_instructions", [&](Connection& db, Events&) -> Status {
    // Conditional on the status the caller checked: a status change committed in between wins.
    auto stmt = db.prepare(
        "UPDATE shipments SET gate_code = ?, safe_place = ?, instructions_note = ? "
        "WHERE tenant_id = ? AND id = ? AND status = ?");
    if (!stmt) return stmt.error();
    Status st = stmt->bind_all(instructions.gate_code, instructions.safe_place, instructions.note, tenant.str(),
                               id.str(), std::string(domain::milestone_name(expected_status)))
                    .run();
    if (!st) return st;
    if (db.changes() > 0) return {};
    auto found = db.prepare("SELECT 1 FROM shipments WHERE tenant_id = ? AND id = ?");
    if (!found) return found.error();
    auto exists_now = exists(found->bind_all(tenant.str(), id.str()));
    if (!exists_now) return exists_now.error();
    if (!*exists_now) return Error::not_found("shipment");
    return Error{core::ErrorCode::kIllegalTransition, "the shipment's status changed meanwhile", ""};
  });
}

// ---- events -------------------------------------------------------------------------------------

Result<domain::Event> SqliteStore::append_event(const domain::Event& event, domain::Milestone expected_status) {
  std::optional<domain::Event> stored;
  Status st = write("append_event", [&](Connection& db, Events& committed) -> Status {
    auto e = insert_event(db, event.tenant_id, event, expected_status);
    if (!e) return e.error();
    committed.push_back(*e);
    stored = std::move(*e);
    return {};
  });
  if (!st) return st.error();
  return std::move(*stored);
}

Result<std::vector<domain::Event>> SqliteStore::list_events(const core::TenantId& tenant, const core::ShipmentId& id) {
  using Events = std::vector<domain::Event>;
  return read<Events>("list_events", [&](Connection& db) -> Result<Events> {
    auto shipment = db.prepare("SELECT 1 FROM shipments WHERE tenant_id = ? AND id = ?");
    if (!shipment) return shipment.error();
    auto found = exists(shipment->bind_all(tenant.str(), id.str()));
    if (!found) return found.error();
    if (!*found) return Error::not_found("shipment");
    auto stmt = db.prepare(sql({"SELECT ", kEventColumns,
                                " FROM events WHERE tenant_id = ? AND shipment_id = ? ORDER BY global_seq"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    return fetch_all<domain::Event>(*stmt, event_from_row);
  });
}

Result<std::vector<domain::Event>> SqliteStore::events_after(int64_t after, int limit) {
  using Events = std::vector<domain::Event>;
  return read<Events>("events_after", [&](Connection& db) -> Result<Events> {
    if (limit <= 0) return Events{};
    auto stmt = db.prepare(sql({"SELECT ", kEventColumns, " FROM events WHERE global_seq > ? ORDER BY global_seq LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(after, limit);
    return fetch_all<domain::Event>(*stmt, event_from_row);
  });
}

Result<std::vector<domain::Event>> SqliteStore::tenant_events_after(const core::TenantId& tenant, int64_t after,
                                                                   int limit) {
  using Events = std::vector<domain::Event>;
  return read<Events>("tenant_events_after", [&](Connection& db) -> Result<Events> {
    if (limit <= 0) return Events{};
    auto stmt = db.prepare(sql({"SELECT ", kEventColumns,
                                " FROM events WHERE tenant_id = ? AND global_seq > ? ORDER BY global_seq LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), after, limit);
    return fetch_all<domain::Event>(*stmt, event_from_row);
  });
}

}  // namespace lastmile::storage::sqlite
