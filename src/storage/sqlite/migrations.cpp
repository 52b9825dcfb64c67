#include "storage/sqlite/migrations.hpp"

#include "storage/sqlite/event_chain.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>

#include <sqlite3.h>

#include "storage/postgres/pg_sql.hpp"
#include "storage/track_chunk.hpp"

namespace lastmile::storage::sqlite {
namespace {

// Conventions of the schema:
// - every entity table has `seq`, increasing in insertion order (keyset pagination, newest first)
//   and a public `id`;
// - every table with tenant data has `tenant_id`, leads an index with it, and declares
//   UNIQUE (tenant_id, id) so that references are composite (tenant_id, x_id): a row can only
//   point at rows of its own tenant, enforced by the database;
// - timestamps are BIGINT milliseconds since the Unix epoch (UTC); enums are their stable API
//   names as TEXT; optional values are NULL; empty strings stay empty strings.
// - events.global_seq is the commit order because every write is serialized through one writer
//   connection; on PostgreSQL (whose identity values are not handed out in commit order) every write
//   transaction of every node also takes one advisory lock first (storage/postgres/pg_connection.hpp).
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE tenants (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  brand_color TEXT NOT NULL,
  show_driver_within_stops INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE carriers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  code TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, code)
);
CREATE INDEX carriers_by_tenant ON carriers (tenant_id, seq);

CREATE TABLE vehicles (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  carrier_id TEXT,
  plate TEXT NOT NULL,
  kind TEXT NOT NULL,
  capacity_kg DOUBLE PRECISION NOT NULL,
  capacity_m3 DOUBLE PRECISION NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, carrier_id) REFERENCES carriers (tenant_id, id)
);
CREATE INDEX vehicles_by_tenant ON vehicles (tenant_id, seq);

CREATE TABLE drivers (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  carrier_id TEXT,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT NOT NULL,
  device_id TEXT NOT NULL UNIQUE,
  vehicle_id TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, carrier_id) REFERENCES carriers (tenant_id, id),
  FOREIGN KEY (tenant_id, vehicle_id) REFERENCES vehicles (tenant_id, id)
);
CREATE INDEX drivers_by_tenant ON drivers (tenant_id, seq);
CREATE INDEX drivers_by_carrier ON drivers (tenant_id, carrier_id, seq);

-- tenant_id is NULL only for the root credential.
CREATE TABLE credentials (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT REFERENCES tenants (id),
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  carrier_id TEXT,
  driver_id TEXT,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  created_at BIGINT NOT NULL,
  FOREIGN KEY (tenant_id, carrier_id) REFERENCES carriers (tenant_id, id),
  FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id)
);
CREATE INDEX credentials_by_tenant ON credentials (tenant_id, seq);
CREATE INDEX credentials_by_role ON credentials (role);

CREATE TABLE routes (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  driver_id TEXT NOT NULL,
  vehicle_id TEXT,
  route_date TEXT NOT NULL,
  depot_lat DOUBLE PRECISION NOT NULL,
  depot_lon DOUBLE PRECISION NOT NULL,
  status TEXT NOT NULL,
  started_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id),
  FOREIGN KEY (tenant_id, vehicle_id) REFERENCES vehicles (tenant_id, id)
);
CREATE INDEX routes_by_tenant ON routes (tenant_id, seq);
CREATE INDEX routes_by_driver ON routes (tenant_id, driver_id, seq);
CREATE INDEX routes_by_date ON routes (tenant_id, route_date, seq);

CREATE TABLE stops (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  visit_order INTEGER NOT NULL,
  service_s INTEGER NOT NULL,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  status TEXT NOT NULL,
  eta BIGINT,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, route_id, visit_order),
  FOREIGN KEY (tenant_id, route_id) REFERENCES routes (tenant_id, id)
);

