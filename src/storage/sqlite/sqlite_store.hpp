#pragma once
// The SQLite implementation of storage::Store (contract in storage/store.hpp).
//
// Concurrency: every write goes through the CommitQueue (commit_queue.hpp): concurrent writes are
// grouped into one BEGIN IMMEDIATE … COMMIT on the one writer connection (one fsync per group), each
// in its own savepoint, so a failing write leaves the others of its group intact. Writes still
// serialize on the writer connection, so events.global_seq is the commit order. After COMMIT, with
// the writer mutex still held and before any writer returns, the events of each write of the group
// are handed to StoreOptions::on_commit in the order the writes ran — hence in commit order. Reads
// take a reader connection from the pool and run in a read transaction (one consistent WAL snapshot
// even for multi-query reads).
// REQUIRES of the callbacks: on_commit and on_timing must not throw and must not call this store
// (on_commit runs under the writer mutex).
//
// The methods are split across files by area: sqlite_store.cpp (lifecycle, tenants,
// credentials, idempotency), sqlite_store_fleet.cpp (carriers, drivers, vehicles),
// sqlite_store_shipments.cpp (shipments, events), sqlite_store_routes.cpp (routes),
// sqlite_store_exceptions.cpp (the exception queue; cases are derived from events in
// sqlite_exceptions.cpp).

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "storage/credential_cache.hpp"
#include "storage/sqlite/commit_queue.hpp"
#include "storage/sqlite/connection_pool.hpp"
#include "storage/sqlite/sqlite_db.hpp"
#include "storage/store.hpp"
#include "storage/carrier_event_store.hpp"
#include "storage/chat_store.hpp"
#include "storage/survey_store.hpp"
#include "storage/notification_store.hpp"
#include "storage/webhook_store.hpp"
#include "storage/route_plan_store.hpp"
#include "storage/privacy_store.hpp"
#include "storage/delivery_history_store.hpp"
#include "storage/invitation_store.hpp"
#include "storage/intake_store.hpp"
#include "storage/analytics_store.hpp"
#include "storage/settings_store.hpp"

