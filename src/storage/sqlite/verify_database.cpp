#include "storage/sqlite/verify_database.hpp"

#include "core/crypto.hpp"
#include "storage/sqlite/event_chain.hpp"

namespace lastmile::storage::sqlite {
namespace {

// Verifies consecutive runs of one shipment's events in `events` (ordered by tenant, shipment).
void check_chains(const std::vector<pod::ChainedEvent>& events, VerifyReport& report) {
  size_t begin = 0;
  while (begin < events.size()) {
    size_t end = begin;
    while (end < events.size() && events[end].tenant_id == events[begin].tenant_id &&
           events[end].shipment_id == events[begin].shipment_id)
      ++end;
    std::vector<pod::ChainedEvent> one(events.begin() + begin, events.begin() + end);
    for (auto& p : pod::verify_chain(one)) report.problems.push_back({events[begin].shipment_id, p.event_id, p.reason});
    report.shipments_checked += 1;
    report.events_checked += static_cast<int64_t>(end - begin);
    begin = end;
  }
}

Status check_blobs(Connection& db, const BlobStore& blobs, VerifyReport& report) {
  auto stmt = db.prepare("SELECT shipment_id, event_id, sha256, expired_at IS NOT NULL FROM proof_blobs ORDER BY seq");
  if (!stmt) return stmt.error();
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return {};
    const std::string sha = stmt->text(2);
    if (stmt->int64(3) != 0) {  // expired (docs/privacy.md): the digest stays in the proof, the file may be gone
      report.blobs_expired += 1;
      continue;
    }
    report.blobs_checked += 1;
    auto bytes = blobs.get(sha);
    if (!bytes) {
      report.problems.push_back({stmt->text(0), stmt->text(1), "blob_missing"});
    } else if (core::sha256_hex(*bytes) != sha) {
      report.problems.push_back({stmt->text(0), stmt->text(1), "blob_mismatch"});
    }
  }
}

}  // namespace

Result<VerifyReport> verify_database(Connection& db, const BlobStore* blobs) {
  auto tx = Transaction::begin(db, Transaction::Kind::kRead);
  if (!tx) return tx.error();
  VerifyReport report;
  auto events = load_chain(db);
  if (!events) return events.error();
  check_chains(*events, report);
  if (blobs) {
    if (auto st = check_blobs(db, *blobs, report); !st) return st.error();
  }
  return report;
}

Result<VerifyReport> verify_shipment_chain(Connection& db, const core::TenantId& tenant,
                                           const core::ShipmentId& shipment) {
  VerifyReport report;
  auto events = load_chain(db, &tenant, &shipment);
  if (!events) return events.error();
  check_chains(*events, report);
  return report;
}

}  // namespace lastmile::storage::sqlite
