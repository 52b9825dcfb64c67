// Live location: tracker device lookup, the driver's active route, geofence progress, retention.
#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/track_chunk.hpp"

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

namespace {

// Deletes up to `limit` of `driver`'s fixes older than `cutoff`, oldest chunks first: a chunk
// entirely older goes whole, a chunk across the cutoff (or beyond the limit) is rewritten without
// its oldest fixes. Returns how many fixes went.
Result<int> delete_driver_fixes_before(Connection& db, const std::string& driver, int64_t cutoff, int limit) {
  struct Chunk {
    int64_t seq;
    int64_t t_max;
    int64_t points;
    std::string data;
  };
  std::vector<Chunk> old;
  {
    auto stmt = db.prepare(
        "SELECT seq, t_max, points, data FROM track_chunks WHERE driver_id = ? AND t_max < ? AND t_min < ? "
        "ORDER BY t_max");
    if (!stmt) return stmt.error();
    stmt->bind_all(driver, cutoff > INT64_MAX - kMaxChunkSpanMs ? INT64_MAX : cutoff + kMaxChunkSpanMs, cutoff);
    int64_t seen = 0;
    while (seen < limit) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      old.push_back({stmt->int64(0), stmt->int64(1), stmt->int64(2), std::string(stmt->blob(3))});
      seen += old.back().points;
    }
  }
  int deleted = 0;
  for (const Chunk& c : old) {
    if (deleted >= limit) break;
    if (c.t_max < cutoff && c.points <= limit - deleted) {
      auto del = db.prepare("DELETE FROM track_chunks WHERE seq = ?");
      if (!del) return del.error();
      if (auto ok = del->bind_all(c.seq).run(); !ok) return ok.error();
      deleted += static_cast<int>(c.points);
      continue;
    }
    auto points = decode_track_chunk(c.data, core::DriverId(driver));
    if (!points) return points.error();
    size_t drop = 0;  // sorted by time: the old ones lead
    while (drop < points->size() && (*points)[drop].t.ms < cutoff && deleted + static_cast<int>(drop) < limit) ++drop;
    if (drop == 0) continue;
    points->erase(points->begin(), points->begin() + static_cast<ptrdiff_t>(drop));
    deleted += static_cast<int>(drop);
    if (points->empty()) {
      auto del = db.prepare("DELETE FROM track_chunks WHERE seq = ?");
      if (!del) return del.error();
      if (auto ok = del->bind_all(c.seq).run(); !ok) return ok.error();
      continue;
    }
    const std::string data = encode_track_chunk(*points);
    auto upd = db.prepare("UPDATE track_chunks SET t_min = ?, points = ?, data = ? WHERE seq = ?");
    if (!upd) return upd.error();
    upd->bind_all(points->front().t.ms, static_cast<int64_t>(points->size()));
    upd->bind_blob(3, data);
    upd->bind(4, c.seq);
    if (auto ok = upd->run(); !ok) return ok.error();
  }
  return deleted;
}

}  // namespace

Status SqliteStore::update_stop_etas(const core::TenantId& tenant, const core::RouteId& route,
                                     const std::vector<StopEta>& etas) {
  if (etas.empty()) return {};
  return write("update_stop_etas", [&](Connection& db, Events&) -> Status {
    for (const auto& e : etas) {
      auto stmt = db.prepare(
          "UPDATE stops SET eta = ?, eta_earliest = ?, eta_latest = ? WHERE tenant_id = ? AND route_id = ? AND id = ?");
      if (!stmt) return stmt.error();
      if (auto st = stmt->bind_all(e.eta.ms, e.earliest.ms, e.latest.ms, tenant.str(), route.str(), e.stop_id.str())
                        .run();
          !st)
        return st;
    }
    return {};
  });
}

Result<std::vector<StopVisitRecord>> SqliteStore::list_stop_visits(const core::TenantId& tenant,
                                                                   core::Timestamp since, int limit) {
  using Out = std::vector<StopVisitRecord>;
  return read<Out>("list_stop_visits", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare(sql({"SELECT ", kStopVisitColumns,
                                " FROM stops s JOIN routes r ON r.tenant_id = s.tenant_id AND r.id = s.route_id"
                                " WHERE s.tenant_id = ? AND s.arrived_at >= ? AND s.departed_at IS NOT NULL"
                                " ORDER BY r.seq DESC, s.visit_order LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), since.ms, limit);
    Out out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      auto v = stop_visit_from_row(*stmt);
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
    return out;
  });
}

Result<int> SqliteStore::delete_track_points_before(core::Timestamp cutoff, int limit) {
  return delete_fixes_of_drivers("delete_track_points_before", std::nullopt, cutoff, limit);
}

Result<int> SqliteStore::delete_tenant_track_points_before(const core::TenantId& tenant, core::Timestamp cutoff,
                                                          int limit) {
  return delete_fixes_of_drivers("delete_tenant_track_points_before", tenant, cutoff, limit);
}

// Driver by driver (of `tenant`, or of every tenant), through the chunks' index (driver_id, t_max).
Result<int> SqliteStore::delete_fixes_of_drivers(std::string_view op, const std::optional<core::TenantId>& tenant,
                                                 core::Timestamp cutoff, int limit) {
  int deleted = 0;
  Status st = write(op, [&](Connection& db, Events&) -> Status {
    deleted = 0;
    std::vector<std::string> drivers;
    auto ids = db.prepare("SELECT id FROM drivers WHERE (CAST(? AS TEXT) IS NULL OR tenant_id = ?) ORDER BY seq");
    if (!ids) return ids.error();
    const std::optional<std::string> t = tenant ? std::optional(tenant->str()) : std::nullopt;
    ids->bind_all(t, t);
    for (;;) {
      auto row = ids->step();
      if (!row) return row.error();
      if (!*row) break;
      drivers.push_back(ids->text(0));
    }
    for (const auto& driver : drivers) {
      if (deleted >= limit) break;
      auto n = delete_driver_fixes_before(db, driver, cutoff.ms, limit - deleted);
      if (!n) return n.error();
      deleted += *n;
    }
    return {};
  });
  if (!st) return st.error();
  return deleted;
}

}  // namespace lastmile::storage::sqlite
