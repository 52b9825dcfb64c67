#pragma once
// The storage interface. One implementation per database (sqlite/ now, postgres/ later); both
// must pass tests/unit/storage. Every method that reads or writes tenant data takes the TenantId
// and never returns another tenant's rows: a row of another tenant is reported as kNotFound.
//
// Threading: every method may be called from any thread concurrently.
// Durability: a method that returns success has committed (the write is on disk per the
// database's synchronous setting; SQLite runs with synchronous=FULL).
// Events: every committed Event is handed to StoreOptions::on_commit, in commit order, before the
// writing method returns.
// Errors common to all methods: a reference to a row the tenant does not have (e.g. a carrier_id
// of another tenant) is kNotFound; kUnavailable when the database is busy or unreachable;
// kInternal for anything unexpected (its message names no data, only the failed operation).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/custody.hpp"
#include "domain/entities.hpp"
#include "domain/exception_queue.hpp"
#include "ingest/ping.hpp"

namespace lastmile::storage {

using core::Result;
using core::Status;

struct PageRequest {
  int limit = 50;                       // 1..500, checked by the caller
  std::optional<int64_t> before_seq;    // keyset cursor: return rows with seq < before_seq
};

template <typename T>
struct Page {
  std::vector<T> items;                 // newest first (seq descending)
  std::optional<int64_t> next_before;   // set when more rows may follow
};

struct ShipmentFilter {
  std::optional<domain::Milestone> status;
  std::optional<core::CarrierId> carrier_id;
  std::optional<core::RouteId> route_id;
  std::optional<core::Timestamp> created_from;  // inclusive
  std::optional<core::Timestamp> created_to;    // exclusive
  // Matches tracking_number or external_order_id exactly, or a case-insensitive substring of the
  // recipient name.
  std::string text;
};

struct RouteFilter {
  std::optional<core::DriverId> driver_id;
  std::string date;  // "YYYY-MM-DD", empty = any
};

// A stored reply for an Idempotency-Key, written in the same transaction as the create it answers.
struct IdempotencyRecord {
  std::string key;           // the client's Idempotency-Key header
  std::string scope;         // the route, e.g. "POST /v1/shipments"
  std::string request_hash;  // sha256 of the request body
  int status = 201;
  std::string body;          // the response body that was sent
};

// ---- proof of delivery (docs/proof-of-delivery.md) ----
// A blob of the content-addressed blob store (storage/blob_store.hpp) as one tenant owns it.
struct BlobRecord {
  std::string sha256;
  std::string content_type;
  int64_t bytes = 0;
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  std::vector<core::ShipmentId> shipments;  // the shipments whose proofs reference it (on reads)
};

struct ProofBlob {
  std::string role;  // "photo" | "signature"
  BlobRecord blob;
};

// A proof to store: the event (`delivered` or `attempt_failed`, the proof in its payload) and the
// blobs it references (already written to the blob store), plus an optional second event
// (`pod_location_mismatch`) stored after it in the same transaction.
struct ProofWrite {
  domain::Event event;
  domain::Milestone expected_status = domain::Milestone::kOutForDelivery;  // compare-and-set as append_event
  std::string kind;  // "delivery" | "attempt"
  std::vector<ProofBlob> blobs;
  std::optional<domain::Event> follow_up;
};

struct StoredProof {
  domain::Event event;
  std::vector<ProofBlob> blobs;
};

// The result of checking one shipment's hash chain.
struct ChainVerification {
  int64_t events_checked = 0;
  std::vector<std::pair<std::string, std::string>> problems;  // (event id, reason)
};

// Everything the public tracking view shows, read in one transaction (a consistent snapshot).
struct TrackingSnapshot {
  domain::Shipment shipment;
  domain::Tenant tenant;
  std::vector<domain::Event> events;     // oldest first
  std::optional<domain::Carrier> carrier;
  std::optional<domain::Route> route;    // when the shipment is on a route
  std::optional<domain::Driver> driver;  // that route's driver
  // When the route is in progress: the status of every shipment on it (for the location-privacy
  // rules) and the driver's newest track point.
  std::vector<std::pair<core::ShipmentId, domain::Milestone>> route_statuses;
  std::optional<ingest::Ping> driver_position;
};

// What the geofence observed at one stop of a route. Unset fields are left as they are.
struct StopVisit {
  core::RouteId route_id;
  core::StopId stop_id;
  std::optional<core::Timestamp> arrived_at;
  std::optional<core::Timestamp> departed_at;
  std::optional<domain::StopStatus> status;
};

// A stop's live ETA (eta/estimator.hpp): P50 with its P10–P90 window.
struct StopEta {
  core::StopId stop_id;
  core::Timestamp eta;
  core::Timestamp earliest;
  core::Timestamp latest;
};

// A stop the driver arrived at and left (the geofence's times): history for learning ETAs.
struct StopVisitRecord {
  core::RouteId route_id;
  core::DriverId driver_id;
  core::StopId stop_id;
  int sequence = 0;
  std::optional<core::LatLon> location;
  int service_s = 0;  // planned
  core::Timestamp arrived_at;
  core::Timestamp departed_at;
};

// Group-commit counters of a store's write path (for /metrics): bodies / commits is the mean number
// of writes that shared one transaction (and one fsync).
struct WriteStats {
  int64_t bodies = 0;   // writes run (monotonic)
  int64_t commits = 0;  // transactions committed (monotonic)
  size_t queued = 0;    // writes waiting for the writer right now
};

// The exception queue (domain/exception_queue.hpp). Every set field must match.
struct ExceptionFilter {
  std::optional<domain::ExceptionStatus> status;
  std::optional<domain::ExceptionKind> kind;
  std::optional<core::DriverId> driver_id;
  std::optional<core::ShipmentId> shipment_id;
  std::optional<core::RouteId> route_id;
  // A carrier's view: shipment cases of its shipments, driver cases of its drivers.
  std::optional<core::CarrierId> carrier_id;
};

// A person's change to a case: acknowledge, resolve, or a note alone.
struct ExceptionUpdate {
  enum class Kind { kAcknowledge, kResolve, kNote };
  Kind kind = Kind::kNote;
  core::Timestamp at;
  std::string actor;  // credential id
  std::string role;   // the credential's role name
  std::string note;   // optional for acknowledge/resolve (then no note is recorded), required for kNote
  domain::Resolution resolution = domain::Resolution::kHandled;  // kResolve only
};

struct ExceptionDetail {
  domain::ExceptionCase exception;
  std::vector<domain::ExceptionEntry> history;  // oldest first: raises, state changes, notes
};

// Where a barcode is: the shipment and the parcel's 0-based position in it.
struct ParcelRef {
  core::ShipmentId shipment_id;
  int parcel_index = 0;
};

// A stored scan with the request it answered (POST /v1/scans replays `response` for the same id).
struct StoredScan {
  domain::Scan scan;
  std::string request_hash;  // sha256 of the canonical request
  std::string response;      // the 201 body that was sent
};

// A one-time sign-in link (POST /v1/drivers/{id}/login-links). Only the code's hash is stored.
struct LoginLink {
  std::string code_hash;  // sha256_hex of the code
  core::TenantId tenant_id;
  core::DriverId driver_id;
  std::string created_by;  // credential id
  core::Timestamp created_at;
  core::Timestamp expires_at;
};

struct StoreOptions {
  // Called after each commit that wrote events, with those events (global_seq set), in commit order.
  // It runs while the store still holds its writer lock: it must be quick, must not throw and must
  // not call the store (hand the events on, e.g. to the EventBus).
  std::function<void(const std::vector<domain::Event>&)> on_commit;
  // Called after each store operation with its name and duration, for metrics. The name is the
  // method's name ("create_shipment"). Must not throw.
  std::function<void(std::string_view op, double seconds)> on_timing;
};

class WebhookStore;  // webhook_store.hpp
class ChatStore;     // chat_store.hpp
class SurveyStore;   // survey_store.hpp
class NotificationStore;  // notification_store.hpp
class CarrierEventStore;  // carrier_event_store.hpp
class RoutePlanStore;     // route_plan_store.hpp
class PrivacyStore;  // privacy_store.hpp
class DeliveryHistoryStore;  // delivery_history_store.hpp
class IntakeStore;   // intake_store.hpp
class AnalyticsStore;  // analytics_store.hpp
class SettingsStore;  // settings_store.hpp

class Store {
 public:
  virtual ~Store() = default;