-- recipient_name_folded: the name case-folded by the application (storage/text_fold.hpp), for
-- case-insensitive substring search that works the same in every database.
CREATE TABLE shipments (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  tracking_number TEXT NOT NULL UNIQUE,
  tracking_token TEXT NOT NULL UNIQUE,
  external_order_id TEXT NOT NULL,
  carrier_id TEXT,
  status TEXT NOT NULL,
  recipient_name TEXT NOT NULL,
  recipient_name_folded TEXT NOT NULL,
  recipient_phone TEXT NOT NULL,
  recipient_email TEXT NOT NULL,
  recipient_time_zone TEXT NOT NULL,
  address_line1 TEXT NOT NULL,
  address_line2 TEXT NOT NULL,
  address_city TEXT NOT NULL,
  address_postal_code TEXT NOT NULL,
  address_country TEXT NOT NULL,
  address_lat DOUBLE PRECISION,
  address_lon DOUBLE PRECISION,
  gate_code TEXT NOT NULL,
  safe_place TEXT NOT NULL,
  instructions_note TEXT NOT NULL,
  promised_start BIGINT,
  promised_end BIGINT,
  service_level TEXT NOT NULL,
  route_id TEXT,
  stop_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, carrier_id) REFERENCES carriers (tenant_id, id),
  FOREIGN KEY (tenant_id, route_id) REFERENCES routes (tenant_id, id),
  FOREIGN KEY (tenant_id, stop_id) REFERENCES stops (tenant_id, id)
);
CREATE UNIQUE INDEX shipments_external_order_id ON shipments (tenant_id, external_order_id)
  WHERE external_order_id <> '';
CREATE INDEX shipments_by_tenant ON shipments (tenant_id, seq);
CREATE INDEX shipments_by_status ON shipments (tenant_id, status, seq);
CREATE INDEX shipments_by_carrier ON shipments (tenant_id, carrier_id, seq);
CREATE INDEX shipments_by_route ON shipments (tenant_id, route_id, seq);

CREATE TABLE parcels (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  item_order INTEGER NOT NULL,
  barcode TEXT NOT NULL,
  weight_kg DOUBLE PRECISION NOT NULL,
  description TEXT NOT NULL,
  UNIQUE (tenant_id, shipment_id, item_order),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id)
);

-- The shipments of each stop, in their listed order. A shipment appears once per route.
CREATE TABLE stop_shipments (
  tenant_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  stop_id TEXT NOT NULL,
  item_order INTEGER NOT NULL,
  shipment_id TEXT NOT NULL,
  PRIMARY KEY (stop_id, item_order),
  UNIQUE (route_id, shipment_id),
  FOREIGN KEY (tenant_id, route_id) REFERENCES routes (tenant_id, id),
  FOREIGN KEY (tenant_id, stop_id) REFERENCES stops (tenant_id, id),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id)
);
CREATE INDEX stop_shipments_by_route ON stop_shipments (tenant_id, route_id);
CREATE INDEX stop_shipments_by_shipment ON stop_shipments (tenant_id, shipment_id);

-- Append-only: rows are inserted, never updated or deleted. global_seq is the commit order.
CREATE TABLE events (
  global_seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  milestone TEXT,
  occurred_at BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  payload TEXT NOT NULL,
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id)
);
CREATE INDEX events_by_shipment ON events (tenant_id, shipment_id, global_seq);

CREATE TABLE idempotency (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  scope TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, scope, idempotency_key)
);
)sql";

// Track points: one row per accepted GPS fix. The unique key (driver, time, position in 1e-7
// degrees) makes a re-sent point a no-op even across restarts (INSERT … ON CONFLICT DO NOTHING).
constexpr std::string_view kTrackPoints = R"sql(
CREATE TABLE track_points (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  driver_id TEXT NOT NULL,
  t BIGINT NOT NULL,
  lat_e7 BIGINT NOT NULL,
  lon_e7 BIGINT NOT NULL,
  speed_mps DOUBLE PRECISION,
  heading_deg DOUBLE PRECISION,
  accuracy_m DOUBLE PRECISION,
  altitude_m DOUBLE PRECISION,
  battery_pct DOUBLE PRECISION,
  received_at BIGINT NOT NULL,
  UNIQUE (driver_id, t, lat_e7, lon_e7),
  FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id)
);
CREATE INDEX track_points_by_driver_time ON track_points (tenant_id, driver_id, t);
)sql";

