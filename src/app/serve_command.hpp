#pragma once
// `lastmile serve`: wires storage, the event bus, the router and the HTTP server, and runs until
// SIGTERM/SIGINT. The one place where modules are put together.

#include <cstddef>
#include <string>

namespace lastmile::api {
struct ServerOptions;
}

namespace lastmile::app {

struct ServeOptions {
  std::string db = "sqlite:./lastmile.db";
  std::string http = "127.0.0.1:8080";
  std::string public_url;  // default: "http://" + http
  std::string map_file;    // road network from `lastmile import-map`; empty: great-circle estimates
  std::string router_url;  // osrm://HOST:PORT: routes and matrices from that OSRM server (not with map_file)
  int router_timeout_ms = 10'000;  // per request to router_url
  double detour_factor = 1.3;      // without a map: road distance = straight line × this
  double fallback_speed_kmh = 30;  // without a map: duration = distance / this
  bool osrm_public = false;        // /route/v1 and /table/v1 without credentials
  std::string web_dir;  // the built web bundle (web/dist); empty: the source tree's web/dist (kDefaultWebDir)
  std::string raster_tiles;       // an XYZ raster tile URL template offered beside the vector tiles; empty: none
  int threads = 0;         // 0 = number of cores
  int blocking_threads = 64;
  size_t max_body_bytes = 1 << 20;
  size_t max_upload_bytes = 24 << 20;  // proof-of-delivery uploads (multipart)
  size_t max_import_bytes = size_t{512} << 20;  // POST /v1/shipments/import (spooled to disk)
  // Proof-of-delivery blobs; empty: <dir of the database file>/blobs, or for a :memory: database a
  // fresh temporary folder (removed at exit).
  std::string blob_dir;
  double pod_max_photo_mib = 8;  // each photo of a POD or failed attempt
  int read_timeout_s = 30;
  // Open connections per listener (0: the open-file limit less a reserve) and per client address (0: none).
  size_t max_connections = 0;
  size_t max_connections_per_ip = 0;
  std::string log_level = "info";
  int track_cache_ttl_ms = 2000;  // 0 disables the public tracking view cache
  int login_link_ttl_h = 24;      // one-time driver sign-in links expire after this many hours
  std::string osmand;  // OsmAnd listener HOST:PORT; empty: the --http host, port 5055; "off": none
  std::string mqtt;    // mqtt://[user:pass@]HOST:PORT of the OwnTracks broker; empty: no MQTT
  int track_retention_days = 90;  // 0 keeps track points forever
  int live_heartbeat_s = 15;
  double eta_change_minutes = 15;  // a stop's ETA moved this much from the last announced: eta_changed event
  double eta_push_change_s = 60;  // a stop's live ETA is pushed when it moved by at least this
  double late_risk_after_s = 60;  // late_risk when the predicted arrival is this far past the window
  double off_route_m = 150;       // off_route: farther than this from the planned path …
  double off_route_s = 90;        // … for at least this long
  int eta_history_days = 28;      // the ETA model learns from this much history; 0: no learning
  // Demo/testing only: the server's clock runs this many times faster than the wall clock, from the
  // wall time at start (core::ScaledClock), for every time the server reads. The activity checks
  // (device offline, stationary) then run every 15 s / speedup of wall time (at least 100 ms), so they
  // keep their 15 s of server time. 1 = the wall clock. REQUIRES: 1 <= clock_speedup <= 1000.
  double clock_speedup = 1;
  // Outbound webhooks (docs/webhooks.md).
  int webhook_max_attempts = 8;         // a message is dead after this many failed tries
  double webhook_backoff_scale = 1;     // multiplies the retry delays (tests: 0.001–0.01)
  bool webhook_allow_private = false;   // allow loopback/private webhook URLs (tests, trusted networks)
  // Rate limits (docs/api.md, "Rate limits"); a rate of 0 turns that limit off.
  double rate_key_per_s = 200;      // each API key / device token
  double rate_key_burst = 1000;
  double rate_ip_per_s = 20;        // each client address on the public token routes (tracking, sign-in)
  double rate_ip_burst = 200;
  double auth_failures_per_min = 30;  // failed credential / token lookups per client address …
  double auth_failures_burst = 60;    // … allowed at once
  // E-mail/SMS providers (docs/notifications.md); a channel without them keeps its messages pending.
  // Retries use webhook_max_attempts and webhook_backoff_scale.
  std::string smtp_url;  // smtp://HOST:PORT (smtps:// for implicit TLS)
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_from;
  bool smtp_starttls = false;  // require STARTTLS
  std::string smtp_ca_file;    // PEM CA bundle for the SMTP server (a private CA); empty: the system store
  std::string sms_url;         // Twilio-compatible API base URL
  std::string sms_account_sid;
  std::string sms_auth_token;  // also verifies the provider's callbacks
  std::string sms_from;
  // Privacy (docs/privacy.md): default retention of proof images and chat texts (0: forever), how
  // often the retention job runs, and how long a just-written blob is safe from deletion.
  int photo_retention_days = 0;
  int chat_retention_days = 0;
  int retention_interval_s = 3600;
  int blob_delete_idle_s = 3600;
  // tracking_stale (docs/carriers.md): hours without a carrier event in transit (a tenant's
  // settings may say otherwise; 0: off), and the seconds of server clock between passes.
  int tracking_stale_hours = 24;
  int tracking_stale_interval_s = 300;
  // Cluster mode (docs/cluster.md): the NATS servers nats://H:P,…; empty: a single node. The node id
  // names this node in leases and metrics (default: hostname:http-port).
  std::string cluster;
  std::string node_id;
  int cluster_shards = 16;
};

// The web/dist folder of the source tree this binary was built from (a compile definition).
extern const char* const kDefaultWebDir;

// Returns the process exit code: 0 after a clean shutdown, 1 when --map cannot be loaded or
// --router is malformed or given with --map (the reason on stderr). Throws std::runtime_error on other bad configuration.
int serve(const ServeOptions& options);

// The connection limits of every listener: --max-connections, or the open-file limit less 128.
void apply_connection_limits(const ServeOptions& options, api::ServerOptions& server);

}  // namespace lastmile::app
