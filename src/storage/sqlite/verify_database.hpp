#pragma once
// Offline integrity check of a whole database (`lastmile verify`, docs/proof-of-delivery.md):
// every shipment's event hash chain, and the bytes of every blob a proof references.

#include <string>
#include <vector>

#include "core/ids.hpp"
#include "storage/blob_store.hpp"
#include "storage/sqlite/sqlite_db.hpp"

namespace lastmile::storage::sqlite {

struct VerifyProblem {
  std::string shipment_id;
  std::string event_id;
  // hash_mismatch | broken_link | erasure_mismatch | blob_missing | blob_mismatch
  std::string reason;
};

struct VerifyReport {
  int64_t shipments_checked = 0;
  int64_t events_checked = 0;
  int64_t blobs_checked = 0;
  int64_t blobs_expired = 0;  // proof images expired by retention or erasure: not expected on disk
  std::vector<VerifyProblem> problems;
};

// Reads in one read transaction. `blobs` null: blob bytes are not checked (blobs_checked stays 0).
Result<VerifyReport> verify_database(Connection& db, const BlobStore* blobs);

// The chain problems of one shipment's events (for GET …/proof).
Result<VerifyReport> verify_shipment_chain(Connection& db, const core::TenantId& tenant,
                                           const core::ShipmentId& shipment);

}  // namespace lastmile::storage::sqlite