// Live location (issue 3): tenant settings for devices and geofences, stop visit times, and the
// lookup of a tracker's device identifier.
constexpr std::string_view kLiveLocation = R"sql(
ALTER TABLE tenants ADD COLUMN require_device_secret INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tenants ADD COLUMN geofence_radius_m DOUBLE PRECISION NOT NULL DEFAULT 75;
ALTER TABLE tenants ADD COLUMN out_for_delivery_on TEXT NOT NULL DEFAULT 'depot_departure';
ALTER TABLE stops ADD COLUMN radius_m DOUBLE PRECISION;
ALTER TABLE stops ADD COLUMN arrived_at BIGINT;
ALTER TABLE stops ADD COLUMN departed_at BIGINT;
CREATE INDEX routes_in_progress_by_driver ON routes (driver_id, status);
-- Every track point query names its driver (ids are unique across tenants), so the unique key
-- (driver_id, t, …) serves them all, retention included; one index fewer to write per point.
DROP INDEX track_points_by_driver_time;
)sql";

// Track chunks (storage/track_chunk.hpp): the history as one row per written batch. Existing rows
// become one-point chunks (lastmile_track_point, registered by run_migrations, encodes one fix).
constexpr std::string_view kTrackChunks = R"sql(
CREATE TABLE track_chunks (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  driver_id TEXT NOT NULL,
  t_min BIGINT NOT NULL,
  t_max BIGINT NOT NULL,
  points INTEGER NOT NULL,
  data BLOB NOT NULL,
  FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id)
);
CREATE INDEX track_chunks_by_driver_time ON track_chunks (driver_id, t_max);
INSERT INTO track_chunks (tenant_id, driver_id, t_min, t_max, points, data)
  SELECT tenant_id, driver_id, t, t, 1,
         lastmile_track_point(t, lat_e7, lon_e7, received_at, speed_mps, heading_deg, accuracy_m, altitude_m,
                              battery_pct)
  FROM track_points ORDER BY driver_id, t;
DROP TABLE track_points;
)sql";

// PostgreSQL: a new database has no track points to carry over (and no lastmile_track_point).
constexpr std::string_view kTrackChunksPostgres = R"sql(
CREATE TABLE track_chunks (
  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  driver_id TEXT NOT NULL,
  t_min BIGINT NOT NULL,
  t_max BIGINT NOT NULL,
  points BIGINT NOT NULL,
  data BYTEA NOT NULL,
  FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id)
);
CREATE INDEX track_chunks_by_driver_time ON track_chunks (driver_id, t_max);
DROP TABLE track_points;
)sql";

// Live ETA (issue 4): the P10–P90 window next to the stop's ETA, and the visited stops by time
// (the history the ETA model learns from).
constexpr std::string_view kLiveEta = R"sql(
ALTER TABLE stops ADD COLUMN eta_earliest BIGINT;
ALTER TABLE stops ADD COLUMN eta_latest BIGINT;
CREATE INDEX stops_visited_by_time ON stops (tenant_id, arrived_at) WHERE departed_at IS NOT NULL;
)sql";

// Tenant branding (issue 6): the shipper's logo on the tracking page.
constexpr std::string_view kTenantBranding = R"sql(
ALTER TABLE tenants ADD COLUMN brand_logo_url TEXT NOT NULL DEFAULT '';
)sql";

