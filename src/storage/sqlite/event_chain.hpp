#pragma once
// The per-shipment event hash chain in SQLite (pod/hash_chain.hpp defines the hash).
// Every event row carries prev_hash and hash (migration 9); insert_event_row fills them inside
// the caller's write transaction, so the chain is extended atomically with the event.

#include <vector>

#include "domain/entities.hpp"
#include "pod/hash_chain.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace lastmile::storage::sqlite {

// The chain fields of an event about to be stored (prev_hash/hash left empty).
pod::ChainedEvent chained_event_of(const domain::Event& event);

// The hash of the shipment's newest event, kGenesisHash when it has none.
// REQUIRES: inside a write transaction when the result is used to insert.
Result<std::string> last_event_hash(Connection& db, const core::TenantId& tenant, const core::ShipmentId& shipment);

// Computes prev_hash/hash for every event, per shipment in global_seq order (migration 9).
Status backfill_event_chain(Connection& db);

// Every stored event of one shipment (or, with an empty shipment id, of all shipments), ordered by
// tenant, shipment, global_seq, as chain records. `with_erasures` reads events.erased_by (migration
// 15, docs/privacy.md); false only for migrations that run before that column exists.
Result<std::vector<pod::ChainedEvent>> load_chain(Connection& db, const core::TenantId* tenant = nullptr,
                                                  const core::ShipmentId* shipment = nullptr,
                                                  bool with_erasures = true);

}  // namespace lastmile::storage::sqlite
