// Proof of delivery: the proof's events, proof and blob rows in one transaction; reads of proofs
// and blobs; the per-shipment chain check (docs/proof-of-delivery.md).
#include "storage/sqlite/event_chain.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/sqlite/verify_database.hpp"

namespace lastmile::storage::sqlite {
namespace {

Status insert_blob_row(Connection& db, const core::TenantId& tenant, const BlobRecord& b, core::Timestamp at) {
  auto stmt = db.prepare(
      "INSERT INTO blobs (tenant_id, sha256, content_type, bytes, width, height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (tenant_id, sha256) DO NOTHING");
  if (!stmt) return stmt.error();
  return stmt->bind_all(tenant.str(), b.sha256, b.content_type, b.bytes, b.width, b.height, at.ms).run();
}

Status insert_proof_rows(Connection& db, const ProofWrite& w) {
  const domain::Event& e = w.event;
  auto proof = db.prepare("INSERT INTO proofs (tenant_id, shipment_id, event_id, kind, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!proof) return proof.error();
  if (auto st = proof->bind_all(e.tenant_id.str(), e.shipment_id.str(), e.id.str(), w.kind, e.recorded_at.ms).run(); !st)
    return st;
  for (const ProofBlob& pb : w.blobs) {
    if (auto st = insert_blob_row(db, e.tenant_id, pb.blob, e.recorded_at); !st) return st;
    auto link = db.prepare(
        "INSERT INTO proof_blobs (tenant_id, shipment_id, event_id, sha256, role) VALUES (?, ?, ?, ?, ?)");
    if (!link) return link.error();
    if (auto st = link->bind_all(e.tenant_id.str(), e.shipment_id.str(), e.id.str(), pb.blob.sha256, pb.role).run(); !st)
      return st;
  }
  return {};
}

Result<std::vector<ProofBlob>> load_proof_blobs(Connection& db, const core::TenantId& tenant, const std::string& event_id) {
  auto stmt = db.prepare(
      "SELECT pb.role, b.sha256, b.content_type, b.bytes, b.width, b.height FROM proof_blobs pb "
      "JOIN blobs b ON b.tenant_id = pb.tenant_id AND b.sha256 = pb.sha256 "
      "WHERE pb.tenant_id = ? AND pb.event_id = ? ORDER BY pb.seq");
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), event_id);
  std::vector<ProofBlob> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    ProofBlob pb;
    pb.role = stmt->text(0);
    pb.blob.sha256 = stmt->text(1);
    pb.blob.content_type = stmt->text(2);
    pb.blob.bytes = stmt->int64(3);
    pb.blob.width = stmt->optional_int64(4);
    pb.blob.height = stmt->optional_int64(5);
    out.push_back(std::move(pb));
  }
}

}  // namespace

Result<std::vector<domain::Event>> SqliteStore::record_proof(const ProofWrite& w, const IdempotencyRecord* idem) {
  std::vector<domain::Event> stored;
  Status st = write("record_proof", [&](Connection& db, Events& committed) -> Status {
    stored.clear();
    if (auto st = insert_idempotency(db, w.event.tenant_id, idem, w.event.recorded_at); !st) return st;
    auto e = insert_event(db, w.event.tenant_id, w.event, w.expected_status);
    if (!e) return e.error();
    if (auto st = insert_proof_rows(db, w); !st) return st;
    stored.push_back(*e);
    if (w.follow_up) {
      auto f = insert_event_row(db, *w.follow_up);
      if (!f) return f.error();
      stored.push_back(*f);
    }
    for (const auto& ev : stored) committed.push_back(ev);
    return {};
  });
  if (!st) return st.error();
  return stored;
}

Result<std::optional<StoredProof>> SqliteStore::latest_proof(const core::TenantId& tenant, const core::ShipmentId& id,
                                                             std::string_view kind) {
  using Found = std::optional<StoredProof>;
  return read<Found>("latest_proof", [&](Connection& db) -> Result<Found> {
    auto stmt = db.prepare(sql({"SELECT ", kEventColumns,
                                " FROM events WHERE global_seq = (SELECT MAX(e.global_seq) FROM proofs p JOIN events e "
                                "ON e.id = p.event_id WHERE p.tenant_id = ? AND p.shipment_id = ? AND p.kind = ?)"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str(), kind);
    auto event = fetch_optional<domain::Event>(*stmt, event_from_row);
    if (!event) return event.error();
    if (!*event) return Found{};
    auto blobs = load_proof_blobs(db, tenant, (*event)->id.str());
    if (!blobs) return blobs.error();
    return Found{StoredProof{std::move(**event), std::move(*blobs)}};
  });
}

Result<std::optional<BlobRecord>> SqliteStore::find_blob(const core::TenantId& tenant, std::string_view sha256) {
  using Found = std::optional<BlobRecord>;
  return read<Found>("find_blob", [&](Connection& db) -> Result<Found> {
    auto stmt = db.prepare(
        "SELECT sha256, content_type, bytes, width, height FROM blobs WHERE tenant_id = ? AND sha256 = ?");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str(), sha256).step();
    if (!row) return row.error();
    if (!*row) return Found{};
    BlobRecord b;
    b.sha256 = stmt->text(0);
    b.content_type = stmt->text(1);
    b.bytes = stmt->int64(2);
    b.width = stmt->optional_int64(3);
    b.height = stmt->optional_int64(4);
    auto users = db.prepare("SELECT DISTINCT shipment_id FROM proof_blobs WHERE tenant_id = ? AND sha256 = ?");
    if (!users) return users.error();
    users->bind_all(tenant.str(), sha256);
    while (true) {
      auto r = users->step();
      if (!r) return r.error();
      if (!*r) break;
      b.shipments.emplace_back(users->text(0));
    }
    return Found{std::move(b)};
  });
}

Result<ChainVerification> SqliteStore::verify_shipment(const core::TenantId& tenant, const core::ShipmentId& id) {
  return read<ChainVerification>("verify_shipment", [&](Connection& db) -> Result<ChainVerification> {
    auto report = verify_shipment_chain(db, tenant, id);
    if (!report) return report.error();
    ChainVerification out;
    out.events_checked = report->events_checked;
    for (auto& p : report->problems) out.problems.emplace_back(p.event_id, p.reason);
    return out;
  });
}

Result<double> SqliteStore::pod_max_distance_m(const core::TenantId& tenant) {
  return read<double>("pod_max_distance_m", [&](Connection& db) -> Result<double> {
    auto stmt = db.prepare("SELECT pod_max_distance_m FROM tenants WHERE id = ?");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str()).step();
    if (!row) return row.error();
    if (!*row) return core::Error::not_found("tenant");
    return stmt->real(0);
  });
}

}  // namespace lastmile::storage::sqlite