  // Webhook subscriptions and the outbox; null for a store without them.
  virtual WebhookStore* webhooks() { return nullptr; }
  // Chat threads and surveys (docs/chat-and-surveys.md); null for a store without them.
  virtual ChatStore* chat() { return nullptr; }
  virtual SurveyStore* surveys() { return nullptr; }
  // E-mail/SMS notifications; null for a store without them.
  virtual NotificationStore* notifications() { return nullptr; }
  // Carriers' own status events and code mappings (docs/carriers.md); null for a store without them.
  virtual CarrierEventStore* carrier_events() { return nullptr; }
  // Writing re-planned routes (docs/optimization.md); null for a store without it.
  virtual RoutePlanStore* route_plans() { return nullptr; }
  // Retention settings and passes, recipient erasure (docs/privacy.md); null for a store without them.
  virtual PrivacyStore* privacy() { return nullptr; }
  // Delivery attempts for personalised windows (docs/delivery-windows.md); null for a store without them.
  virtual DeliveryHistoryStore* delivery_history() { return nullptr; }
  // Batch shipment creation and the Shopify integration (docs/order-intake.md); null for a store without them.
  virtual IntakeStore* intake() { return nullptr; }
  // Carrier/driver analytics, rate cards and targets (docs/analytics.md); null for a store without them.
  virtual AnalyticsStore* analytics() { return nullptr; }
  // The tenant settings document, its audit trail and the tracking_stale pass (docs/settings.md);
  // null for a store without them.
  virtual SettingsStore* settings() { return nullptr; }

