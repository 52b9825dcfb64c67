#pragma once
// Row loaders shared by the store's files: each runs inside the caller's transaction.

#include "domain/entities.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace lastmile::storage::sqlite {

// The one shipment the query `stmt` selects (kShipmentColumns), with its parcels; kNotFound when none.
Result<domain::Shipment> fetch_shipment(Connection& db, Statement& stmt);
// Fills `r.stops` (in visiting order, each with its shipment ids in listed order).
Status load_stops(Connection& db, domain::Route& r);

}  // namespace lastmile::storage::sqlite
