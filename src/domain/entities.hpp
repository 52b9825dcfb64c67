#pragma once
// The entities of the product. Plain data: validation lives in the API layer's parsers and in the
// domain functions (milestone transitions); persistence in storage/.
//
// Every entity has `seq`: a storage-assigned, increasing number used only for keyset pagination and
// ordering. It is never shown to clients (cursors are opaque).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/milestone.hpp"
#include "domain/roles.hpp"

namespace lastmile::domain {

using core::LatLon;
using core::Timestamp;

enum class OutForDeliveryTrigger { kDepotDeparture, kRouteStart };
// Stable names: "depot_departure", "route_start".
std::string_view out_for_delivery_trigger_name(OutForDeliveryTrigger t);
std::optional<OutForDeliveryTrigger> parse_out_for_delivery_trigger(std::string_view name);

struct Tenant {
  int64_t seq = 0;
  core::TenantId id;
  std::string name;
  std::string brand_color;  // "#RRGGBB" or empty
  std::string brand_logo_url;  // domain/branding.hpp; empty: none
  // Privacy rule (DESIGN §6): the driver's live position is shown on a tracking page only while at
  // most this many stops remain before the customer's stop.
  int show_driver_within_stops = 1;
  // Devices reporting over the tracker protocols (OsmAnd, OwnTracks, MQTT) must also present their
  // device token; otherwise the device identifier alone is trusted (how Traccar works).
  bool require_device_secret = true;
  // Geofence radius of stops without their own radius, and of the depot (metres).
  double geofence_radius_m = 75;
  // When a started route's shipments become out_for_delivery: at the depot departure the driver's
  // positions show (default), or as soon as the route is started.
  OutForDeliveryTrigger out_for_delivery_on = OutForDeliveryTrigger::kDepotDeparture;
  // A proof of delivery captured farther than this from the address raises pod_location_mismatch
  // (docs/proof-of-delivery.md).
  double pod_max_distance_m = 150;
  Timestamp created_at;
  // Overrides of the server's defaults, set through the settings document (GET/PUT
  // /v1/tenant/settings, docs/settings.md); nullopt: the server's default applies.
  std::optional<int> geofence_dwell_s;        // a stay lasts this long before it is an arrival
  std::optional<int> device_offline_minutes;  // no ping this long on an active route: device_offline
  std::optional<int> stationary_minutes;      // standing still this long away from stops: stationary
  std::optional<int> tracking_stale_hours;    // no carrier event this long in transit: tracking_stale (0: off)
  // Whether the pipeline sets the automatic `arriving` milestone (the next stop's shipments as the
  // driver heads there); off: out_for_delivery goes straight to the delivery outcome.
  bool arriving_milestone = true;
};

// An API key or device token as stored: the secret itself is never stored, only its SHA-256.
// Presented secrets look like "lm_<prefix>_<secret>"; `prefix` is kept in clear for lookup.
struct Credential {
  int64_t seq = 0;
  core::ApiKeyId id;
  std::optional<core::TenantId> tenant_id;  // absent only for root
  Role role = Role::kDispatcher;
  std::string name;
  std::string prefix;
  std::string secret_hash;                   // sha256_hex of the full presented token
  std::optional<core::CarrierId> carrier_id; // set for role carrier
  std::optional<core::DriverId> driver_id;   // set for role driver (device tokens)
  Timestamp created_at;
  bool revoked = false;
};

struct Carrier {
  int64_t seq = 0;
  core::CarrierId id;
  core::TenantId tenant_id;
  std::string name;
  std::string code;  // short code, unique per tenant, e.g. "DHL" or "acme-couriers"
  std::string contact_email;
  std::string contact_phone;
  Timestamp created_at;
};

struct Driver {
  int64_t seq = 0;
  core::DriverId id;
  core::TenantId tenant_id;
  std::optional<core::CarrierId> carrier_id;
  std::string name;
  std::string phone;
  std::string email;
  std::string device_id;  // identifier trackers send (OsmAnd "id"); unique across all tenants
  std::optional<core::VehicleId> vehicle_id;
  Timestamp created_at;
};

struct Vehicle {
  int64_t seq = 0;
  core::VehicleId id;
  core::TenantId tenant_id;
  std::optional<core::CarrierId> carrier_id;
  std::string plate;
  std::string kind;  // "van", "bike", "car", "truck", "cargo_bike", "foot"
  double capacity_kg = 0;
  double capacity_m3 = 0;
  Timestamp created_at;
};

struct Recipient {
  std::string name;
  std::string phone;
  std::string email;
  std::string time_zone;  // IANA name, e.g. "Europe/Monaco"; empty = tenant default
};

struct Address {
  std::string line1;
  std::string line2;
  std::string city;
  std::string postal_code;
  std::string country;  // ISO 3166-1 alpha-2
  std::optional<LatLon> location;
};

struct Instructions {
  std::string gate_code;
  std::string safe_place;
  std::string note;
};

struct TimeWindow {
  Timestamp start;
  Timestamp end;
};

struct Parcel {
  std::string barcode;
  double weight_kg = 0;
  std::string description;
};

struct Shipment {
  int64_t seq = 0;
  core::ShipmentId id;
  core::TenantId tenant_id;
  std::string tracking_number;
  std::string tracking_token;  // 128-bit random, base64url
  std::string external_order_id;
  std::optional<core::CarrierId> carrier_id;
  Milestone status = Milestone::kCreated;
  Recipient recipient;
  Address address;
  Instructions instructions;
  std::optional<TimeWindow> promised;
  std::string service_level;  // "standard", "express", "same_day", …
  std::vector<Parcel> parcels;
  std::optional<core::RouteId> route_id;
  std::optional<core::StopId> stop_id;
  Timestamp created_at;
  Timestamp updated_at;
};

// One append-only change. `type` is a milestone name for status changes; later stages add other
// types (e.g. "eta_changed"). `global_seq` orders all events of the installation in commit order.
struct Event {
  int64_t global_seq = 0;
  core::EventId id;
  core::TenantId tenant_id;
  core::ShipmentId shipment_id;
  std::string type;
  std::optional<Milestone> milestone;  // set when the event changes the shipment's status
  Timestamp at;                        // when it happened (reported by the source)
  Timestamp recorded_at;               // when we stored it
  std::string actor;                   // credential id, "system", or "driver:<id>"
  std::string source;                  // "api", "driver_app", "route_start", "carrier:<code>", …
  std::optional<LatLon> location;
  std::string payload_json;            // extra fields as a JSON object text, "{}" when none
};

enum class RouteStatus { kPlanned, kInProgress, kCompleted, kCancelled };
std::string_view route_status_name(RouteStatus s);

enum class StopStatus { kPending, kArrived, kCompleted, kFailed, kSkipped };
std::string_view stop_status_name(StopStatus s);

struct Stop {
  core::StopId id;
  int sequence = 0;  // 0-based visiting order
  std::vector<core::ShipmentId> shipment_ids;
  int service_s = 0;
  std::optional<LatLon> location;  // from the first shipment's address when it has one
  StopStatus status = StopStatus::kPending;
  std::optional<Timestamp> eta;           // live ETA (P50), set by the pipeline (eta/estimator.hpp)
  std::optional<Timestamp> eta_earliest;  // P10 of the live ETA
  std::optional<Timestamp> eta_latest;    // P90 of the live ETA
  std::optional<double> radius_m;         // geofence radius; the tenant's default when absent
  std::optional<Timestamp> arrived_at;    // set by the geofence (first fix of the stay)
  std::optional<Timestamp> departed_at;   // set by the geofence
};

// A driver's pause on a route (a lunch break, a legal rest): taken where the driver is, after the
// route's first `after_stops` stops (0: before the first; the stop count: after the last), lasting
// `duration_s`, starting no earlier than `window`'s start when it has one. POST /v1/routes takes
// them; POST /v1/optimize with "apply" stores the breaks it planned. Live ETAs of the stops after a
// break include it while it lies ahead (eta/estimator.hpp).
struct RouteBreak {
  std::string id;  // the client's name for it, unique on the route
  int after_stops = 0;
  int duration_s = 0;
  std::optional<TimeWindow> window;  // when the break may start
};

struct Route {
  int64_t seq = 0;
  core::RouteId id;
  core::TenantId tenant_id;
  core::DriverId driver_id;
  std::optional<core::VehicleId> vehicle_id;
  std::string date;  // "YYYY-MM-DD"
  LatLon depot = *LatLon::from_unsafe({0, 0});
  RouteStatus status = RouteStatus::kPlanned;
  std::optional<Timestamp> started_at;
  std::vector<Stop> stops;
  std::vector<RouteBreak> breaks;  // in the order taken
  Timestamp created_at;
};

}  // namespace lastmile::domain