  // Readiness probe: a trivial query. Fails with kUnavailable when the database is unusable.
  virtual Status ping() = 0;
  // Checkpoints and flushes; called on graceful shutdown. Safe to call more than once.
  virtual Status flush() = 0;
  // The write path's counters; zeros for a store that does not group its writes.
  virtual WriteStats write_stats() const { return {}; }

  // ---- tenants and credentials -------------------------------------------------------------
  // Creates the tenant and its first credential (role tenant_admin) atomically.
  // kConflict (field "name") when a tenant of that name exists.
  virtual Status create_tenant(const domain::Tenant& tenant, const domain::Credential& admin_key) = 0;
  virtual Result<domain::Tenant> get_tenant(const core::TenantId& id) = 0;
  virtual Result<Page<domain::Tenant>> list_tenants(const PageRequest& page) = 0;

  // kConflict (field "prefix") when the prefix is taken (callers regenerate and retry).
  virtual Status create_credential(const domain::Credential& credential) = 0;
  // By clear prefix; nullopt when unknown. Returns revoked credentials too (caller checks).
  virtual Result<std::optional<domain::Credential>> find_credential(std::string_view prefix) = 0;
  // True if a root credential exists.
  virtual Result<bool> has_root_credential() = 0;
  virtual Result<Page<domain::Credential>> list_credentials(const core::TenantId& tenant,
                                                            const PageRequest& page) = 0;
  // kNotFound when it is not this tenant's. Revoking a revoked credential succeeds.
  virtual Status revoke_credential(const core::TenantId& tenant, const core::ApiKeyId& id) = 0;
  // Rotation: gives the tenant's credential `id` the clear prefix and secret hash that `next` makes
  // for it (called once, inside the write transaction, with the stored row; it must not call the
  // store). The old token stops working as this returns; id, role and bindings stay. Returns the
  // updated credential. kNotFound when it is not this tenant's; kConflict (field "id") when it is
  // revoked; kConflict (field "prefix") when the new prefix is taken. Nothing changes on error.
  struct CredentialSecret {
    std::string prefix;
    std::string secret_hash;
  };
  using NewCredentialSecret = std::function<CredentialSecret(const domain::Credential& current)>;
  virtual Result<domain::Credential> rotate_credential(const core::TenantId& tenant, const core::ApiKeyId& id,
                                                       const NewCredentialSecret& next) = 0;

