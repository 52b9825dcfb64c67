#pragma once
// Row ↔ entity mapping for the SQLite store. Each k*Columns list is the SELECT list its
// *_from_row reads, in that order; keep the two together when adding a column.
// A row whose enum text or coordinates do not parse is reported as kInternal (a corrupt row).

#include <optional>
#include <string>
#include <string_view>

#include "domain/entities.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/store.hpp"

namespace lastmile::storage::sqlite {

inline constexpr std::string_view kTenantColumns =
    "seq, id, name, brand_color, show_driver_within_stops, created_at, require_device_secret, geofence_radius_m, "
    "out_for_delivery_on, brand_logo_url, pod_max_distance_m, geofence_dwell_s, device_offline_minutes, "
    "stationary_minutes, tracking_stale_hours, arriving_milestone";
inline constexpr std::string_view kCredentialColumns =
    "seq, id, tenant_id, role, name, prefix, secret_hash, carrier_id, driver_id, revoked, created_at";
inline constexpr std::string_view kCarrierColumns =
    "seq, id, tenant_id, name, code, contact_email, contact_phone, created_at";
inline constexpr std::string_view kVehicleColumns =
    "seq, id, tenant_id, carrier_id, plate, kind, capacity_kg, capacity_m3, created_at";
inline constexpr std::string_view kDriverColumns =
    "seq, id, tenant_id, carrier_id, name, phone, email, device_id, vehicle_id, created_at";
inline constexpr std::string_view kShipmentColumns =
    "seq, id, tenant_id, tracking_number, tracking_token, external_order_id, carrier_id, status, "
    "recipient_name, recipient_phone, recipient_email, recipient_time_zone, "
    "address_line1, address_line2, address_city, address_postal_code, address_country, address_lat, address_lon, "
    "gate_code, safe_place, instructions_note, promised_start, promised_end, service_level, route_id, stop_id, "
    "created_at, updated_at";
inline constexpr std::string_view kParcelColumns = "barcode, weight_kg, description";
inline constexpr std::string_view kEventColumns =
    "global_seq, id, tenant_id, shipment_id, event_type, milestone, occurred_at, recorded_at, actor, source, "
    "lat, lon, payload";
inline constexpr std::string_view kRouteColumns =
    "seq, id, tenant_id, driver_id, vehicle_id, route_date, depot_lat, depot_lon, status, started_at, created_at";
inline constexpr std::string_view kStopColumns =
    "id, visit_order, service_s, lat, lon, status, eta, radius_m, arrived_at, departed_at, eta_earliest, eta_latest";
inline constexpr std::string_view kIdempotencyColumns = "idempotency_key, scope, request_hash, status_code, body";

// Columns of list_stop_visits: stops s joined with routes r.
inline constexpr std::string_view kStopVisitColumns =
    "s.route_id, r.driver_id, s.id, s.visit_order, s.lat, s.lon, s.service_s, s.arrived_at, s.departed_at";

Result<domain::Tenant> tenant_from_row(const Statement& s);
Result<StopVisitRecord> stop_visit_from_row(const Statement& s);
Result<domain::Credential> credential_from_row(const Statement& s);
Result<domain::Carrier> carrier_from_row(const Statement& s);
Result<domain::Vehicle> vehicle_from_row(const Statement& s);
Result<domain::Driver> driver_from_row(const Statement& s);
// Without parcels (they come from their own table).
Result<domain::Shipment> shipment_from_row(const Statement& s);
Result<domain::Parcel> parcel_from_row(const Statement& s);
Result<domain::Event> event_from_row(const Statement& s);
// Without stops (they come from their own table).
Result<domain::Route> route_from_row(const Statement& s);
// Without shipment ids (they come from stop_shipments).
Result<domain::Stop> stop_from_row(const Statement& s);
Result<IdempotencyRecord> idempotency_from_row(const Statement& s);

// Values to bind for optional fields: NULL when absent.
template <typename Tag>
std::optional<std::string> id_or_null(const std::optional<core::Id<Tag>>& id) {
  if (!id) return std::nullopt;
  return id->str();
}
inline std::optional<int64_t> ms_or_null(const std::optional<core::Timestamp>& t) {
  if (!t) return std::nullopt;
  return t->ms;
}
inline std::optional<double> lat_or_null(const std::optional<core::LatLon>& p) {
  if (!p) return std::nullopt;
  return p->lat();
}
inline std::optional<double> lon_or_null(const std::optional<core::LatLon>& p) {
  if (!p) return std::nullopt;
  return p->lon();
}

// The error for a row that cannot be read back (an unknown enum name, an invalid coordinate).
Error corrupt_row(std::string_view table);

}  // namespace lastmile::storage::sqlite
