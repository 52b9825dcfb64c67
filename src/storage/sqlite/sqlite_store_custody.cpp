// SqliteStore: chain of custody (scans) and one-time driver sign-in links.
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

constexpr std::string_view kScanColumns =
    "id, tenant_id, shipment_id, parcel_index, barcode, kind, at, recorded_at, actor, driver_id, route_id, lat, lon, "
    "accuracy_m, to_carrier_id, warnings, request_hash, response, seq";

// Warnings are stored as their names, comma-separated ("" for none).
std::string warnings_text(const std::vector<domain::ScanWarning>& warnings) {
  std::string out;
  for (auto w : warnings) {
    if (!out.empty()) out += ',';
    out += domain::scan_warning_name(w);
  }
  return out;
}

std::vector<domain::ScanWarning> warnings_from_text(std::string_view text) {
  std::vector<domain::ScanWarning> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    for (auto w : {domain::ScanWarning::kWrongRoute, domain::ScanWarning::kDuplicateScan,
                   domain::ScanWarning::kOutOfSequence})
      if (domain::scan_warning_name(w) == name) out.push_back(w);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

Result<StoredScan> scan_from_row(const Statement& s) {
  StoredScan out;
  auto& scan = out.scan;
  scan.id = s.text(0);
  scan.tenant_id = core::TenantId(s.text(1));
  scan.shipment_id = core::ShipmentId(s.text(2));
  scan.parcel_index = static_cast<int>(s.int64(3));
  scan.barcode = s.text(4);
  auto kind = domain::parse_scan_kind(s.text(5));
  if (!kind) return Error{core::ErrorCode::kInternal, "storage error: unreadable row in scans", ""};
  scan.kind = *kind;
  scan.at = core::Timestamp{s.int64(6)};
  scan.recorded_at = core::Timestamp{s.int64(7)};
  scan.actor = s.text(8);
  if (auto d = s.optional_text(9)) scan.driver_id = core::DriverId(*d);
  if (auto r = s.optional_text(10)) scan.route_id = core::RouteId(*r);
  if (!s.is_null(11) && !s.is_null(12)) scan.location = core::LatLon::from_unsafe({s.real(11), s.real(12)});
  scan.accuracy_m = s.optional_real(13);
  if (auto c = s.optional_text(14)) scan.to_carrier_id = core::CarrierId(*c);
  scan.warnings = warnings_from_text(s.text(15));
  out.request_hash = s.text(16);
  out.response = s.text(17);
  scan.seq = s.int64(18);
  return out;
}

Result<bool> scan_exists(Connection& db, const core::TenantId& tenant, std::string_view id) {
  auto stmt = db.prepare("SELECT 1 FROM scans WHERE tenant_id = ? AND id = ?");
  if (!stmt) return stmt.error();
  return stmt->bind_all(tenant.str(), id).step();
}

// A driver is shut out when it had credentials and every one of them is revoked.
Result<bool> driver_shut_out(Connection& db, const core::TenantId& tenant, const core::DriverId& driver) {
  auto stmt = db.prepare(
      "SELECT COUNT(*), COALESCE(SUM(revoked), 0) FROM credentials WHERE tenant_id = ? AND driver_id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str(), driver.str()).step();
  if (!row) return row.error();
  if (!*row) return false;
  const int64_t total = stmt->int64(0);
  const int64_t revoked = stmt->int64(1);
  return total > 0 && total == revoked;
}

Error invalid_code() {
  return Error{core::ErrorCode::kInvalidCode, "this sign-in code is not valid (unknown, used or expired)", "code"};
}

}  // namespace

// ---- scans --------------------------------------------------------------------------------------

Result<ParcelRef> SqliteStore::find_parcel_by_barcode(const core::TenantId& tenant, std::string_view barcode) {
  return read<ParcelRef>("find_parcel_by_barcode", [&](Connection& db) -> Result<ParcelRef> {
    auto stmt = db.prepare(
        "SELECT shipment_id, item_order FROM parcels WHERE tenant_id = ? AND barcode = ? ORDER BY seq LIMIT 1");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str(), barcode).step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("parcel");
    return ParcelRef{core::ShipmentId(stmt->text(0)), static_cast<int>(stmt->int64(1))};
  });
}