  // ---- carriers, drivers, vehicles -----------------------------------------------------------
  // kConflict (field "code") when the tenant already has a carrier with that code.
  // For every create taking `idem`: the record is stored in the same transaction (nothing when
  // null); kIdempotencyConflict (field "Idempotency-Key") when idem->key was already used in this
  // tenant and scope, checked before the entity's own unique values.
  virtual Status create_carrier(const domain::Carrier& carrier, const IdempotencyRecord* idem) = 0;
  virtual Result<domain::Carrier> get_carrier(const core::TenantId& tenant, const core::CarrierId& id) = 0;
  virtual Result<Page<domain::Carrier>> list_carriers(const core::TenantId& tenant,
                                                      const PageRequest& page) = 0;

  // Creates the driver and its device credential (role driver) atomically.
  // kConflict (field "device_id") when the device id is used anywhere.
  virtual Status create_driver(const domain::Driver& driver, const domain::Credential& device_token,
                               const IdempotencyRecord* idem) = 0;
  virtual Result<domain::Driver> get_driver(const core::TenantId& tenant, const core::DriverId& id) = 0;
  virtual Result<Page<domain::Driver>> list_drivers(const core::TenantId& tenant,
                                                    std::optional<core::CarrierId> carrier,
                                                    const PageRequest& page) = 0;

  virtual Status create_vehicle(const domain::Vehicle& vehicle, const IdempotencyRecord* idem) = 0;
  virtual Result<domain::Vehicle> get_vehicle(const core::TenantId& tenant, const core::VehicleId& id) = 0;
  virtual Result<Page<domain::Vehicle>> list_vehicles(const core::TenantId& tenant,
                                                      const PageRequest& page) = 0;

  // ---- shipments and events ------------------------------------------------------------------
  // Inserts the shipment, its parcels and its "created" event in one transaction.
  // kConflict (field "external_order_id") when the tenant already has that external order id;
  // kConflict (field "tracking_number") on a (rare) tracking number collision;
  // kIdempotencyConflict when idem->key was already used in this tenant and scope.
  // An empty external_order_id means "none": any number of shipments may have it.
  virtual Status create_shipment(const domain::Shipment& shipment, const domain::Event& created,
                                 const IdempotencyRecord* idem) = 0;
  virtual Result<domain::Shipment> get_shipment(const core::TenantId& tenant, const core::ShipmentId& id) = 0;
  // kNotFound when the tenant has no shipment with that external order id, or it is empty.
  virtual Result<domain::Shipment> find_shipment_by_external_id(const core::TenantId& tenant,
                                                                std::string_view external_order_id) = 0;
  // Public lookup by tracking token (any tenant). kNotFound when unknown.
  virtual Result<domain::Shipment> find_shipment_by_token(std::string_view tracking_token) = 0;
  // The public tracking view's data for a token, in one read transaction. kNotFound when unknown.
  virtual Result<TrackingSnapshot> load_tracking(std::string_view tracking_token) = 0;
  virtual Result<Page<domain::Shipment>> list_shipments(const core::TenantId& tenant,
                                                        const ShipmentFilter& filter,
                                                        const PageRequest& page) = 0;
  // Updates recipient instructions only (kept for the tracking page) if the shipment's status is
  // still `expected_status` (what the caller checked); updated_at is not changed (it follows status
  // changes). kNotFound when not this tenant's shipment; kIllegalTransition when the status moved.
  virtual Status update_instructions(const core::TenantId& tenant, const core::ShipmentId& id,
                                     const domain::Instructions& instructions,
                                     domain::Milestone expected_status) = 0;

