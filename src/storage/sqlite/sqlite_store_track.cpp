// Track history: the durable GPS fixes of each driver, stored as chunks (storage/track_chunk.hpp).
#include <algorithm>
#include <limits>

#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/track_chunk.hpp"

namespace lastmile::storage::sqlite {
namespace {

int64_t saturating_add(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) return std::numeric_limits<int64_t>::max();
  return a + b;
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

Result<std::vector<ingest::Ping>> read_track(Connection& db, const core::TenantId& tenant,
                                             const core::DriverId& driver, int64_t from, int64_t to) {
  std::vector<ingest::Ping> out;
  if (from >= to) return out;
  auto stmt = db.prepare(
      "SELECT data FROM track_chunks WHERE driver_id = ? AND t_max >= ? AND t_max < ? AND t_min < ? "
      "AND tenant_id = ? ORDER BY t_max, seq");
  if (!stmt) return stmt.error();
  stmt->bind_all(driver.str(), from, saturating_add(to, kMaxChunkSpanMs), to, tenant.str());
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    auto points = decode_track_chunk(stmt->blob(0), driver);
    if (!points) return points.error();
    for (auto& p : *points)
      if (p.t.ms >= from && p.t.ms < to) out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
  return out;
}

Result<std::optional<ingest::Ping>> read_latest_fix(Connection& db, const core::TenantId& tenant,
                                                    const core::DriverId& driver) {
  using R = std::optional<ingest::Ping>;
  auto stmt = db.prepare(
      "SELECT data FROM track_chunks WHERE driver_id = ? AND tenant_id = ? ORDER BY t_max DESC, seq DESC LIMIT 1");
  if (!stmt) return stmt.error();
  stmt->bind_all(driver.str(), tenant.str());
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return R{};
  auto points = decode_track_chunk(stmt->blob(0), driver);
  if (!points) return points.error();
  if (points->empty()) return R{};
  // Sorted by time when written: the last fix is the newest (the last written of equal times).
  return R(std::move(points->back()));
}

namespace {

// The write of append_track_points: stores the new fixes of `pings`, counts them in `inserted`.
// `driver_known`: an earlier append for this driver committed (drivers are never deleted).
Status append_fixes(Connection& db, const core::TenantId& tenant, const core::DriverId& driver,
                    const std::vector<ingest::Ping>& pings, bool driver_known, int& inserted) {
  inserted = 0;
  if (!driver_known)
    if (auto ok = driver_exists(db, tenant, driver); !ok) return ok;
  auto chunks = plan_track_chunks(pings);
  if (chunks.empty()) return {};
  // Fixes already stored in the batch's time range (a re-sent batch, even across restarts): for a
  // writer in time order the range holds nothing, and this is one index seek.
  auto stored = read_track(db, tenant, driver, chunks.front().front()->t.ms,
                           saturating_add(chunks.back().back()->t.ms, 1));
  if (!stored) return stored.error();
  std::vector<TrackKey> known;
  known.reserve(stored->size());
  for (const auto& p : *stored) known.push_back(track_key(p));
  std::sort(known.begin(), known.end());
  const auto is_known = [&](const ingest::Ping* p) { return std::binary_search(known.begin(), known.end(), track_key(*p)); };

  static const std::string insert =
      "INSERT INTO track_chunks (tenant_id, driver_id, t_min, t_max, points, data) VALUES (?, ?, ?, ?, ?, ?)";
  for (auto& chunk : chunks) {
    if (!known.empty()) std::erase_if(chunk, is_known);
    if (chunk.empty()) continue;
    const std::string data = encode_track_chunk(chunk);
    auto stmt = db.prepare(insert);
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), driver.str(), chunk.front()->t.ms, chunk.back()->t.ms,
                   static_cast<int64_t>(chunk.size()));
    stmt->bind_blob(6, data);
    if (auto r = stmt->run(); !r) return r;
    inserted += static_cast<int>(chunk.size());
  }
  return {};
}

}  // namespace

Result<int> SqliteStore::append_track_points(const core::TenantId& tenant, const core::DriverId& driver,
                                             const std::vector<ingest::Ping>& pings) {
  int inserted = 0;
  const bool known = tracked_drivers_.contains(tenant, driver);
  Status st = write("append_track_points", [&](Connection& db, Events&) -> Status {
    return append_fixes(db, tenant, driver, pings, known, inserted);
  });
  if (!st) return st.error();
  tracked_drivers_.add(tenant, driver);
  return inserted;
}

void SqliteStore::append_track_points_async(const core::TenantId& tenant, const core::DriverId& driver,
                                            std::vector<ingest::Ping> pings, AppendDone done) {
  // The body and the completion share the count; both live until `done` was called.
  struct Write {
    core::TenantId tenant;
    core::DriverId driver;
    std::vector<ingest::Ping> pings;
    int inserted = 0;
  };
  auto w = std::make_shared<Write>(Write{tenant, driver, std::move(pings)});
  const bool known = tracked_drivers_.contains(tenant, driver);
  write_async(
      "append_track_points",
      [w, known](Connection& db, Events&) -> Status {
        return append_fixes(db, w->tenant, w->driver, w->pings, known, w->inserted);
      },
      [this, w, done = std::move(done)](Status st) {
        if (!st) return done(st.error());
        tracked_drivers_.add(w->tenant, w->driver);  // committed: the driver's row exists for good
        done(w->inserted);
      });
}

Result<std::optional<ingest::Ping>> SqliteStore::latest_track_point(const core::TenantId& tenant,
                                                                    const core::DriverId& driver) {
  using R = std::optional<ingest::Ping>;
  return read<R>("latest_track_point", [&](Connection& db) -> Result<R> { return read_latest_fix(db, tenant, driver); });
}

Result<std::vector<ingest::Ping>> SqliteStore::list_track_points(const core::TenantId& tenant,
                                                                 const core::DriverId& driver, core::Timestamp from,
                                                                 core::Timestamp to, int limit) {
  using R = std::vector<ingest::Ping>;
  return read<R>("list_track_points", [&](Connection& db) -> Result<R> {
    if (auto ok = driver_exists(db, tenant, driver); !ok) return ok.error();
    auto points = read_track(db, tenant, driver, from.ms, to.ms);
    if (!points) return points.error();
    if (limit >= 0 && points->size() > static_cast<size_t>(limit)) points->resize(static_cast<size_t>(limit));
    return points;
  });
}

}  // namespace lastmile::storage::sqlite
