// The public tracking view's reads, in one read transaction so the view never mixes two commits.
#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

// The statuses of the route's shipments and the driver's newest point (see TrackingSnapshot).
Status load_route_live(Connection& db, const domain::Route& route, TrackingSnapshot& out) {
  auto st = db.prepare("SELECT id, status FROM shipments WHERE tenant_id = ? AND route_id = ?");
  if (!st) return st.error();
  st->bind_all(route.tenant_id.str(), route.id.str());
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    auto m = domain::parse_milestone(st->text(1));
    if (!m) return corrupt_row("shipments");
    out.route_statuses.emplace_back(core::ShipmentId(st->text(0)), *m);
  }
  auto latest = read_latest_fix(db, route.tenant_id, route.driver_id);
  if (!latest) return latest.error();
  out.driver_position = std::move(*latest);
  return {};
}

}  // namespace

Result<TrackingSnapshot> SqliteStore::load_tracking(std::string_view tracking_token) {
  return read<TrackingSnapshot>("load_tracking", [&](Connection& db) -> Result<TrackingSnapshot> {
    TrackingSnapshot out;
    auto by_token = db.prepare(sql({"SELECT ", kShipmentColumns, " FROM shipments WHERE tracking_token = ?"}));
    if (!by_token) return by_token.error();
    by_token->bind_all(tracking_token);
    auto shipment = fetch_shipment(db, *by_token);
    if (!shipment) return shipment.error();
    out.shipment = std::move(*shipment);
    const auto& tenant = out.shipment.tenant_id.str();

    auto t = db.prepare(sql({"SELECT ", kTenantColumns, " FROM tenants WHERE id = ?"}));
    if (!t) return t.error();
    t->bind_all(tenant);
    auto tenant_row = fetch_one<domain::Tenant>(*t, tenant_from_row, "tenant");
    if (!tenant_row) return tenant_row.error();
    out.tenant = std::move(*tenant_row);

    auto e = db.prepare(sql({"SELECT ", kEventColumns,
                             " FROM events WHERE tenant_id = ? AND shipment_id = ? ORDER BY global_seq"}));
    if (!e) return e.error();
    e->bind_all(tenant, out.shipment.id.str());
    auto events = fetch_all<domain::Event>(*e, event_from_row);
    if (!events) return events.error();
    out.events = std::move(*events);

    if (out.shipment.carrier_id) {
      auto c = db.prepare(sql({"SELECT ", kCarrierColumns, " FROM carriers WHERE tenant_id = ? AND id = ?"}));
      if (!c) return c.error();
      c->bind_all(tenant, out.shipment.carrier_id->str());
      auto carrier = fetch_one<domain::Carrier>(*c, carrier_from_row, "carrier");
      if (carrier) out.carrier = std::move(*carrier);
    }
    if (out.shipment.route_id) {
      auto r = db.prepare(sql({"SELECT ", kRouteColumns, " FROM routes WHERE tenant_id = ? AND id = ?"}));
      if (!r) return r.error();
      r->bind_all(tenant, out.shipment.route_id->str());
      auto route = fetch_one<domain::Route>(*r, route_from_row, "route");
      if (route) {
        if (auto st = load_stops(db, *route); !st) return st.error();
        auto d = db.prepare(sql({"SELECT ", kDriverColumns, " FROM drivers WHERE tenant_id = ? AND id = ?"}));
        if (!d) return d.error();
        d->bind_all(tenant, route->driver_id.str());
        auto driver = fetch_one<domain::Driver>(*d, driver_from_row, "driver");
        if (driver) out.driver = std::move(*driver);
        if (route->status == domain::RouteStatus::kInProgress)
          if (auto st = load_route_live(db, *route, out); !st) return st.error();
        out.route = std::move(*route);
      }
    }
    return out;
  });
}

}  // namespace lastmile::storage::sqlite