  // Appends `event` to the shipment. When event.milestone is set, compare-and-set: the shipment's
  // status must equal `expected_status`, else kConflict (the caller re-reads and retries); on
  // success the status becomes *event.milestone and updated_at becomes event.recorded_at.
  // Returns the stored event with global_seq set. kNotFound when not this tenant's shipment
  // (event.tenant_id is the tenant). Without a milestone, expected_status is ignored and the
  // shipment is not changed. An empty payload_json is stored (and returned) as "{}".
  virtual Result<domain::Event> append_event(const domain::Event& event,
                                             domain::Milestone expected_status) = 0;
  // All events of a shipment, oldest first (by global_seq). kNotFound when not this tenant's.
  virtual Result<std::vector<domain::Event>> list_events(const core::TenantId& tenant,
                                                         const core::ShipmentId& id) = 0;
  // Events of all tenants with global_seq > after, oldest first, at most `limit` (for consumers
  // that resume after a restart).
  virtual Result<std::vector<domain::Event>> events_after(int64_t after, int limit) = 0;
  // The same for one tenant's events only (a live stream's replay: never reads other tenants' rows).
  virtual Result<std::vector<domain::Event>> tenant_events_after(const core::TenantId& tenant, int64_t after,
                                                                 int limit) = 0;

  // ---- track points ------------------------------------------------------------------------
  // Stores the pings (all of `tenant`'s driver `driver`) in one durable write; a point already
  // stored (same driver, time and position) is skipped. Returns how many were new.
  // kNotFound when the driver is not this tenant's.
  virtual Result<int> append_track_points(const core::TenantId& tenant, const core::DriverId& driver,
                                          const std::vector<ingest::Ping>& pings) = 0;
  // The same, without blocking the caller: `done` gets the result once the write is durable (or
  // failed), on a thread of the store's; it must be quick and must not call the store. Writes
  // submitted one after another from one thread commit in that order. The default runs the
  // synchronous version on the caller's thread.
  using AppendDone = std::function<void(Result<int>)>;
  virtual void append_track_points_async(const core::TenantId& tenant, const core::DriverId& driver,
                                         std::vector<ingest::Ping> pings, AppendDone done) {
    done(append_track_points(tenant, driver, pings));
  }
  // The driver's newest point by fix time; nullopt when none.
  virtual Result<std::optional<ingest::Ping>> latest_track_point(const core::TenantId& tenant,
                                                                 const core::DriverId& driver) = 0;
  // Points with from <= t < to, oldest first, at most `limit`.
  virtual Result<std::vector<ingest::Ping>> list_track_points(const core::TenantId& tenant,
                                                              const core::DriverId& driver, core::Timestamp from,
                                                              core::Timestamp to, int limit) = 0;