// The dispatcher's exception queue (domain/exception_queue.hpp). `subject` is "shipment:<id>" or
// "driver:<id>/route:<id>"; at most one case per (tenant, kind, subject) is not resolved, enforced
// by a partial unique index. exception_entries is each case's history (raises, state changes, notes).
constexpr std::string_view kExceptionQueue = R"sql(
CREATE TABLE exceptions (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  subject TEXT NOT NULL,
  shipment_id TEXT,
  driver_id TEXT,
  route_id TEXT,
  first_seen_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  raise_count INTEGER NOT NULL,
  details TEXT NOT NULL,
  acknowledged_at BIGINT,
  acknowledged_by TEXT,
  acknowledged_role TEXT,
  resolved_at BIGINT,
  resolved_by TEXT,
  resolved_role TEXT,
  resolution TEXT,
  revision INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id),
  FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id),
  FOREIGN KEY (tenant_id, route_id) REFERENCES routes (tenant_id, id)
);
CREATE UNIQUE INDEX exceptions_one_unresolved ON exceptions (tenant_id, kind, subject) WHERE status <> 'resolved';
CREATE INDEX exceptions_by_tenant ON exceptions (tenant_id, seq);
CREATE INDEX exceptions_by_status ON exceptions (tenant_id, status, seq);
CREATE INDEX exceptions_by_subject ON exceptions (tenant_id, subject, status);
CREATE INDEX exceptions_by_shipment ON exceptions (tenant_id, shipment_id, seq);
CREATE INDEX exceptions_by_driver ON exceptions (tenant_id, driver_id, seq);

CREATE TABLE exception_entries (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  exception_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  note TEXT NOT NULL,
  event_id TEXT,
  resolution TEXT,
  FOREIGN KEY (tenant_id, exception_id) REFERENCES exceptions (tenant_id, id)
);
CREATE INDEX exception_entries_by_exception ON exception_entries (tenant_id, exception_id, seq);
CREATE INDEX exception_entries_by_event ON exception_entries (event_id) WHERE event_id IS NOT NULL;
)sql";

// A live stream's replay reads one tenant's events in global order (Store::tenant_events_after).
constexpr std::string_view kEventsByTenant = R"sql(
CREATE INDEX events_by_tenant ON events (tenant_id, global_seq);
)sql";

// Chain of custody and driver sign-in (issue 7). `scans` is append-only: one row per client scan
// id and tenant, with the answer that was sent (replayed for the same id). `login_links` holds
// one-time sign-in codes by their SHA-256 only. Parcels are found by barcode within a tenant.
constexpr std::string_view kCustody = R"sql(
CREATE INDEX parcels_by_barcode ON parcels (tenant_id, barcode);

CREATE TABLE scans (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  shipment_id TEXT NOT NULL,
  parcel_index INTEGER NOT NULL,
  barcode TEXT NOT NULL,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  driver_id TEXT,
  route_id TEXT,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  accuracy_m DOUBLE PRECISION,
  to_carrier_id TEXT,
  warnings TEXT NOT NULL,
  event_id TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response TEXT NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id)
);
CREATE INDEX scans_by_shipment ON scans (tenant_id, shipment_id, seq);

CREATE TABLE login_links (
  seq INTEGER PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  driver_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id)
);
CREATE INDEX login_links_by_driver ON login_links (tenant_id, driver_id);
)sql";

// Proof of delivery (docs/proof-of-delivery.md): the per-shipment event hash chain, the blob
// store's ownership records, the proofs attached to events, and the tenant's POD distance limit.
// The chain of existing events is computed by backfill_event_chain (event_chain.hpp).
constexpr std::string_view kProofOfDelivery = R"sql(
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
ALTER TABLE tenants ADD COLUMN pod_max_distance_m DOUBLE PRECISION NOT NULL DEFAULT 150;

CREATE TABLE blobs (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  width INTEGER,
  height INTEGER,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, sha256)
);

CREATE TABLE proofs (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  event_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, id)
);
CREATE INDEX proofs_by_shipment ON proofs (tenant_id, shipment_id, seq);

CREATE TABLE proof_blobs (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  role TEXT NOT NULL
);
CREATE INDEX proof_blobs_by_shipment ON proof_blobs (tenant_id, shipment_id);
CREATE INDEX proof_blobs_by_blob ON proof_blobs (tenant_id, sha256);
)sql";

// Webhook subscriptions and the transactional outbox (docs/webhooks.md): outbox rows are inserted
// in the transaction of the event that causes them (sqlite_outbox.cpp).
constexpr std::string_view kOutbox = R"sql(
CREATE TABLE webhook_subscriptions (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  secret TEXT NOT NULL,
  status TEXT NOT NULL,
  disabled_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX webhook_subscriptions_by_tenant ON webhook_subscriptions (tenant_id, status, seq);

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subscription_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  last_status INTEGER,
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_subscription ON outbox (tenant_id, subscription_id, seq);
)sql";

