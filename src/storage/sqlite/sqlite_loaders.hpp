#pragma once
// Row loaders shared by the store's files: each runs inside the caller's transaction.

#include <optional>
#include <vector>

#include "domain/entities.hpp"
#include "ingest/ping.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace lastmile::storage::sqlite {

// The one shipment the query `stmt` selects (kShipmentColumns), with its parcels; kNotFound when none.
Result<domain::Shipment> fetch_shipment(Connection& db, Statement& stmt);
// Fills `r.stops` (in visiting order, each with its shipment ids in listed order) and `r.breaks`.
Status load_stops(Connection& db, domain::Route& r);
// Makes `breaks` the route's breaks (domain::RouteBreak), in the order given. The caller checked their
// ids are unique (the table's UNIQUE constraint backs it).
Status write_breaks(Connection& db, const core::TenantId& tenant, const core::RouteId& route,
                    const std::vector<domain::RouteBreak>& breaks);

// Track history (storage/track_chunk.hpp), of `driver` of `tenant`:
// every fix with t in [from, to), sorted by time (stable: equal times in writing order);
Result<std::vector<ingest::Ping>> read_track(Connection& db, const core::TenantId& tenant,
                                             const core::DriverId& driver, int64_t from, int64_t to);
// the newest fix; nullopt when there is none.
Result<std::optional<ingest::Ping>> read_latest_fix(Connection& db, const core::TenantId& tenant,
                                                    const core::DriverId& driver);

}  // namespace lastmile::storage::sqlite
