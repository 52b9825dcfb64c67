#include "storage/sqlite/event_chain.hpp"

#include "domain/milestone.hpp"

namespace lastmile::storage::sqlite {

pod::ChainedEvent chained_event_of(const domain::Event& event) {
  pod::ChainedEvent e;
  e.id = event.id.str();
  e.tenant_id = event.tenant_id.str();
  e.shipment_id = event.shipment_id.str();
  e.type = event.type;
  if (event.milestone) e.milestone = std::string(domain::milestone_name(*event.milestone));
  e.occurred_at_ms = event.at.ms;
  e.recorded_at_ms = event.recorded_at.ms;
  e.actor = event.actor;
  e.source = event.source;
  if (event.location) {
    e.lat = event.location->lat();
    e.lon = event.location->lon();
  }
  e.payload = event.payload_json.empty() ? "{}" : event.payload_json;
  return e;
}

Result<std::string> last_event_hash(Connection& db, const core::TenantId& tenant, const core::ShipmentId& shipment) {
  auto stmt = db.prepare(
      "SELECT hash FROM events WHERE tenant_id = ? AND shipment_id = ? ORDER BY global_seq DESC LIMIT 1");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str(), shipment.str()).step();
  if (!row) return row.error();
  if (!*row || stmt->is_null(0)) return std::string(pod::kGenesisHash);
  return stmt->text(0);
}

Result<std::vector<pod::ChainedEvent>> load_chain(Connection& db, const core::TenantId* tenant,
                                                  const core::ShipmentId* shipment, bool with_erasures) {
  std::string sql =
      "SELECT id, tenant_id, shipment_id, event_type, milestone, occurred_at, recorded_at, actor, source, lat, lon, "
      "payload, COALESCE(prev_hash, ''), COALESCE(hash, ''), ";
  sql += with_erasures ? "COALESCE(erased_by, '')" : "''";
  sql += " FROM events";
  if (tenant && shipment) sql += " WHERE tenant_id = ? AND shipment_id = ?";
  sql += " ORDER BY tenant_id, shipment_id, global_seq";
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  if (tenant && shipment) stmt->bind(1, tenant->str()).bind(2, shipment->str());
  std::vector<pod::ChainedEvent> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    pod::ChainedEvent e;
    e.id = stmt->text(0);
    e.tenant_id = stmt->text(1);
    e.shipment_id = stmt->text(2);
    e.type = stmt->text(3);
    e.milestone = stmt->optional_text(4);
    e.occurred_at_ms = stmt->int64(5);
    e.recorded_at_ms = stmt->int64(6);
    e.actor = stmt->text(7);
    e.source = stmt->text(8);
    e.lat = stmt->optional_real(9);
    e.lon = stmt->optional_real(10);
    e.payload = stmt->text(11);
    e.prev_hash = stmt->text(12);
    e.hash = stmt->text(13);
    e.erased_by = stmt->text(14);
    out.push_back(std::move(e));
  }
  return out;
}

Status backfill_event_chain(Connection& db) {
  auto events = load_chain(db, nullptr, nullptr, /*with_erasures=*/false);  // before migration 15
  if (!events) return events.error();
  std::string prev;
  const pod::ChainedEvent* last = nullptr;
  for (const pod::ChainedEvent& e : *events) {
    if (!last || last->tenant_id != e.tenant_id || last->shipment_id != e.shipment_id) prev = pod::kGenesisHash;
    const std::string hash = pod::event_hash(e, prev);
    auto update = db.prepare("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?");
    if (!update) return update.error();
    if (auto st = update->bind_all(prev, hash, e.id).run(); !st) return st;
    prev = hash;
    last = &e;
  }
  return {};
}

}  // namespace lastmile::storage::sqlite