// Webhook secret rotation (docs/webhooks.md): the secret being replaced keeps signing, next to
// the new one, until previous_secret_until.
constexpr std::string_view kWebhookRotation = R"sql(
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret_until BIGINT;
)sql";

// Chat threads and surveys (docs/chat-and-surveys.md). Messages are not events (no hash chain);
// a survey's events are stored in the events table by the same transaction.
constexpr std::string_view kChatAndSurveys = R"sql(
CREATE TABLE chat_messages (
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  id TEXT NOT NULL UNIQUE,
  author_role TEXT NOT NULL,
  author_label TEXT NOT NULL,
  author_id TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  body TEXT NOT NULL,
  client_id TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, shipment_id, seq)
);
CREATE UNIQUE INDEX chat_messages_by_client_id ON chat_messages (tenant_id, shipment_id, client_id)
  WHERE client_id <> '';
CREATE INDEX chat_messages_by_time ON chat_messages (tenant_id, created_at);

CREATE TABLE surveys (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  nps INTEGER CHECK (nps BETWEEN 0 AND 10),
  comment TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  carrier_id TEXT,
  driver_id TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, shipment_id)
);
CREATE INDEX surveys_by_time ON surveys (tenant_id, created_at);
)sql";

// Notifications (docs/notifications.md): e-mail and SMS messages are rows of the outbox (kind
// 'email' | 'sms', subscription_id ''), enqueued with their events (sqlite_notifications.cpp).
constexpr std::string_view kNotifications = R"sql(
ALTER TABLE outbox ADD COLUMN shipment_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN provider_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN provider_state TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_by_shipment ON outbox (tenant_id, shipment_id, seq) WHERE shipment_id <> '';
CREATE INDEX outbox_by_provider_id ON outbox (provider_id) WHERE provider_id <> '';

CREATE TABLE notification_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE notification_server (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  public_url TEXT NOT NULL
);

CREATE TABLE notification_optouts (
  tenant_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, channel, address)
);

CREATE TABLE unsubscribe_tokens (
  token TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (tenant_id, address)
);

CREATE TABLE notification_log (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  rule TEXT NOT NULL,
  channel TEXT NOT NULL,
  outcome TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX notification_log_by_shipment ON notification_log (tenant_id, shipment_id, seq);

CREATE TABLE sms_inbound (
  seq INTEGER PRIMARY KEY,
  message_sid TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  from_masked TEXT NOT NULL,
  body TEXT NOT NULL,
  action TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX sms_inbound_by_tenant ON sms_inbound (tenant_id, seq);
)sql";

// Carriers' own status events and their code mappings (docs/carriers.md).
constexpr std::string_view kCarrierEvents = R"sql(
CREATE TABLE carrier_code_mappings (
  tenant_id TEXT NOT NULL,
  carrier_id TEXT NOT NULL,
  code TEXT NOT NULL,
  milestone TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, carrier_id, code)
);

CREATE TABLE carrier_events (
  seq INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  carrier_id TEXT NOT NULL,
  carrier_event_id TEXT NOT NULL,
  tracking_number TEXT NOT NULL DEFAULT '',
  order_id TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  lat DOUBLE PRECISION,
  lon DOUBLE PRECISION,
  description TEXT NOT NULL DEFAULT '',
  shipment_id TEXT,
  outcome TEXT NOT NULL,
  why TEXT NOT NULL DEFAULT '',
  event_id TEXT,
  received_at BIGINT NOT NULL,
  UNIQUE (tenant_id, carrier_id, carrier_event_id)
);
CREATE INDEX carrier_events_by_outcome ON carrier_events (tenant_id, carrier_id, outcome, code);
CREATE INDEX carrier_events_by_shipment ON carrier_events (tenant_id, shipment_id, seq);
)sql";