namespace lastmile::storage::sqlite {

class SqliteStore final : public Store,
                          public WebhookStore,
                          public ChatStore,
                          public SurveyStore,
                          public NotificationStore,
                          public RoutePlanStore,
                          public CarrierEventStore,
                          public PrivacyStore,
                          public DeliveryHistoryStore,
                          public IntakeStore,
                          public AnalyticsStore,
                          public SettingsStore,
                          public InvitationStore {
 public:
  static constexpr int kReaderConnections = 4;

  // Opens (creating when missing) the database at `filename` (a path or ":memory:"), enables WAL
  // and runs pending migrations. Errors as from ConnectionPool::open.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& filename, StoreOptions options);
  // The same store on PostgreSQL (storage/postgres/pg_connection.hpp): `conninfo` for libpq, and
  // the schema to use (created when missing; "" for the server's default search path).
  static Result<std::unique_ptr<SqliteStore>> open_postgres(const std::string& conninfo, const std::string& schema,
                                                            StoreOptions options);
  ~SqliteStore() override = default;

  // Write counters (bodies run, transactions committed, writes queued now), for tests and metrics.
  WriteStats write_stats() const override {
    const auto s = commits_.stats();
    return WriteStats{s.bodies, s.commits, s.queued};
  }

  Status ping() override;
  Status flush() override;

  Status create_tenant(const domain::Tenant& tenant, const domain::Credential& admin_key) override;
  Result<domain::Tenant> get_tenant(const core::TenantId& id) override;
  Result<Page<domain::Tenant>> list_tenants(const PageRequest& page) override;

  Status create_credential(const domain::Credential& credential) override;
  Result<std::optional<domain::Credential>> find_credential(std::string_view prefix) override;
  Result<bool> has_root_credential() override;
  Result<Page<domain::Credential>> list_credentials(const core::TenantId& tenant, const PageRequest& page) override;
  Status revoke_credential(const core::TenantId& tenant, const core::ApiKeyId& id) override;
  Result<domain::Credential> rotate_credential(const core::TenantId& tenant, const core::ApiKeyId& id,
                                               const NewCredentialSecret& next) override;

  Status create_carrier(const domain::Carrier& carrier, const IdempotencyRecord* idem) override;
  Result<domain::Carrier> get_carrier(const core::TenantId& tenant, const core::CarrierId& id) override;
  Result<Page<domain::Carrier>> list_carriers(const core::TenantId& tenant, const PageRequest& page) override;

  Status create_driver(const domain::Driver& driver, const domain::Credential& device_token,
                       const IdempotencyRecord* idem) override;
  Result<domain::Driver> get_driver(const core::TenantId& tenant, const core::DriverId& id) override;
  Result<Page<domain::Driver>> list_drivers(const core::TenantId& tenant, std::optional<core::CarrierId> carrier,
                                            const PageRequest& page) override;

  Result<ParcelRef> find_parcel_by_barcode(const core::TenantId& tenant, std::string_view barcode) override;
  Result<std::optional<StoredScan>> find_scan(const core::TenantId& tenant, std::string_view scan_id) override;
  Result<std::vector<domain::Scan>> list_scans(const core::TenantId& tenant, const core::ShipmentId& id) override;
  Result<domain::Event> record_scan(const StoredScan& scan, const domain::Event& event) override;
  Status create_login_link(const LoginLink& link) override;
  Result<domain::Driver> redeem_login_link(std::string_view code_hash, core::Timestamp now,
                                           const domain::Credential& credential) override;

  Status create_vehicle(const domain::Vehicle& vehicle, const IdempotencyRecord* idem) override;
  Result<domain::Vehicle> get_vehicle(const core::TenantId& tenant, const core::VehicleId& id) override;
  Result<Page<domain::Vehicle>> list_vehicles(const core::TenantId& tenant, const PageRequest& page) override;

  Status create_shipment(const domain::Shipment& shipment, const domain::Event& created,
                         const IdempotencyRecord* idem) override;
  Result<domain::Shipment> get_shipment(const core::TenantId& tenant, const core::ShipmentId& id) override;
  Result<domain::Shipment> find_shipment_by_external_id(const core::TenantId& tenant,
                                                        std::string_view external_order_id) override;
  Result<domain::Shipment> find_shipment_by_token(std::string_view tracking_token) override;
  Result<TrackingSnapshot> load_tracking(std::string_view tracking_token) override;
  Result<int> append_track_points(const core::TenantId& tenant, const core::DriverId& driver,
                                  const std::vector<ingest::Ping>& pings) override;
  void append_track_points_async(const core::TenantId& tenant, const core::DriverId& driver,
                                 std::vector<ingest::Ping> pings, AppendDone done) override;
  Result<std::optional<ingest::Ping>> latest_track_point(const core::TenantId& tenant,
                                                         const core::DriverId& driver) override;
  Result<std::vector<ingest::Ping>> list_track_points(const core::TenantId& tenant, const core::DriverId& driver,
                                                      core::Timestamp from, core::Timestamp to, int limit) override;
  Result<Page<domain::Shipment>> list_shipments(const core::TenantId& tenant, const ShipmentFilter& filter,
                                                const PageRequest& page) override;
  Status update_instructions(const core::TenantId& tenant, const core::ShipmentId& id,
                             const domain::Instructions& instructions, domain::Milestone expected_status) override;

  Result<domain::Event> append_event(const domain::Event& event, domain::Milestone expected_status) override;
  Result<std::vector<domain::Event>> list_events(const core::TenantId& tenant, const core::ShipmentId& id) override;
  Result<std::vector<domain::Event>> events_after(int64_t after, int limit) override;
  Result<std::vector<domain::Event>> tenant_events_after(const core::TenantId& tenant, int64_t after,
                                                         int limit) override;

  Result<domain::Driver> find_driver_by_device(std::string_view device_id) override;
  Result<std::optional<domain::Route>> active_route(const core::TenantId& tenant,
                                                    const core::DriverId& driver) override;
  Result<std::vector<domain::Event>> record_route_progress(
      const core::TenantId& tenant, const std::optional<StopVisit>& visit,
      const std::vector<std::pair<domain::Event, domain::Milestone>>& events) override;
  Status update_stop_etas(const core::TenantId& tenant, const core::RouteId& route,
                          const std::vector<StopEta>& etas) override;
  Result<std::vector<StopVisitRecord>> list_stop_visits(const core::TenantId& tenant, core::Timestamp since,
                                                        int limit) override;
  Result<int> delete_track_points_before(core::Timestamp cutoff, int limit) override;

  Status create_route(const domain::Route& route, const IdempotencyRecord* idem) override;
  Result<domain::Route> get_route(const core::TenantId& tenant, const core::RouteId& id) override;
  Result<Page<domain::Route>> list_routes(const core::TenantId& tenant, const RouteFilter& filter,
                                          const PageRequest& page) override;
  Result<std::vector<domain::Event>> start_route(
      const core::TenantId& tenant, const core::RouteId& id, core::Timestamp at,
      const std::vector<std::pair<domain::Event, domain::Milestone>>& events) override;

  Result<Page<domain::ExceptionCase>> list_exceptions(const core::TenantId& tenant, const ExceptionFilter& filter,
                                                      const PageRequest& page) override;
  Result<ExceptionDetail> get_exception(const core::TenantId& tenant, const core::ExceptionId& id) override;
  Result<domain::ExceptionCase> update_exception(const core::TenantId& tenant, const core::ExceptionId& id,
                                                 const ExceptionUpdate& update) override;
  Result<std::vector<domain::ExceptionCase>> exceptions_of_event(const core::TenantId& tenant,
                                                                 const core::EventId& event) override;
  Result<std::vector<std::pair<domain::ExceptionKind, int64_t>>> count_unresolved_exceptions() override;

  Result<std::optional<IdempotencyRecord>> find_idempotency(const core::TenantId& tenant, std::string_view scope,
                                                            std::string_view key) override;

  Result<std::vector<domain::Event>> record_proof(const ProofWrite& w, const IdempotencyRecord* idem) override;
  Result<std::optional<StoredProof>> latest_proof(const core::TenantId& tenant, const core::ShipmentId& id,
                                                  std::string_view kind) override;
  Result<std::optional<BlobRecord>> find_blob(const core::TenantId& tenant, std::string_view sha256) override;
  Result<ChainVerification> verify_shipment(const core::TenantId& tenant, const core::ShipmentId& id) override;
  Result<double> pod_max_distance_m(const core::TenantId& tenant) override;

  // Webhooks and the outbox (sqlite_store_webhooks.cpp).
  WebhookStore* webhooks() override { return this; }
  Status create_webhook(const WebhookSubscription& s) override;
  Result<WebhookSubscription> get_webhook(const core::TenantId& tenant, const core::WebhookId& id) override;
  Result<Page<WebhookSubscription>> list_webhooks(const core::TenantId& tenant, const PageRequest& page) override;
  Result<WebhookSubscription> disable_webhook(const core::TenantId& tenant, const core::WebhookId& id,
                                              core::Timestamp at) override;
  Result<WebhookSubscription> rotate_webhook_secret(const core::TenantId& tenant, const core::WebhookId& id,
                                                    const std::string& new_secret,
                                                    std::optional<core::Timestamp> previous_until,
                                                    core::Timestamp at) override;
  Result<WebhookSubscription> enable_webhook(const core::TenantId& tenant, const core::WebhookId& id,
                                             core::Timestamp at) override;
  Result<Page<OutboxMessage>> list_deliveries(const core::TenantId& tenant, const core::WebhookId& id,
                                              const PageRequest& page) override;
  Result<OutboxMessage> replay_delivery(const core::TenantId& tenant, const core::WebhookId& id,
                                        const core::DeliveryId& delivery, core::Timestamp now) override;
  Result<std::vector<DueMessage>> claim_due_messages(core::Timestamp now, int limit) override;
  Status finish_delivery(const core::DeliveryId& id, const DeliveryOutcome& outcome) override;
  Result<int> requeue_interrupted(core::Timestamp now) override;
  Result<std::optional<core::Timestamp>> next_due_at() override;
  Result<OutboxCounts> outbox_counts() override;

  // Re-planned routes (sqlite_store_route_plans.cpp).
  Result<std::vector<domain::Event>> replan_routes(
      const core::TenantId& tenant, const std::vector<RouteStopsChange>& changes, const std::vector<StopEta>& etas,
      const std::vector<std::pair<domain::Event, domain::Milestone>>& events) override;
  // A day plan's routes, all or none (sqlite_store_routes.cpp).
  Status create_routes(const core::TenantId& tenant, const std::vector<domain::Route>& routes,
                       const IdempotencyRecord* idem, core::Timestamp at) override;

  // Chat threads (sqlite_store_chat.cpp) and surveys (sqlite_store_surveys.cpp).
  ChatStore* chat() override { return this; }
  SurveyStore* surveys() override { return this; }
  Result<ChatMessage> add_chat_message(const core::TenantId& tenant, const core::ShipmentId& shipment,
                                       ChatMessageDraft draft) override;
  Result<std::vector<ChatMessage>> list_chat_messages(const core::TenantId& tenant, const core::ShipmentId& shipment,
                                                      int64_t after, int limit) override;
  Result<std::vector<ThreadSummary>> list_chat_threads(const core::TenantId& tenant, int limit) override;
  Result<SurveyRecord> add_survey(const SurveyRecord& survey, const std::vector<domain::Event>& events) override;
  Result<std::optional<SurveyRecord>> get_survey(const core::TenantId& tenant, const core::ShipmentId& shipment) override;
  Result<std::vector<SurveyRecord>> list_surveys(const core::TenantId& tenant, const SurveyFilter& filter,
                                                 int limit) override;
  // E-mail/SMS notifications (sqlite_store_notifications.cpp).
  NotificationStore* notifications() override { return this; }
  Result<notify::NotificationSettings> get_notification_settings(const core::TenantId& tenant) override;
  Result<notify::NotificationSettings> put_notification_settings(const core::TenantId& tenant,
                                                                 notify::NotificationSettings s,
                                                                 int64_t expected_version, core::Timestamp at) override;
  Status set_notification_public_url(const std::string& url) override;
  Result<std::vector<NotificationMessage>> list_shipment_notifications(const core::TenantId& tenant,
                                                                       const core::ShipmentId& id) override;
  Result<std::vector<SkippedNotification>> list_skipped_notifications(const core::TenantId& tenant,
                                                                      const core::ShipmentId& id) override;
  Result<std::vector<NotificationMessage>> claim_due_notifications(core::Timestamp now, int limit,
                                                                   const std::vector<std::string>& channels) override;
  Status finish_notification(const core::DeliveryId& id, const NotificationOutcome& outcome) override;
  Status release_notification(const core::DeliveryId& id, core::Timestamp next_attempt_at) override;
  Result<int> requeue_interrupted_notifications(core::Timestamp now) override;
  Result<std::optional<core::Timestamp>> next_notification_due(const std::vector<std::string>& channels) override;
  Result<int> enqueue_due_reminders(core::Timestamp now, int64_t window_ms) override;
  Result<bool> update_sms_status(const std::string& provider_id, const std::string& status,
                                 const std::string& error_code) override;
  Result<std::optional<SmsSender>> find_sms_sender(const std::string& phone) override;
  Status set_opt_out(const core::TenantId& tenant, const std::string& channel, const std::string& address,
                     bool opted_out, core::Timestamp at) override;
  Status record_inbound_sms(const std::string& message_sid, const std::optional<SmsSender>& sender,
                            const std::string& from, const std::string& body, const std::string& action,
                            core::Timestamp at) override;
  Result<std::pair<core::TenantId, std::string>> find_unsubscribe_token(const std::string& token) override;

  // Carriers' own events and code mappings (sqlite_store_carrier_events.cpp).
  // Order intake: batch creation, the Shopify integration (sqlite_store_intake.cpp).
  IntakeStore* intake() override { return this; }
  Result<std::vector<Status>> create_shipments(const std::vector<NewShipment>& batch) override;
  Status put_shop_integration(const ShopIntegration& integration) override;
  Result<ShopIntegration> get_shop_integration(const core::TenantId& tenant) override;
  Result<ShopIntegration> find_shop_integration(std::string_view shop_domain) override;
  Status delete_shop_integration(const core::TenantId& tenant) override;
  Result<ShopOrderOutcome> create_shop_order(const std::string& webhook_id, const NewShipment& order,
                                             core::ShipmentId& shipment_id) override;

  CarrierEventStore* carrier_events() override { return this; }
  RoutePlanStore* route_plans() override { return this; }
  Status put_code_mappings(const core::TenantId& tenant, const core::CarrierId& carrier,
                           const std::vector<domain::CarrierCodeMapping>& mappings, core::Timestamp now) override;
  Result<std::vector<domain::CarrierCodeMapping>> list_code_mappings(const core::TenantId& tenant,
                                                                     const core::CarrierId& carrier) override;
  Result<domain::Shipment> find_carrier_shipment(const core::TenantId& tenant, const core::CarrierId& carrier,
                                                 const std::string& tracking_number,
                                                 const std::string& order_id) override;
  Result<CarrierEventRecord> record_carrier_event(const CarrierEventRecord& record,
                                                  const std::optional<domain::Event>& event,
                                                  domain::Milestone expected_status) override;
  Result<CarrierEventRecord> resolve_carrier_event(const CarrierEventRecord& record,
                                                   const std::optional<domain::Event>& event,
                                                   domain::Milestone expected_status) override;
  Result<std::vector<CarrierEventRecord>> list_carrier_events(const core::TenantId& tenant,
                                                              const core::CarrierId& carrier,
                                                              const std::optional<core::ShipmentId>& shipment,
                                                              std::optional<domain::CarrierEventOutcome> outcome,
                                                              int64_t before, int limit) override;
  Result<std::vector<MappingTask>> list_mapping_tasks(const core::TenantId& tenant,
                                                      const core::CarrierId& carrier) override;
  // Privacy (sqlite_store_privacy.cpp; track points in sqlite_store_live.cpp).
  PrivacyStore* privacy() override { return this; }
  Result<RetentionSettings> get_retention(const core::TenantId& tenant) override;
  Result<RetentionSettings> put_retention(const core::TenantId& tenant, const RetentionSettings& s,
                                          core::Timestamp at) override;
  Result<std::vector<TenantRetention>> list_retention() override;
  Result<int> delete_tenant_track_points_before(const core::TenantId& tenant, core::Timestamp cutoff,
                                                int limit) override;
  Result<int> expire_chat_messages_before(const core::TenantId& tenant, core::Timestamp cutoff, int limit) override;
  Result<int> expire_photos_before(const core::TenantId& tenant, core::Timestamp cutoff, core::Timestamp now,
                                   int limit) override;
  Result<std::vector<std::string>> unreferenced_expired_blobs(int limit) override;
  Status mark_blobs_removed(const std::vector<std::string>& shas) override;
  Result<std::vector<ExpiredBlob>> expired_blobs(const core::TenantId& tenant, const core::ShipmentId& shipment) override;
  Result<std::vector<core::ShipmentId>> find_recipient_shipments(const core::TenantId& tenant, const RecipientKey& key,
                                                                 int limit) override;
  Result<ErasureResult> erase_recipient(const core::TenantId& tenant, const RecipientKey& key, core::Timestamp at,
                                        const std::string& actor) override;
  // Carrier invitations (sqlite_store_invitations.cpp).
  Status create_carrier_invitation(const CarrierInvitation& inv) override;
  Result<std::vector<CarrierInvitation>> list_carrier_invitations(const core::TenantId& tenant,
                                                                  const core::CarrierId& carrier) override;
  Status revoke_carrier_invitation(const core::TenantId& tenant, const core::CarrierId& carrier,
                                   const std::string& id, core::Timestamp now) override;
  Result<InvitationView> find_carrier_invitation(const std::string& code_hash, core::Timestamp now) override;
  Result<InvitationView> accept_carrier_invitation(const std::string& code_hash, core::Timestamp now,
                                                   const domain::Credential& key) override;
  // Delivery history (sqlite_store_delivery_history.cpp).
  DeliveryHistoryStore* delivery_history() override { return this; }
  Result<std::vector<AttemptRow>> delivery_attempts(const core::TenantId& tenant,
                                                    const std::optional<RecipientKey>& recipient,
                                                    core::Timestamp since, size_t limit) override;

  AnalyticsStore* analytics() override { return this; }
  Result<int> aggregate_events(int limit) override;
  Result<int64_t> analytics_cursor() override;
  Result<std::vector<AnalyticsRow>> analytics_rows(const AnalyticsQuery& q) override;
  Status add_analytics_rows(const core::TenantId& tenant, AnalyticsDim dim,
                            const std::vector<AnalyticsRow>& rows) override;
  Result<std::optional<analytics::RateCard>> get_rate_card(const core::TenantId& tenant,
                                                          const core::CarrierId& carrier) override;
  Status put_rate_card(const core::TenantId& tenant, const core::CarrierId& carrier,
                       const analytics::RateCard& card, core::Timestamp at) override;
  Result<std::vector<std::pair<std::string, analytics::RateCard>>> list_rate_cards(
      const core::TenantId& tenant) override;
  Result<analytics::Targets> get_targets(const core::TenantId& tenant) override;
  Status put_targets(const core::TenantId& tenant, const analytics::Targets& targets, core::Timestamp at) override;
  // The tenant settings document and the tracking_stale pass (sqlite_store_settings.cpp).
  SettingsStore* settings() override { return this; }
  Result<TenantSettingsRecord> get_tenant_settings(const core::TenantId& tenant) override;
  Result<TenantSettingsRecord> put_tenant_settings(const core::TenantId& tenant, const TenantSettingsRecord& next,
                                                   int64_t expected_version, SettingsAuditEntry audit) override;
  Result<std::vector<SettingsAuditEntry>> list_settings_history(const core::TenantId& tenant, int64_t before,
                                                                int limit) override;
  Result<TrackedPage> list_carrier_tracked(const std::vector<domain::Milestone>& statuses, int64_t after,
                                           int limit) override;

 private:
  using Events = std::vector<domain::Event>;

  // Deletes raw fixes older than `cutoff` of `tenant`'s drivers (every tenant's when none), at most
  // `limit`; reported as `op` (sqlite_store_live.cpp).
  Result<int> delete_fixes_of_drivers(std::string_view op, const std::optional<core::TenantId>& tenant,
                                      core::Timestamp cutoff, int limit);

  SqliteStore(std::unique_ptr<ConnectionPool> pool, StoreOptions options)
      : options_(std::move(options)), pool_(std::move(pool)), commits_(*pool_, options_.on_commit) {}

  // Runs `body(Connection&, Events& committed)` → Status in a group commit (CommitQueue::submit):
  // returns success only once the COMMIT containing it returned; when it fails its rows are rolled
  // back and it returns its own error. After COMMIT `committed` (when not empty) goes to on_commit
  // under the writer mutex. Reports the duration (queueing included) as `op`.
  template <typename F>
  Status write(std::string_view op, F&& body);
  // The same without blocking (CommitQueue::submit_async): `body` is kept until it ran, `done`
  // gets its Status after the COMMIT. The duration is reported when `done` is called.
  void write_async(std::string_view op, CommitQueue::Body body, CommitQueue::Done done);
  // Runs `body(Connection&)` → Result<T> in a read transaction on a reader connection.
  template <typename T, typename F>
  Result<T> read(std::string_view op, F&& body);

  // Drivers an append committed for: their existence check is skipped from then on (drivers are
  // never deleted nor moved between tenants). Added only after a COMMIT, so never a rolled-back row.
  class DriverSet {
   public:
    bool contains(const core::TenantId& tenant, const core::DriverId& driver) const {
      std::lock_guard lock(mu_);
      return keys_.contains(key(tenant, driver));
    }
    void add(const core::TenantId& tenant, const core::DriverId& driver) {
      std::lock_guard lock(mu_);
      keys_.insert(key(tenant, driver));
    }

   private:
    static std::string key(const core::TenantId& t, const core::DriverId& d) { return t.str() + '/' + d.str(); }
    mutable std::mutex mu_;
    std::unordered_set<std::string> keys_;  // GUARDED_BY(mu_)
  };

  StoreOptions options_;
  std::unique_ptr<ConnectionPool> pool_;
  DriverSet tracked_drivers_;  // before commits_: the queue's last completions (at destruction) add to it
  CommitQueue commits_;  // declared after pool_: refers to it
  CredentialCache credentials_;  // find_credential's rows; emptied by revoke_credential, rotate_credential
};

// ---- implementation of the templates -----------------------------------------------------------

// Reports the time from construction to destruction to on_timing (when set).
class OpTimer {
 public:
  OpTimer(const StoreOptions& options, std::string_view op)
      : options_(options), op_(op), start_(std::chrono::steady_clock::now()) {}
  ~OpTimer() {
    if (!options_.on_timing) return;
    options_.on_timing(op_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  OpTimer(const OpTimer&) = delete;
  OpTimer& operator=(const OpTimer&) = delete;

 private:
  const StoreOptions& options_;
  std::string_view op_;
  std::chrono::steady_clock::time_point start_;
};

template <typename F>
Status SqliteStore::write(std::string_view op, F&& body) {
  OpTimer timer(options_, op);  // from enqueue to wake-up
  // std::ref: the caller blocks until the body has run, so no copy of the lambda is needed.
  return commits_.submit(CommitQueue::Body(std::ref(body)));
}

template <typename T, typename F>
Result<T> SqliteStore::read(std::string_view op, F&& body) {
  OpTimer timer(options_, op);
  auto db = pool_->reader();
  auto tx = Transaction::begin(*db, Transaction::Kind::kRead);
  if (!tx) return tx.error();
  return body(*db);  // the read transaction ends (rolls back) when `tx` goes out of scope
}

}  // namespace lastmile::storage::sqlite