Result<std::optional<StoredScan>> SqliteStore::find_scan(const core::TenantId& tenant, std::string_view scan_id) {
  using Found = std::optional<StoredScan>;
  return read<Found>("find_scan", [&](Connection& db) -> Result<Found> {
    auto stmt = db.prepare(sql({"SELECT ", kScanColumns, " FROM scans WHERE tenant_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str(), scan_id).step();
    if (!row) return row.error();
    if (!*row) return Found{};
    auto scan = scan_from_row(*stmt);
    if (!scan) return scan.error();
    return Found{std::move(*scan)};
  });
}

Result<std::vector<domain::Scan>> SqliteStore::list_scans(const core::TenantId& tenant, const core::ShipmentId& id) {
  using Scans = std::vector<domain::Scan>;
  return read<Scans>("list_scans", [&](Connection& db) -> Result<Scans> {
    auto shipment = db.prepare("SELECT 1 FROM shipments WHERE tenant_id = ? AND id = ?");
    if (!shipment) return shipment.error();
    auto found = shipment->bind_all(tenant.str(), id.str()).step();
    if (!found) return found.error();
    if (!*found) return Error::not_found("shipment");
    auto stmt = db.prepare(
        sql({"SELECT ", kScanColumns, " FROM scans WHERE tenant_id = ? AND shipment_id = ? ORDER BY seq"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    Scans out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      auto scan = scan_from_row(*stmt);
      if (!scan) return scan.error();
      out.push_back(std::move(scan->scan));
    }
    return out;
  });
}

Result<domain::Event> SqliteStore::record_scan(const StoredScan& stored, const domain::Event& event) {
  std::optional<domain::Event> out;
  const auto& scan = stored.scan;
  Status st = write("record_scan", [&](Connection& db, Events& committed) -> Status {
    // The writer is serialized: this check and the insert below cannot interleave with another scan.
    auto exists = scan_exists(db, scan.tenant_id, scan.id);
    if (!exists) return exists.error();
    if (*exists) return Error{core::ErrorCode::kIdempotencyConflict, "a scan with this id exists", "id"};
    auto e = insert_event(db, scan.tenant_id, event, domain::Milestone::kCreated);
    if (!e) return e.error();
    auto stmt = db.prepare(
        "INSERT INTO scans (id, tenant_id, shipment_id, parcel_index, barcode, kind, at, recorded_at, actor, "
        "driver_id, route_id, lat, lon, accuracy_m, to_carrier_id, warnings, event_id, request_hash, response) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    Status ins = stmt->bind_all(scan.id, scan.tenant_id.str(), scan.shipment_id.str(), scan.parcel_index,
                                scan.barcode, domain::scan_kind_name(scan.kind), scan.at.ms, scan.recorded_at.ms,
                                scan.actor, id_or_null(scan.driver_id), id_or_null(scan.route_id),
                                lat_or_null(scan.location), lon_or_null(scan.location), scan.accuracy_m,
                                id_or_null(scan.to_carrier_id), warnings_text(scan.warnings), e->id.str(),
                                stored.request_hash, stored.response)
                     .run();
    if (!ins) return ins;
    committed.push_back(*e);
    out = std::move(*e);
    return {};
  });
  if (!st) return st.error();
  return std::move(*out);
}

// ---- sign-in links ------------------------------------------------------------------------------

Status SqliteStore::create_login_link(const LoginLink& link) {
  return write("create_login_link", [&](Connection& db, Events&) -> Status {
    auto driver = db.prepare("SELECT 1 FROM drivers WHERE tenant_id = ? AND id = ?");
    if (!driver) return driver.error();
    auto found = driver->bind_all(link.tenant_id.str(), link.driver_id.str()).step();
    if (!found) return found.error();
    if (!*found) return Error{core::ErrorCode::kNotFound, "driver not found", "driver_id"};
    auto stmt = db.prepare(
        "INSERT INTO login_links (code_hash, tenant_id, driver_id, created_by, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    return stmt
        ->bind_all(link.code_hash, link.tenant_id.str(), link.driver_id.str(), link.created_by, link.created_at.ms,
                   link.expires_at.ms)
        .run();
  });
}

Result<domain::Driver> SqliteStore::redeem_login_link(std::string_view code_hash, core::Timestamp now,
                                                      const domain::Credential& credential) {
  std::optional<domain::Driver> out;
  Status st = write("redeem_login_link", [&](Connection& db, Events&) -> Status {
    // Consume first: the conditional UPDATE is the single-use guarantee.
    auto use = db.prepare(
        "UPDATE login_links SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? "
        "RETURNING tenant_id, driver_id");
    if (!use) return use.error();
    auto row = use->bind_all(now.ms, code_hash, now.ms).step();
    if (!row) return row.error();
    if (!*row) return invalid_code();
    const core::TenantId tenant(use->text(0));
    const core::DriverId driver_id(use->text(1));
    if (auto st = use->run(); !st) return st;
    auto shut = driver_shut_out(db, tenant, driver_id);
    if (!shut) return shut.error();
    if (*shut) return invalid_code();  // rolls back the consumption too: nothing is written
    auto stmt = db.prepare(sql({"SELECT ", kDriverColumns, " FROM drivers WHERE tenant_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), driver_id.str());
    auto driver = fetch_one<domain::Driver>(*stmt, driver_from_row, "driver");
    if (!driver) return driver.error().code == core::ErrorCode::kNotFound ? invalid_code() : driver.error();
    domain::Credential c = credential;
    c.tenant_id = tenant;
    c.driver_id = driver_id;
    c.carrier_id = driver->carrier_id;
    if (auto st = insert_credential(db, c); !st) return st;
    out = std::move(*driver);
    return {};
  });
  if (!st) return st.error();
  return std::move(*out);
}

}  // namespace lastmile::storage::sqlite