// Privacy (docs/privacy.md): per-tenant retention settings (NULL: the server's default), photos
// expired by retention or erasure (the proof keeps their digests; the file may be gone), and
// events whose personal fields were erased (sealed by a later personal_data_erased event).
constexpr std::string_view kPrivacy = R"sql(
CREATE TABLE tenant_retention (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  track_days INTEGER,
  photo_days INTEGER,
  chat_days INTEGER,
  updated_at BIGINT NOT NULL
);
ALTER TABLE proof_blobs ADD COLUMN expired_at BIGINT;
ALTER TABLE proof_blobs ADD COLUMN expired_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE proof_blobs ADD COLUMN blob_removed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX proof_blobs_live ON proof_blobs (sha256) WHERE expired_at IS NULL;
ALTER TABLE events ADD COLUMN erased_by TEXT;
)sql";

// Order intake (docs/order-intake.md): each tenant's Shopify shop (the shared secret is kept in
// clear: verifying an HMAC needs it; the API never returns it) and the webhook ids received, so a
// redelivered webhook creates nothing. External order ids are already unique per tenant
// (shipments_external_order_id, migration 1).
constexpr std::string_view kOrderIntake = R"sql(
CREATE TABLE shop_integrations (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  shop_domain TEXT NOT NULL UNIQUE,
  secret TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE shop_webhooks (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  webhook_id TEXT NOT NULL,
  shipment_id TEXT,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, webhook_id)
);
)sql";

// Analytics (docs/analytics.md): the aggregator's cursor (moved in the same transaction as the rows
// it folds), one fact per shipment, finished routes, daily rollups per carrier and per driver,
// per-carrier rate cards and per-tenant targets. Not tenant data of their own: derived from events.
constexpr std::string_view kAnalytics = R"sql(
CREATE TABLE analytics_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq BIGINT NOT NULL
);
INSERT INTO analytics_cursor (id, last_seq) VALUES (1, 0);

CREATE TABLE analytics_facts (
  tenant_id TEXT NOT NULL,
  shipment_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  status TEXT,
  failed_attempts INTEGER NOT NULL,
  exception_mask INTEGER NOT NULL,
  finished_at BIGINT,
  day TEXT,
  carrier_id TEXT,
  driver_id TEXT,
  driver_carrier_id TEXT,
  PRIMARY KEY (tenant_id, shipment_id)
);

CREATE TABLE analytics_routes (
  tenant_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  finished_at BIGINT NOT NULL,
  km DOUBLE PRECISION NOT NULL,
  route_s DOUBLE PRECISION NOT NULL,
  tracked_s DOUBLE PRECISION NOT NULL,
  stops INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, route_id)
);

-- dim: 'carrier' | 'driver'; carrier_id: the carrier row's own id, or the driver's carrier ('' when none).
-- Clustered by day (WITHOUT ROWID): a dashboard query reads one contiguous range of the key.
CREATE TABLE analytics_daily (
  tenant_id TEXT NOT NULL,
  dim TEXT NOT NULL,
  key_id TEXT NOT NULL,
  day TEXT NOT NULL,
  carrier_id TEXT NOT NULL,
  deliveries BIGINT NOT NULL,
  finished BIGINT NOT NULL,
  first_attempt BIGINT NOT NULL,
  returned BIGINT NOT NULL,
  failed_attempts BIGINT NOT NULL,
  windowed BIGINT NOT NULL,
  on_time BIGINT NOT NULL,
  parcels BIGINT NOT NULL,
  stops BIGINT NOT NULL,
  km DOUBLE PRECISION NOT NULL,
  routes BIGINT NOT NULL,
  route_s DOUBLE PRECISION NOT NULL,
  tracked_s DOUBLE PRECISION NOT NULL,
  surveys BIGINT NOT NULL,
  csat_good BIGINT NOT NULL,
  nps_count BIGINT NOT NULL,
  promoters BIGINT NOT NULL,
  detractors BIGINT NOT NULL,
  lateness TEXT NOT NULL,
  exceptions TEXT NOT NULL,
  PRIMARY KEY (tenant_id, dim, day, key_id)
) WITHOUT ROWID;

