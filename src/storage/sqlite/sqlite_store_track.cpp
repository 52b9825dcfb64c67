// Track points: the durable GPS history of each driver.
#include <cmath>

#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

constexpr std::string_view kTrackColumns =
    "driver_id, t, lat_e7, lon_e7, speed_mps, heading_deg, accuracy_m, altitude_m, battery_pct, received_at";

int64_t e7(double degrees) { return std::llround(degrees * 1e7); }

Result<ingest::Ping> ping_from_row(const Statement& st) {
  auto position = core::LatLon::from_unsafe({static_cast<double>(st.int64(2)) / 1e7, static_cast<double>(st.int64(3)) / 1e7});
  if (!position) return core::Error{core::ErrorCode::kInternal, "unreadable row in track_points", ""};
  ingest::Ping p;
  p.driver_id = core::DriverId(st.text(0));
  p.t = core::Timestamp{st.int64(1)};
  p.position = *position;
  p.speed_mps = st.optional_real(4);
  p.heading_deg = st.optional_real(5);
  p.accuracy_m = st.optional_real(6);
  p.altitude_m = st.optional_real(7);
  p.battery_pct = st.optional_real(8);
  p.received_at = core::Timestamp{st.int64(9)};
  return p;
}

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
    for (const auto& p : pings) {
      auto stmt = db.prepare(sql({"INSERT INTO track_points (tenant_id, ", kTrackColumns,
                                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (driver_id, t, lat_e7, lon_e7) DO NOTHING"}));
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
