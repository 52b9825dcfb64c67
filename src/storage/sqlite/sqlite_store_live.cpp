// Live location: tracker device lookup, the driver's active route, geofence progress, retention.
#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {

Result<domain::Driver> SqliteStore::find_driver_by_device(std::string_view device_id) {
  return read<domain::Driver>("find_driver_by_device", [&](Connection& db) -> Result<domain::Driver> {
    if (device_id.empty()) return Error::not_found("device");
    auto stmt = db.prepare(sql({"SELECT ", kDriverColumns, " FROM drivers WHERE device_id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(device_id);
    return fetch_one<domain::Driver>(*stmt, driver_from_row, "device");
  });
}

Result<std::optional<domain::Route>> SqliteStore::active_route(const core::TenantId& tenant,
                                                               const core::DriverId& driver) {
  using Out = std::optional<domain::Route>;
  return read<Out>("active_route", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare(sql({"SELECT ", kRouteColumns,
                                " FROM routes WHERE driver_id = ? AND status = ? AND tenant_id = ?"
                                " ORDER BY started_at DESC, seq DESC LIMIT 1"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(driver.str(), domain::route_status_name(domain::RouteStatus::kInProgress), tenant.str());
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return Out{};
    auto route = route_from_row(*stmt);
    if (!route) return route.error();
    if (auto st = load_stops(db, *route); !st) return st.error();
    return Out{std::move(*route)};
  });
}

namespace {

Status record_visit(Connection& db, const core::TenantId& tenant, const StopVisit& v) {
  auto stmt = db.prepare(
      "UPDATE stops SET arrived_at = COALESCE(?, arrived_at), departed_at = COALESCE(?, departed_at), "
      "status = COALESCE(?, status) WHERE tenant_id = ? AND route_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  std::optional<std::string> status;
  if (v.status) status = std::string(domain::stop_status_name(*v.status));
  Status st = stmt->bind_all(ms_or_null(v.arrived_at), ms_or_null(v.departed_at), status, tenant.str(),
                             v.route_id.str(), v.stop_id.str())
                  .run();
  if (!st) return st;
  if (db.changes() == 0) return Error::not_found("stop");
  return {};
}

}  // namespace

Result<std::vector<domain::Event>> SqliteStore::record_route_progress(
    const core::TenantId& tenant, const std::optional<StopVisit>& visit,
    const std::vector<std::pair<domain::Event, domain::Milestone>>& events) {
  Events stored;
  Status st = write("record_route_progress", [&](Connection& db, Events& committed) -> Status {
    if (visit)
      if (auto ok = record_visit(db, tenant, *visit); !ok) return ok;
    for (const auto& [event, expected] : events) {
      auto e = insert_event(db, tenant, event, expected);
      if (!e && e.error().code == core::ErrorCode::kConflict) continue;  // changed meanwhile: skip
      if (!e) return e.error();
      committed.push_back(std::move(*e));
    }
    stored = committed;
    return {};
  });
  if (!st) return st.error();
  return stored;
}

Result<int> SqliteStore::delete_track_points_before(core::Timestamp cutoff, int limit) {
  int deleted = 0;
  Status st = write("delete_track_points_before", [&](Connection& db, Events&) -> Status {
    // Driver by driver, through the unique key (driver_id, t, …): no index on time alone to keep up.
    deleted = 0;
    std::vector<std::string> drivers;
    auto ids = db.prepare("SELECT id FROM drivers ORDER BY seq");
    if (!ids) return ids.error();
    for (;;) {
      auto row = ids->step();
      if (!row) return row.error();
      if (!*row) break;
      drivers.push_back(ids->text(0));
    }
    for (const auto& driver : drivers) {
      if (deleted >= limit) break;
      auto stmt = db.prepare(
          "DELETE FROM track_points WHERE seq IN "
          "(SELECT seq FROM track_points WHERE driver_id = ? AND t < ? ORDER BY t LIMIT ?)");
      if (!stmt) return stmt.error();
      if (auto ok = stmt->bind_all(driver, cutoff.ms, limit - deleted).run(); !ok) return ok;
      deleted += static_cast<int>(db.changes());
    }
    return {};
  });
  if (!st) return st.error();
  return deleted;
}

}  // namespace lastmile::storage::sqlite
