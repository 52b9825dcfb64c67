#include "storage/sqlite/sqlite_rows.hpp"


namespace lastmile::storage::sqlite {
namespace {

using core::Timestamp;

template <typename IdT>
std::optional<IdT> optional_id(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return IdT(s.text(column));
}

Timestamp timestamp(const Statement& s, int column) { return Timestamp{s.int64(column)}; }

std::optional<Timestamp> optional_timestamp(const Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return timestamp(s, column);
}

// A location stored as two nullable columns: both NULL → nullopt; a half or out-of-range pair is
// corrupt (reported through `ok`).
std::optional<core::LatLon> optional_location(const Statement& s, int lat_column, int lon_column, bool& ok) {
  if (s.is_null(lat_column) && s.is_null(lon_column)) return std::nullopt;
  auto p = core::LatLon::from_unsafe({s.real(lat_column), s.real(lon_column)});
  if (!p || s.is_null(lat_column) || s.is_null(lon_column)) ok = false;
  return p;
}

std::optional<domain::RouteStatus> parse_route_status(std::string_view text) {
  using domain::RouteStatus;
  for (auto s : {RouteStatus::kPlanned, RouteStatus::kInProgress, RouteStatus::kCompleted, RouteStatus::kCancelled})
    if (domain::route_status_name(s) == text) return s;
  return std::nullopt;
}

std::optional<domain::StopStatus> parse_stop_status(std::string_view text) {
  using domain::StopStatus;
  for (auto s : {StopStatus::kPending, StopStatus::kArrived, StopStatus::kCompleted, StopStatus::kFailed,
                 StopStatus::kSkipped})
    if (domain::stop_status_name(s) == text) return s;
  return std::nullopt;
}

}  // namespace

Error corrupt_row(std::string_view table) {
  return Error{core::ErrorCode::kInternal, "storage error: unreadable row in " + std::string(table), ""};
}

Result<domain::Tenant> tenant_from_row(const Statement& s) {
  domain::Tenant t;
  t.seq = s.int64(0);
  t.id = core::TenantId(s.text(1));
  t.name = s.text(2);
  t.brand_color = s.text(3);
  t.show_driver_within_stops = static_cast<int>(s.int64(4));
  t.created_at = timestamp(s, 5);
  t.require_device_secret = s.int64(6) != 0;
  t.geofence_radius_m = s.real(7);
  auto trigger = domain::parse_out_for_delivery_trigger(s.text(8));
  if (!trigger) return corrupt_row("tenants");
  t.out_for_delivery_on = *trigger;
  t.brand_logo_url = s.text(9);
  t.pod_max_distance_m = s.real(10);
  std::optional<int>* overrides[] = {&t.geofence_dwell_s, &t.device_offline_minutes, &t.stationary_minutes,
                                     &t.tracking_stale_hours};
  for (int i = 0; i < 4; ++i)
    if (!s.is_null(11 + i)) *overrides[i] = static_cast<int>(s.int64(11 + i));
  t.arriving_milestone = s.int64(15) != 0;
  return t;
}

Result<domain::Credential> credential_from_row(const Statement& s) {
  domain::Credential c;
  c.seq = s.int64(0);
  c.id = core::ApiKeyId(s.text(1));
  c.tenant_id = optional_id<core::TenantId>(s, 2);
  auto role = domain::parse_role(s.text(3));
  if (!role) return corrupt_row("credentials");
  c.role = *role;
  c.name = s.text(4);
  c.prefix = s.text(5);
  c.secret_hash = s.text(6);
  c.carrier_id = optional_id<core::CarrierId>(s, 7);
  c.driver_id = optional_id<core::DriverId>(s, 8);
  c.revoked = s.int64(9) != 0;
  c.created_at = timestamp(s, 10);
  return c;
}

Result<domain::Carrier> carrier_from_row(const Statement& s) {
  domain::Carrier c;
  c.seq = s.int64(0);
  c.id = core::CarrierId(s.text(1));
  c.tenant_id = core::TenantId(s.text(2));
  c.name = s.text(3);
  c.code = s.text(4);
  c.contact_email = s.text(5);
  c.contact_phone = s.text(6);
  c.created_at = timestamp(s, 7);
  return c;
}

Result<domain::Vehicle> vehicle_from_row(const Statement& s) {
  domain::Vehicle v;
  v.seq = s.int64(0);
  v.id = core::VehicleId(s.text(1));
  v.tenant_id = core::TenantId(s.text(2));
  v.carrier_id = optional_id<core::CarrierId>(s, 3);
  v.plate = s.text(4);
  v.kind = s.text(5);
  v.capacity_kg = s.real(6);
  v.capacity_m3 = s.real(7);
  v.created_at = timestamp(s, 8);
  return v;
}

Result<domain::Driver> driver_from_row(const Statement& s) {
  domain::Driver d;
  d.seq = s.int64(0);
  d.id = core::DriverId(s.text(1));
  d.tenant_id = core::TenantId(s.text(2));
  d.carrier_id = optional_id<core::CarrierId>(s, 3);
  d.name = s.text(4);
  d.phone = s.text(5);
  d.email = s.text(6);
  d.device_id = s.text(7);
  d.vehicle_id = optional_id<core::VehicleId>(s, 8);
  d.created_at = timestamp(s, 9);
  return d;
}

Result<domain::Shipment> shipment_from_row(const Statement& s) {
  domain::Shipment sh;
  sh.seq = s.int64(0);
  sh.id = core::ShipmentId(s.text(1));
  sh.tenant_id = core::TenantId(s.text(2));
  sh.tracking_number = s.text(3);
  sh.tracking_token = s.text(4);
  sh.external_order_id = s.text(5);
  sh.carrier_id = optional_id<core::CarrierId>(s, 6);
  auto status = domain::parse_milestone(s.text(7));
  if (!status) return corrupt_row("shipments");
  sh.status = *status;
  sh.recipient = {s.text(8), s.text(9), s.text(10), s.text(11)};
  bool ok = true;
  sh.address = {s.text(12), s.text(13), s.text(14), s.text(15), s.text(16), optional_location(s, 17, 18, ok)};
  if (!ok) return corrupt_row("shipments");
  sh.instructions = {s.text(19), s.text(20), s.text(21)};
  auto start = optional_timestamp(s, 22);
  auto end = optional_timestamp(s, 23);
  if (start.has_value() != end.has_value()) return corrupt_row("shipments");
  if (start) sh.promised = domain::TimeWindow{*start, *end};
  sh.service_level = s.text(24);
  sh.route_id = optional_id<core::RouteId>(s, 25);
  sh.stop_id = optional_id<core::StopId>(s, 26);
  sh.created_at = timestamp(s, 27);
  sh.updated_at = timestamp(s, 28);
  return sh;
}

Result<domain::Parcel> parcel_from_row(const Statement& s) {
  return domain::Parcel{s.text(0), s.real(1), s.text(2)};
}

Result<domain::Event> event_from_row(const Statement& s) {
  domain::Event e;
  e.global_seq = s.int64(0);
  e.id = core::EventId(s.text(1));
  e.tenant_id = core::TenantId(s.text(2));
  e.shipment_id = core::ShipmentId(s.text(3));
  e.type = s.text(4);
  if (!s.is_null(5)) {
    e.milestone = domain::parse_milestone(s.text(5));
    if (!e.milestone) return corrupt_row("events");
  }
  e.at = timestamp(s, 6);
  e.recorded_at = timestamp(s, 7);
  e.actor = s.text(8);
  e.source = s.text(9);
  bool ok = true;
  e.location = optional_location(s, 10, 11, ok);
  if (!ok) return corrupt_row("events");
  e.payload_json = s.text(12);
  return e;
}

Result<domain::Route> route_from_row(const Statement& s) {
  domain::Route r;
  r.seq = s.int64(0);
  r.id = core::RouteId(s.text(1));
  r.tenant_id = core::TenantId(s.text(2));
  r.driver_id = core::DriverId(s.text(3));
  r.vehicle_id = optional_id<core::VehicleId>(s, 4);
  r.date = s.text(5);
  bool ok = true;
  auto depot = optional_location(s, 6, 7, ok);
  auto status = parse_route_status(s.text(8));
  if (!ok || !depot || !status) return corrupt_row("routes");
  r.depot = *depot;
  r.status = *status;
  r.started_at = optional_timestamp(s, 9);
  r.created_at = timestamp(s, 10);
  return r;
}

Result<domain::Stop> stop_from_row(const Statement& s) {
  domain::Stop st;
  st.id = core::StopId(s.text(0));
  st.sequence = static_cast<int>(s.int64(1));
  st.service_s = static_cast<int>(s.int64(2));
  bool ok = true;
  st.location = optional_location(s, 3, 4, ok);
  auto status = parse_stop_status(s.text(5));
  if (!ok || !status) return corrupt_row("stops");
  st.status = *status;
  st.eta = optional_timestamp(s, 6);
  st.radius_m = s.optional_real(7);
  st.arrived_at = optional_timestamp(s, 8);
  st.departed_at = optional_timestamp(s, 9);
  st.eta_earliest = optional_timestamp(s, 10);
  st.eta_latest = optional_timestamp(s, 11);
  return st;
}

Result<StopVisitRecord> stop_visit_from_row(const Statement& s) {
  StopVisitRecord v;
  v.route_id = core::RouteId(s.text(0));
  v.driver_id = core::DriverId(s.text(1));
  v.stop_id = core::StopId(s.text(2));
  v.sequence = static_cast<int>(s.int64(3));
  bool ok = true;
  v.location = optional_location(s, 4, 5, ok);
  v.service_s = static_cast<int>(s.int64(6));
  auto arrived = optional_timestamp(s, 7);
  auto departed = optional_timestamp(s, 8);
  if (!ok || !arrived || !departed) return corrupt_row("stops");
  v.arrived_at = *arrived;
  v.departed_at = *departed;
  return v;
}

Result<IdempotencyRecord> idempotency_from_row(const Statement& s) {
  return IdempotencyRecord{s.text(0), s.text(1), s.text(2), static_cast<int>(s.int64(3)), s.text(4)};
}

}  // namespace lastmile::storage::sqlite
