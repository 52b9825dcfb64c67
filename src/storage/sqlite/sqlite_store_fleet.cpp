// SqliteStore: carriers, drivers and vehicles.
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {

// ---- carriers -----------------------------------------------------------------------------------

Status SqliteStore::create_carrier(const domain::Carrier& carrier, const IdempotencyRecord* idem) {
  return write("create_carrier", [&](Connection& db, Events&) -> Status {
    if (auto st = insert_idempotency(db, carrier.tenant_id, idem, carrier.created_at); !st) return st;
    auto stmt = db.prepare(
        "INSERT INTO carriers (id, tenant_id, name, code, contact_email, contact_phone, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    Status st = stmt->bind_all(carrier.id.str(), carrier.tenant_id.str(), carrier.name, carrier.code,
                               carrier.contact_email, carrier.contact_phone, carrier.created_at.ms)
                    .run();
    if (!st && st.error().field == "code")
      return Error{core::ErrorCode::kConflict, "a carrier with this code already exists", "code"};
    return st;
  });
}

Result<domain::Carrier> SqliteStore::get_carrier(const core::TenantId& tenant, const core::CarrierId& id) {
  return read<domain::Carrier>("get_carrier", [&](Connection& db) -> Result<domain::Carrier> {
    auto stmt = db.prepare(sql({"SELECT ", kCarrierColumns, " FROM carriers WHERE tenant_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    return fetch_one<domain::Carrier>(*stmt, carrier_from_row, "carrier");
  });
}

Result<Page<domain::Carrier>> SqliteStore::list_carriers(const core::TenantId& tenant, const PageRequest& page) {
  return read<Page<domain::Carrier>>("list_carriers", [&](Connection& db) -> Result<Page<domain::Carrier>> {
    auto stmt = db.prepare(sql({"SELECT ", kCarrierColumns,
                                " FROM carriers WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), page_before(page), page_fetch_limit(page));
    return fetch_page<domain::Carrier>(*stmt, page, carrier_from_row);
  });
}

// ---- drivers ------------------------------------------------------------------------------------

Status SqliteStore::create_driver(const domain::Driver& driver, const domain::Credential& device_token,
                                  const IdempotencyRecord* idem) {
  return write("create_driver", [&](Connection& db, Events&) -> Status {
    if (auto st = insert_idempotency(db, driver.tenant_id, idem, driver.created_at); !st) return st;
    auto stmt = db.prepare(
        "INSERT INTO drivers (id, tenant_id, carrier_id, name, phone, email, device_id, vehicle_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    Status st = stmt->bind_all(driver.id.str(), driver.tenant_id.str(), id_or_null(driver.carrier_id), driver.name,
                               driver.phone, driver.email, driver.device_id, id_or_null(driver.vehicle_id),
                               driver.created_at.ms)
                    .run();
    if (!st && st.error().field == "device_id")
      return Error{core::ErrorCode::kConflict, "this device_id is already in use", "device_id"};
    if (!st) return st;
    return insert_credential(db, device_token);
  });
}

Result<domain::Driver> SqliteStore::get_driver(const core::TenantId& tenant, const core::DriverId& id) {
  return read<domain::Driver>("get_driver", [&](Connection& db) -> Result<domain::Driver> {
    auto stmt = db.prepare(sql({"SELECT ", kDriverColumns, " FROM drivers WHERE tenant_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    return fetch_one<domain::Driver>(*stmt, driver_from_row, "driver");
  });
}

Result<Page<domain::Driver>> SqliteStore::list_drivers(const core::TenantId& tenant,
                                                       std::optional<core::CarrierId> carrier,
                                                       const PageRequest& page) {
  return read<Page<domain::Driver>>("list_drivers", [&](Connection& db) -> Result<Page<domain::Driver>> {
    auto stmt = db.prepare(sql({"SELECT ", kDriverColumns, " FROM drivers WHERE tenant_id = ?",
                                carrier ? " AND carrier_id = ?" : "", " AND seq < ? ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    int i = 1;
    stmt->bind(i++, tenant.str());
    if (carrier) stmt->bind(i++, carrier->str());
    stmt->bind(i++, page_before(page));
    stmt->bind(i++, page_fetch_limit(page));
    return fetch_page<domain::Driver>(*stmt, page, driver_from_row);
  });
}

// ---- vehicles -----------------------------------------------------------------------------------

Status SqliteStore::create_vehicle(const domain::Vehicle& vehicle, const IdempotencyRecord* idem) {
  return write("create_vehicle", [&](Connection& db, Events&) -> Status {
    if (auto st = insert_idempotency(db, vehicle.tenant_id, idem, vehicle.created_at); !st) return st;
    auto stmt = db.prepare(
        "INSERT INTO vehicles (id, tenant_id, carrier_id, plate, kind, capacity_kg, capacity_m3, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    return stmt
        ->bind_all(vehicle.id.str(), vehicle.tenant_id.str(), id_or_null(vehicle.carrier_id), vehicle.plate,
                   vehicle.kind, vehicle.capacity_kg, vehicle.capacity_m3, vehicle.created_at.ms)
        .run();
  });
}

Result<domain::Vehicle> SqliteStore::get_vehicle(const core::TenantId& tenant, const core::VehicleId& id) {
  return read<domain::Vehicle>("get_vehicle", [&](Connection& db) -> Result<domain::Vehicle> {
    auto stmt = db.prepare(sql({"SELECT ", kVehicleColumns, " FROM vehicles WHERE tenant_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), id.str());
    return fetch_one<domain::Vehicle>(*stmt, vehicle_from_row, "vehicle");
  });
}

Result<Page<domain::Vehicle>> SqliteStore::list_vehicles(const core::TenantId& tenant, const PageRequest& page) {
  return read<Page<domain::Vehicle>>("list_vehicles", [&](Connection& db) -> Result<Page<domain::Vehicle>> {
    auto stmt = db.prepare(sql({"SELECT ", kVehicleColumns,
                                " FROM vehicles WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), page_before(page), page_fetch_limit(page));
    return fetch_page<domain::Vehicle>(*stmt, page, vehicle_from_row);
  });
}

}  // namespace lastmile::storage::sqlite
