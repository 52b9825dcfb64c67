// SqliteStore: routes, their stops and the shipments on each stop.
#include <set>
#include <unordered_map>

#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using core::ErrorCode;

// kNotFound with `field` set when the tenant has no row `id` in `table`.
Status check_exists(Connection& db, std::string_view table, const core::TenantId& tenant, const std::string& id,
                    std::string_view what, std::string field) {
  auto stmt = db.prepare(sql({"SELECT 1 FROM ", table, " WHERE tenant_id = ? AND id = ?"}));
  if (!stmt) return stmt.error();
  auto found = exists(stmt->bind_all(tenant.str(), id));
  if (!found) return found.error();
  if (!*found) return Error{ErrorCode::kNotFound, std::string(what) + " not found", std::move(field)};
  return {};
}

// A shipment may join a route when it is the tenant's and on no planned or in-progress route.
// `field` is its path in the request ("stops[i].shipment_ids[j]").
Status check_assignable(Connection& db, const core::TenantId& tenant, const core::ShipmentId& id,
                        const std::string& field) {
  if (auto st = check_exists(db, "shipments", tenant, id.str(), "shipment", field); !st) return st;
  auto stmt = db.prepare(
      "SELECT 1 FROM stop_shipments ss JOIN routes r ON r.tenant_id = ss.tenant_id AND r.id = ss.route_id "
      "WHERE ss.tenant_id = ? AND ss.shipment_id = ? AND r.status IN (?, ?) LIMIT 1");
  if (!stmt) return stmt.error();
  auto open = exists(stmt->bind_all(tenant.str(), id.str(), domain::route_status_name(domain::RouteStatus::kPlanned),
                                    domain::route_status_name(domain::RouteStatus::kInProgress)));
  if (!open) return open.error();
  if (*open) return Error{ErrorCode::kConflict, "the shipment is already on an open route", field};
  return {};
}

