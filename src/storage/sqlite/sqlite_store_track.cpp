// Track points: the durable GPS history of each driver.
#include <cmath>

#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

int64_t e7(double degrees) { return std::llround(degrees * 1e7); }

Status driver_exists(Connection& db, const core::TenantId& tenant, const core::DriverId& driver) {
  auto stmt = db.prepare("SELECT 1 FROM drivers WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  auto found = exists(stmt->bind_all(tenant.str(), driver.str()));
  if (!found) return found.error();
  if (!*found) return core::Error::not_found("driver");
  return {};
}

}  // namespace

Result<int> SqliteStore::append_track_points(const core::TenantId& tenant, const core::DriverId& driver,
                                             const std::vector<ingest::Ping>& pings) {
  int inserted = 0;
  Status st = write("append_track_points", [&](Connection& db, Events&) -> Status {
    inserted = 0;
    if (auto ok = driver_exists(db, tenant, driver); !ok) return ok;
    static const std::string insert = sql({"INSERT INTO track_points (tenant_id, ", kTrackColumns,
                                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                           "ON CONFLICT (driver_id, t, lat_e7, lon_e7) DO NOTHING"});
    for (const auto& p : pings) {
      auto stmt = db.prepare(insert);
      if (!stmt) return stmt.error();
      stmt->bind_all(tenant.str(), driver.str(), p.t.ms, e7(p.position.lat()), e7(p.position.lon()), p.speed_mps,
                     p.heading_deg, p.accuracy_m, p.altitude_m, p.battery_pct, p.received_at.ms);
      if (auto r = stmt->run(); !r) return r;
      inserted += static_cast<int>(db.changes());
    }
    return {};
  });
  if (!st) return st.error();
  return inserted;
}

Result<std::optional<ingest::Ping>> SqliteStore::latest_track_point(const core::TenantId& tenant,
                                                                    const core::DriverId& driver) {
  using R = std::optional<ingest::Ping>;
  return read<R>("latest_track_point", [&](Connection& db) -> Result<R> {
    auto stmt = db.prepare(sql({"SELECT ", kTrackColumns,
                                " FROM track_points WHERE tenant_id = ? AND driver_id = ? ORDER BY t DESC LIMIT 1"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), driver.str());
    auto rows = fetch_all<ingest::Ping>(*stmt, ping_from_row);
    if (!rows) return rows.error();
    if (rows->empty()) return R{};
    return R(std::move(rows->front()));
  });
}

Result<std::vector<ingest::Ping>> SqliteStore::list_track_points(const core::TenantId& tenant,
                                                                 const core::DriverId& driver, core::Timestamp from,
                                                                 core::Timestamp to, int limit) {
  using R = std::vector<ingest::Ping>;
  return read<R>("list_track_points", [&](Connection& db) -> Result<R> {
    if (auto ok = driver_exists(db, tenant, driver); !ok) return ok.error();
    auto stmt = db.prepare(sql({"SELECT ", kTrackColumns,
                                " FROM track_points WHERE tenant_id = ? AND driver_id = ? AND t >= ? AND t < ?"
                                " ORDER BY t LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), driver.str(), from.ms, to.ms, static_cast<int64_t>(limit));
    return fetch_all<ingest::Ping>(*stmt, ping_from_row);
  });
}

}  // namespace lastmile::storage::sqlite