  // ---- live location -----------------------------------------------------------------------
  // The driver whose tracker reports as `device_id` (any tenant: device ids are unique across
  // tenants). kNotFound when none.
  virtual Result<domain::Driver> find_driver_by_device(std::string_view device_id) = 0;
  // The driver's route in progress (the most recently started one when several are), with its
  // stops; nullopt when the driver has none.
  virtual Result<std::optional<domain::Route>> active_route(const core::TenantId& tenant,
                                                            const core::DriverId& driver) = 0;
  // Records geofence progress in one transaction: the visit on the stop (when `visit` is set) and
  // the events. Each event is applied only if its shipment's status still equals the expected one
  // (events with a milestone), else silently skipped: the geofence works from a snapshot, and a
  // shipment delivered or changed meanwhile must not move back. Returns the stored events.
  // kNotFound when the stop is not on that route of this tenant.
  virtual Result<std::vector<domain::Event>> record_route_progress(
      const core::TenantId& tenant, const std::optional<StopVisit>& visit,
      const std::vector<std::pair<domain::Event, domain::Milestone>>& events) = 0;
  // Sets the live ETA of stops of a route (a stop not on it is skipped). No event: the ETA is a
  // prediction, not a change of state.
  virtual Status update_stop_etas(const core::TenantId& tenant, const core::RouteId& route,
                                  const std::vector<StopEta>& etas) = 0;
  // Stops of `tenant` arrived at on or after `since` and departed, grouped by route (newest route
  // first) in visit order, at most `limit`.
  virtual Result<std::vector<StopVisitRecord>> list_stop_visits(const core::TenantId& tenant, core::Timestamp since,
                                                                int limit) = 0;
  // Retention: deletes track points (every tenant) whose fix time is before `cutoff`, at most
  // `limit` per call so a large purge does not hold the writer for long (driver by driver, oldest
  // first). Returns how many.
  virtual Result<int> delete_track_points_before(core::Timestamp cutoff, int limit) = 0;

  // ---- routes --------------------------------------------------------------------------------
  // Inserts the route and its stops and sets route_id/stop_id on each listed shipment, in one
  // transaction. kNotFound (field "driver_id") for an unknown driver; kNotFound (field
  // "stops[i].shipment_ids[j]") for a shipment that is not this tenant's; kConflict (same field)
  // for a shipment already on another route that is planned or in progress, or listed twice (the
  // field is the second listing). Also kNotFound (field "vehicle_id") for a vehicle_id that is not
  // this tenant's.
  virtual Status create_route(const domain::Route& route, const IdempotencyRecord* idem) = 0;
  virtual Result<domain::Route> get_route(const core::TenantId& tenant, const core::RouteId& id) = 0;
  virtual Result<Page<domain::Route>> list_routes(const core::TenantId& tenant, const RouteFilter& filter,
                                                  const PageRequest& page) = 0;
  // Marks a planned route in_progress with started_at = at and appends `events` (each with its
  // expected status, compare-and-set as in append_event) in the same transaction.
  // kIllegalTransition when the route is not planned; kConflict when a shipment changed meanwhile
  // (then nothing is written); kNotFound when not this tenant's route. Each event is stored under
  // `tenant`. Returns the stored events (global_seq set) in the order given.
  virtual Result<std::vector<domain::Event>> start_route(
      const core::TenantId& tenant, const core::RouteId& id, core::Timestamp at,
      const std::vector<std::pair<domain::Event, domain::Milestone>>& events) = 0;

  // ---- exception queue ------------------------------------------------------------------------
  // Cases are opened, counted and auto-resolved by the events that raise and clear them
  // (domain::exception_signals), in the transaction that stores the event: an acknowledged event's
  // case is durable with it. Newest first (by seq: the order cases were opened).
  virtual Result<Page<domain::ExceptionCase>> list_exceptions(const core::TenantId& tenant,
                                                              const ExceptionFilter& filter,
                                                              const PageRequest& page) = 0;
  // The case with its history. kNotFound when not this tenant's.
  virtual Result<ExceptionDetail> get_exception(const core::TenantId& tenant, const core::ExceptionId& id) = 0;
  // Applies `update` (domain::apply_action decides; a note changes no state) and records it in the
  // history, in one transaction; returns the case after it (revision increased).
  // kNotFound when not this tenant's; kIllegalTransition (field "status") when the state forbids it,
  // and then nothing is written.
  virtual Result<domain::ExceptionCase> update_exception(const core::TenantId& tenant, const core::ExceptionId& id,
                                                         const ExceptionUpdate& update) = 0;
  // The cases that the event `event` opened, counted or resolved (their current state); empty when
  // none. For the live push of changes made by events.
  virtual Result<std::vector<domain::ExceptionCase>> exceptions_of_event(const core::TenantId& tenant,
                                                                         const core::EventId& event) = 0;
  // Cases not resolved, of every tenant, per kind (kinds with none are absent). For /metrics.
  virtual Result<std::vector<std::pair<domain::ExceptionKind, int64_t>>> count_unresolved_exceptions() = 0;