Status insert_route_row(Connection& db, const domain::Route& r) {
  auto stmt = db.prepare(
      "INSERT INTO routes (id, tenant_id, driver_id, vehicle_id, route_date, depot_lat, depot_lon, status, started_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  return stmt
      ->bind_all(r.id.str(), r.tenant_id.str(), r.driver_id.str(), id_or_null(r.vehicle_id), r.date, r.depot.lat(),
                 r.depot.lon(), domain::route_status_name(r.status), ms_or_null(r.started_at), r.created_at.ms)
      .run();
}

Status insert_stop_row(Connection& db, const domain::Route& r, const domain::Stop& s, const std::string& path) {
  auto stmt = db.prepare(
      "INSERT INTO stops (id, tenant_id, route_id, visit_order, service_s, lat, lon, status, eta, radius_m) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.error();
  Status st = stmt->bind_all(s.id.str(), r.tenant_id.str(), r.id.str(), s.sequence, s.service_s,
                             lat_or_null(s.location), lon_or_null(s.location), domain::stop_status_name(s.status),
                             ms_or_null(s.eta), s.radius_m)
                  .run();
  if (!st && st.error().field == "visit_order")
    return Error{ErrorCode::kConflict, "two stops have the same sequence", path + ".sequence"};
  return st;
}

// Puts shipment `id` on stop `s` of route `r` at position `position` and points the shipment at them.
Status assign_shipment(Connection& db, const domain::Route& r, const domain::Stop& s, int position,
                       const core::ShipmentId& id) {
  auto link = db.prepare(
      "INSERT INTO stop_shipments (tenant_id, route_id, stop_id, item_order, shipment_id) VALUES (?, ?, ?, ?, ?)");
  if (!link) return link.error();
  if (auto st = link->bind_all(r.tenant_id.str(), r.id.str(), s.id.str(), position, id.str()).run(); !st) return st;
  auto update = db.prepare("UPDATE shipments SET route_id = ?, stop_id = ? WHERE tenant_id = ? AND id = ?");
  if (!update) return update.error();
  return update->bind_all(r.id.str(), s.id.str(), r.tenant_id.str(), id.str()).run();
}

// A shipment may join a day plan's route when it is still as the planner saw it: the tenant's, on no
// route at all (route_id unset) and not closed. The message names the shipment (the plan's answer
// lists many).
Status check_unrouted(Connection& db, const core::TenantId& tenant, const core::ShipmentId& id,
                      const std::string& field) {
  auto stmt = db.prepare("SELECT route_id, status FROM shipments WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str(), id.str()).step();
  if (!row) return row.error();
  if (!*row) return Error{ErrorCode::kNotFound, "shipment " + id.str() + " not found", field};
  if (!stmt->is_null(0))
    return Error{ErrorCode::kConflict, "shipment " + id.str() + " was put on a route meanwhile", field};
  const std::string status = stmt->text(1);
  const auto m = domain::parse_milestone(status);
  if (!m) return corrupt_row("shipments");
  if (domain::is_terminal(*m))
    return Error{ErrorCode::kConflict, "shipment " + id.str() + " is " + status + " meanwhile", field};
  return {};
}

enum class Eligible { kNotOnOpenRoute, kUnroutedAndOpen };

// `prefix` is the route's path in the request ("" for POST /v1/routes, "routes[k]." for a day plan).
Status insert_stops(Connection& db, const domain::Route& r, Eligible eligible = Eligible::kNotOnOpenRoute,
                    const std::string& prefix = "") {
  std::set<core::ShipmentId> listed;
  for (size_t i = 0; i < r.stops.size(); ++i) {
    const domain::Stop& stop = r.stops[i];
    const std::string path = prefix + "stops[" + std::to_string(i) + "]";
    if (auto st = insert_stop_row(db, r, stop, path); !st) return st;
    for (size_t j = 0; j < stop.shipment_ids.size(); ++j) {
      const auto& id = stop.shipment_ids[j];
      const std::string field = path + ".shipment_ids[" + std::to_string(j) + "]";
      if (!listed.insert(id).second)
        return Error{ErrorCode::kConflict, "the shipment is listed twice on this route", field};
      auto ok = eligible == Eligible::kNotOnOpenRoute ? check_assignable(db, r.tenant_id, id, field)
                                                      : check_unrouted(db, r.tenant_id, id, field);
      if (!ok) return ok;
      if (auto st = assign_shipment(db, r, stop, static_cast<int>(j), id); !st) return st;
    }
  }
  return {};
}

}  // namespace

namespace {

Status load_breaks(Connection& db, domain::Route& r) {
  auto stmt = db.prepare(
      "SELECT name, after_stops, duration_s, window_start, window_end FROM route_breaks "
      "WHERE tenant_id = ? AND route_id = ? ORDER BY position");
  if (!stmt) return stmt.error();
  stmt->bind_all(r.tenant_id.str(), r.id.str());
  r.breaks.clear();
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return {};
    domain::RouteBreak b;
    b.id = stmt->text(0);
    b.after_stops = static_cast<int>(stmt->int64(1));
    b.duration_s = static_cast<int>(stmt->int64(2));
    if (!stmt->is_null(3) && !stmt->is_null(4))
      b.window = domain::TimeWindow{core::Timestamp{stmt->int64(3)}, core::Timestamp{stmt->int64(4)}};
    r.breaks.push_back(std::move(b));
  }
}

}  // namespace

Status write_breaks(Connection& db, const core::TenantId& tenant, const core::RouteId& route,
                    const std::vector<domain::RouteBreak>& breaks) {
  auto clear = db.prepare("DELETE FROM route_breaks WHERE tenant_id = ? AND route_id = ?");
  if (!clear) return clear.error();
  if (auto st = clear->bind_all(tenant.str(), route.str()).run(); !st) return st;
  for (size_t i = 0; i < breaks.size(); ++i) {
    const domain::RouteBreak& b = breaks[i];
    auto stmt = db.prepare(
        "INSERT INTO route_breaks (tenant_id, route_id, position, name, after_stops, duration_s, window_start, "
        "window_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    std::optional<core::Timestamp> start, end;
    if (b.window) start = b.window->start, end = b.window->end;
    if (auto st = stmt->bind_all(tenant.str(), route.str(), static_cast<int>(i), b.id, b.after_stops, b.duration_s,
                                 ms_or_null(start), ms_or_null(end))
                      .run();
        !st)
      return st;
  }
  return {};
}

// Fills `r.stops` (in visiting order, each with its shipment ids in listed order) and `r.breaks`.
Status load_stops(Connection& db, domain::Route& r) {
  if (auto st = load_breaks(db, r); !st) return st;
  auto stops = db.prepare(
      sql({"SELECT ", kStopColumns, " FROM stops WHERE tenant_id = ? AND route_id = ? ORDER BY visit_order"}));
  if (!stops) return stops.error();
  stops->bind_all(r.tenant_id.str(), r.id.str());
  auto rows = fetch_all<domain::Stop>(*stops, stop_from_row);
  if (!rows) return rows.error();
  r.stops = std::move(*rows);

  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < r.stops.size(); ++i) index.emplace(r.stops[i].id.str(), i);
  auto links = db.prepare(
      "SELECT stop_id, shipment_id FROM stop_shipments WHERE tenant_id = ? AND route_id = ? "
      "ORDER BY stop_id, item_order");
  if (!links) return links.error();
  links->bind_all(r.tenant_id.str(), r.id.str());
  for (;;) {
    auto row = links->step();
    if (!row) return row.error();
    if (!*row) return {};
    auto it = index.find(links->text(0));
    if (it == index.end()) return corrupt_row("stop_shipments");
    r.stops[it->second].shipment_ids.emplace_back(links->text(1));
  }
}

namespace {

}  // namespace

Status SqliteStore::create_route(const domain::Route& route, const IdempotencyRecord* idem) {
  return write("create_route", [&](Connection& db, Events&) -> Status {
    if (auto st = insert_idempotency(db, route.tenant_id, idem, route.created_at); !st) return st;
    if (auto st = check_exists(db, "drivers", route.tenant_id, route.driver_id.str(), "driver", "driver_id"); !st)
      return st;
    if (route.vehicle_id) {
      if (auto st = check_exists(db, "vehicles", route.tenant_id, route.vehicle_id->str(), "vehicle", "vehicle_id");
          !st)
        return st;
    }
    if (auto st = insert_route_row(db, route); !st) return st;
    if (auto st = write_breaks(db, route.tenant_id, route.id, route.breaks); !st) return st;
    return insert_stops(db, route);
  });
}

Status SqliteStore::create_routes(const core::TenantId& tenant, const std::vector<domain::Route>& routes,
                                  const IdempotencyRecord* idem, core::Timestamp at) {
  return write("create_routes", [&](Connection& db, Events&) -> Status {
    if (auto st = insert_idempotency(db, tenant, idem, at); !st) return st;
    for (size_t k = 0; k < routes.size(); ++k) {
      const domain::Route& route = routes[k];
      const std::string prefix = "routes[" + std::to_string(k) + "].";
      if (route.tenant_id != tenant)
        return Error::invalid_field(prefix + "tenant_id", "another tenant's route");
      if (auto st =
              check_exists(db, "drivers", tenant, route.driver_id.str(), "driver", prefix + "driver_id");
          !st)
        return st;
      if (route.vehicle_id) {
        if (auto st = check_exists(db, "vehicles", tenant, route.vehicle_id->str(), "vehicle",
                                   prefix + "vehicle_id");
            !st)
          return st;
      }
      if (auto st = insert_route_row(db, route); !st) return st;
      if (auto st = write_breaks(db, route.tenant_id, route.id, route.breaks); !st) return st;
      if (auto st = insert_stops(db, route, Eligible::kUnroutedAndOpen, prefix); !st) return st;
    }
    return {};
  });
}

Result<domain::Route> SqliteStore::get_route(const core::TenantId& tenant, const core::RouteId& id) {
  return read<domain::Route>("get_route", [&](Connection& db) -> Result<domain::Route> {
    auto stmt = db.prepare(sql({"SELECT ", kRouteColumns, " FROM routes WHERE tenant_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    auto route = fetch_one<domain::Route>(*stmt, route_from_row, "route");
    if (!route) return route;
    if (auto st = load_stops(db, *route); !st) return st.error();
    return route;
  });
}

Result<Page<domain::Route>> SqliteStore::list_routes(const core::TenantId& tenant, const RouteFilter& filter,
                                                     const PageRequest& page) {
  return read<Page<domain::Route>>("list_routes", [&](Connection& db) -> Result<Page<domain::Route>> {
    auto stmt = db.prepare(sql({"SELECT ", kRouteColumns, " FROM routes WHERE tenant_id = ?",
                                filter.driver_id ? " AND driver_id = ?" : "",
                                filter.date.empty() ? "" : " AND route_date = ?",
                                " AND seq < ? ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    int i = 1;
    stmt->bind(i++, tenant.str());
    if (filter.driver_id) stmt->bind(i++, filter.driver_id->str());
    if (!filter.date.empty()) stmt->bind(i++, filter.date);
    stmt->bind(i++, page_before(page));
    stmt->bind(i++, page_fetch_limit(page));
    auto out = fetch_page<domain::Route>(*stmt, page, route_from_row);
    if (!out) return out;
    for (auto& r : out->items)
      if (auto st = load_stops(db, r); !st) return st.error();
    return out;
  });
}

Result<std::vector<domain::Event>> SqliteStore::start_route(
    const core::TenantId& tenant, const core::RouteId& id, core::Timestamp at,
    const std::vector<std::pair<domain::Event, domain::Milestone>>& events) {
  Events stored;
  Status st = write("start_route", [&](Connection& db, Events& committed) -> Status {
    auto status = db.prepare("SELECT status FROM routes WHERE tenant_id = ? AND id = ?");
    if (!status) return status.error();
    auto row = status->bind_all(tenant.str(), id.str()).step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("route");
    const std::string current = status->text(0);
    if (current != domain::route_status_name(domain::RouteStatus::kPlanned))
      return Error{ErrorCode::kIllegalTransition, "route is " + current + ", only a planned route starts", ""};
    auto update = db.prepare("UPDATE routes SET status = ?, started_at = ? WHERE tenant_id = ? AND id = ?");
    if (!update) return update.error();
    Status st = update->bind_all(domain::route_status_name(domain::RouteStatus::kInProgress), at.ms, tenant.str(),
                                 id.str())
                    .run();
    if (!st) return st;
    if (auto s = insert_events(db, tenant, events, committed); !s) return s;
    stored = committed;
    return {};
  });
  if (!st) return st.error();
  return stored;
}

}  // namespace lastmile::storage::sqlite