CREATE TABLE analytics_rate_cards (
  tenant_id TEXT NOT NULL,
  carrier_id TEXT NOT NULL,
  per_stop DOUBLE PRECISION NOT NULL,
  per_km DOUBLE PRECISION NOT NULL,
  per_parcel DOUBLE PRECISION NOT NULL,
  currency TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, carrier_id),
  FOREIGN KEY (tenant_id, carrier_id) REFERENCES carriers (tenant_id, id)
);

CREATE TABLE analytics_targets (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  on_time_rate DOUBLE PRECISION,
  first_attempt_rate DOUBLE PRECISION,
  csat DOUBLE PRECISION,
  nps DOUBLE PRECISION,
  tracking_quality DOUBLE PRECISION,
  lateness_p90_min DOUBLE PRECISION,
  cost_per_delivery DOUBLE PRECISION,
  updated_at BIGINT NOT NULL
);
)sql";

// The tenant settings document (docs/settings.md): per-tenant overrides of server defaults (NULL:
// the default), the document's version and its audit trail.
constexpr std::string_view kTenantSettings = R"sql(
ALTER TABLE tenants ADD COLUMN geofence_dwell_s INTEGER;
ALTER TABLE tenants ADD COLUMN device_offline_minutes INTEGER;
ALTER TABLE tenants ADD COLUMN stationary_minutes INTEGER;
ALTER TABLE tenants ADD COLUMN tracking_stale_hours INTEGER;
ALTER TABLE tenants ADD COLUMN arriving_milestone INTEGER NOT NULL DEFAULT 1;
CREATE TABLE tenant_settings (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_by_name TEXT NOT NULL,
  rerouting_auto_apply INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tenant_settings_history (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  version BIGINT NOT NULL,
  base_version BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  via TEXT NOT NULL,
  changes TEXT NOT NULL,
  PRIMARY KEY (tenant_id, version)
);
)sql";

// Carrier onboarding (docs/carriers.md "Onboarding"): one-time invitations; only the code's SHA-256
// is kept.
constexpr std::string_view kCarrierInvitations = R"sql(
CREATE TABLE carrier_invitations (
  id TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  carrier_id TEXT NOT NULL,
  email TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  accepted_at BIGINT,
  revoked_at BIGINT,
  api_key_id TEXT,
  FOREIGN KEY (tenant_id, carrier_id) REFERENCES carriers (tenant_id, id)
);
CREATE INDEX carrier_invitations_by_carrier ON carrier_invitations (tenant_id, carrier_id, created_at);
)sql";

// A route's breaks (domain::RouteBreak), in the order taken (`position`).
constexpr std::string_view kRouteBreaks = R"sql(
CREATE TABLE route_breaks (
  tenant_id TEXT NOT NULL,
  route_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  after_stops INTEGER NOT NULL,
  duration_s INTEGER NOT NULL,
  window_start BIGINT,
  window_end BIGINT,
  PRIMARY KEY (tenant_id, route_id, position),
  UNIQUE (tenant_id, route_id, name),
  FOREIGN KEY (tenant_id, route_id) REFERENCES routes (tenant_id, id)
);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "initial schema", kInitialSchema},
    Migration{2, "track points", kTrackPoints},
    Migration{3, "live location", kLiveLocation},
    Migration{4, "track chunks", kTrackChunks, nullptr, kTrackChunksPostgres},
    Migration{5, "live eta", kLiveEta},
    Migration{6, "tenant branding", kTenantBranding},
    Migration{7, "exception queue", kExceptionQueue},
    Migration{8, "events by tenant", kEventsByTenant},
    Migration{9, "chain of custody", kCustody},
    Migration{10, "proof of delivery", kProofOfDelivery, backfill_event_chain},
    Migration{11, "webhook outbox", kOutbox},
    Migration{12, "webhook secret rotation", kWebhookRotation},
    Migration{13, "chat and surveys", kChatAndSurveys},
    Migration{14, "notifications", kNotifications},
    Migration{15, "privacy", kPrivacy},
    Migration{16, "carrier events", kCarrierEvents},
    Migration{17, "order intake", kOrderIntake},
    Migration{18, "analytics", kAnalytics},
    Migration{19, "tenant settings", kTenantSettings},
    Migration{20, "carrier invitations", kCarrierInvitations},
    Migration{21, "route breaks", kRouteBreaks},
};