  // ---- chain of custody (domain/custody.hpp) ---------------------------------------------------
  // The first parcel of this tenant (by shipment creation) with that barcode. kNotFound when none.
  virtual Result<ParcelRef> find_parcel_by_barcode(const core::TenantId& tenant, std::string_view barcode) = 0;
  // The scan with that client id; nullopt when the tenant has none.
  virtual Result<std::optional<StoredScan>> find_scan(const core::TenantId& tenant, std::string_view scan_id) = 0;
  // Every scan of the shipment, oldest first (by storage order). kNotFound when not this tenant's.
  virtual Result<std::vector<domain::Scan>> list_scans(const core::TenantId& tenant, const core::ShipmentId& id) = 0;
  // Stores the scan and its shipment event (`event`, without a milestone) in one transaction; the
  // event goes through the normal event insertion. Returns the stored event. kIdempotencyConflict
  // (field "id") when the tenant already has a scan with that id (nothing is written: the caller
  // reads it with find_scan); kNotFound when the shipment is not this tenant's.
  virtual Result<domain::Event> record_scan(const StoredScan& scan, const domain::Event& event) = 0;

  // ---- driver sign-in links ------------------------------------------------------------------
  // kNotFound (field "driver_id") when the driver is not this tenant's.
  virtual Status create_login_link(const LoginLink& link) = 0;
  // Consumes the link with that code hash and creates `credential` (role driver) for its driver,
  // atomically: of two concurrent redeems one succeeds. `credential`'s tenant_id/driver_id/
  // carrier_id are set from the link's driver. kInvalidCode when the code is unknown, used, expired
  // at `now`, or its driver is shut out (every credential the driver had is revoked); then nothing
  // is written. Returns the driver.
  virtual Result<domain::Driver> redeem_login_link(std::string_view code_hash, core::Timestamp now,
                                                   const domain::Credential& credential) = 0;

  // ---- idempotency ---------------------------------------------------------------------------
  virtual Result<std::optional<IdempotencyRecord>> find_idempotency(const core::TenantId& tenant,
                                                                    std::string_view scope,
                                                                    std::string_view key) = 0;

  // ---- proof of delivery --------------------------------------------------------------------
  // Stores the proof's event(s), its proof and blob rows and the idempotency record in one
  // transaction. Returns the stored events (the proof's event first). kConflict when the shipment's
  // status is no longer w.expected_status (re-read and retry); kIdempotencyConflict as create_*.
  virtual Result<std::vector<domain::Event>> record_proof(const ProofWrite& w, const IdempotencyRecord* idem) = 0;
  // The newest proof of `kind` of the tenant's shipment; nullopt when it has none.
  virtual Result<std::optional<StoredProof>> latest_proof(const core::TenantId& tenant, const core::ShipmentId& id,
                                                          std::string_view kind) = 0;
  // The tenant's blob `sha256` with the shipments referencing it; nullopt when the tenant has none such.
  virtual Result<std::optional<BlobRecord>> find_blob(const core::TenantId& tenant, std::string_view sha256) = 0;
  // Checks the shipment's event hash chain.
  virtual Result<ChainVerification> verify_shipment(const core::TenantId& tenant, const core::ShipmentId& id) = 0;
  // The tenant's pod_max_distance_m setting (default 150).
  virtual Result<double> pod_max_distance_m(const core::TenantId& tenant) = 0;
};

// Opens a store from a URL: "sqlite:PATH" (PATH may be ":memory:" for tests).
// Runs pending migrations. Throws std::runtime_error on an unusable URL or database (start-up).
std::unique_ptr<Store> open_store(std::string_view url, StoreOptions options);

}  // namespace lastmile::storage