constexpr std::string_view kCreateVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
))sql";

int64_t wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Error migration_error(Connection& db, std::string what) {
  return Error{core::ErrorCode::kInternal, std::move(what) + ": " + db.last_error_message(), ""};
}

// lastmile_track_point(t, lat_e7, lon_e7, received_at, speed, heading, accuracy, altitude, battery):
// the track chunk (storage/track_chunk.hpp) of one fix, for migration 4.
void track_point_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 9) return sqlite3_result_error(ctx, "lastmile_track_point takes 9 arguments", -1);
  auto position = core::LatLon::from_unsafe(
      {sqlite3_value_int64(argv[1]) / 1e7, sqlite3_value_int64(argv[2]) / 1e7});
  if (!position) return sqlite3_result_error(ctx, "lastmile_track_point: position out of range", -1);
  ingest::Ping p;
  p.t = core::Timestamp{sqlite3_value_int64(argv[0])};
  p.position = *position;
  p.received_at = core::Timestamp{sqlite3_value_int64(argv[3])};
  std::optional<double>* optionals[] = {&p.speed_mps, &p.heading_deg, &p.accuracy_m, &p.altitude_m, &p.battery_pct};
  for (int i = 0; i < 5; ++i)
    if (sqlite3_value_type(argv[4 + i]) != SQLITE_NULL) *optionals[i] = sqlite3_value_double(argv[4 + i]);
  const std::string data = encode_track_chunk(std::span<const ingest::Ping>(&p, 1));
  sqlite3_result_blob(ctx, data.data(), static_cast<int>(data.size()), SQLITE_TRANSIENT);
}

Status register_functions(Connection& conn) {
  auto* lite = dynamic_cast<SqliteConnection*>(&conn);
  if (!lite) return {};  // PostgreSQL: the migrations it runs need no function of ours
  SqliteConnection& db = *lite;
  const int rc = sqlite3_create_function(db.handle(), "lastmile_track_point", 9, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                         nullptr, track_point_function, nullptr, nullptr);
  if (rc != SQLITE_OK) return migration_error(db, "cannot register lastmile_track_point");
  return {};
}

// The migration's SQL in `db`'s dialect.
std::string migration_sql(const Connection& db, std::string_view sqlite_sql, std::string_view postgres_sql = {}) {
  if (db.dialect() == sql::Dialect::kSqlite) return std::string(sqlite_sql);
  return postgres_sql.empty() ? postgres::postgres_ddl(sqlite_sql) : std::string(postgres_sql);
}

Status apply(Connection& db, const Migration& m) {
  if (auto st = db.exec(migration_sql(db, m.sql, m.postgres_sql)); !st)
    return migration_error(db, "migration " + std::to_string(m.version) + " (" + std::string(m.name) + ") failed");
  if (m.after) {
    if (auto st = m.after(db); !st) return st;
  }
  auto stmt = db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
  if (!stmt) return stmt.error();
  return stmt->bind_all(m.version, m.name, wall_clock_ms()).run();
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

Result<int> schema_version(Connection& db) {
  auto stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return *row ? static_cast<int>(stmt->int64(0)) : 0;
}

Status run_migrations(Connection& db) {
  if (auto st = register_functions(db); !st) return st;
  auto tx = Transaction::begin(db, Transaction::Kind::kWrite);
  if (!tx) return tx.error();
  if (auto st = db.exec(migration_sql(db, kCreateVersionTable)); !st)
    return migration_error(db, "cannot create schema_version");
  auto current = schema_version(db);
  if (!current) return current.error();
  const int latest = kMigrations.back().version;
  if (*current > latest)
    return Error{core::ErrorCode::kInternal,
                 "database schema version " + std::to_string(*current) + " is newer than this lastmile (" +
                     std::to_string(latest) + "); upgrade lastmile",
                 ""};
  for (const Migration& m : kMigrations) {
    if (m.version <= *current) continue;
    if (auto st = apply(db, m); !st) return st;
  }
  return tx->commit();
}

}  // namespace lastmile::storage::sqlite
