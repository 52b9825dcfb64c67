// lastmile: one binary for the whole platform. Subcommands are added here.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "api/routes_table.hpp"
#include "app/demo_command.hpp"
#include "app/load_generator.hpp"
#include "app/optimize_command.hpp"
#include "app/serve_command.hpp"
#include "app/simulate_command.hpp"
#include "app/verify_command.hpp"
#include "map/import_map.hpp"
#include "map/route_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"lastmile — self-hosted last-mile delivery tracking"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lastmile 0.1.0");

  lastmile::app::ServeOptions serve;
  auto* s = app.add_subcommand("serve", "Run the HTTP API server");
  // The config file belongs to the root app: CLI11 2.1 never reads a subcommand's own config file.
  // `serve --config FILE` reaches it through fallthrough; the file's serve options are in a [serve]
  // section (TOML/INI, keys as the long flag names).
  app.set_config("--config", "", "Read options from a TOML/INI file: a [serve] section, keys as the long flag names");
  s->fallthrough();
  s->add_option("--db", serve.db, "Database URL: sqlite:PATH (default sqlite:./lastmile.db) or postgres://USER@HOST:PORT/DB[?schema=NAME]")
      ->envname("LASTMILE_DB");
  s->add_option("--http", serve.http, "Listen address HOST:PORT (default 127.0.0.1:8080)")
      ->envname("LASTMILE_HTTP");
  s->add_option("--public-url", serve.public_url, "Base URL for tracking links (default http://HOST:PORT)")
      ->envname("LASTMILE_PUBLIC_URL");
  s->add_option("--map", serve.map_file,
                 "Road network file from `lastmile import-map`; without it routing answers great-circle estimates")
      ->envname("LASTMILE_MAP");
  s->add_option("--router", serve.router_url,
                 "osrm://HOST:PORT: answer routes and matrices with that OSRM server (instead of --map)")
      ->envname("LASTMILE_ROUTER");
  s->add_option("--router-timeout-ms", serve.router_timeout_ms,
                 "Timeout of one request to the --router server in ms (default 10000)")
      ->check(CLI::Range(1, 600'000));
  s->add_option("--detour-factor", serve.detour_factor,
                 "Without --map: road distance = great-circle distance x this (default 1.3)")
      ->check(CLI::Range(1.0, 10.0));
  s->add_option("--fallback-speed-kmh", serve.fallback_speed_kmh,
                 "Without --map: speed of great-circle estimates in km/h (default 30)")
      ->check(CLI::Range(1.0, 300.0));
  s->add_option("--web-dir", serve.web_dir,
                 "Folder of the built web pages (default: web/dist of the source tree this binary was built from)");
  s->add_option("--raster-tiles", serve.raster_tiles,
                 "Raster tile URL template of a tile provider (https://…/{z}/{x}/{y}.png), offered in "
                 "/v1/tiles.json and /v1/tiles/style.json beside the vector tiles (default: none)")
      ->envname("LASTMILE_RASTER_TILES");
  s->add_flag("--osrm-public", serve.osrm_public,
              "Serve the OSRM-compatible /route/v1 and /table/v1 without credentials (as OSRM does)");
  s->add_option("--threads", serve.threads, "Worker threads (default: number of cores)")->check(CLI::Range(0, 256));
  s->add_option("--blocking-threads", serve.blocking_threads,
                 "Threads that run writing requests (they wait for durable commits; default 64)")
      ->check(CLI::Range(1, 1024));
  s->add_option("--max-upload-bytes", serve.max_upload_bytes,
                 "Largest accepted proof-of-delivery upload (multipart) in bytes (default 24 MiB)");
  s->add_option("--max-import-bytes", serve.max_import_bytes,
                 "Largest accepted CSV order import (POST /v1/shipments/import, spooled to the temporary "
                 "directory) in bytes (default 512 MiB)")
      ->check(CLI::Range(size_t{1024}, size_t{16} << 30));
  s->add_option("--blob-dir", serve.blob_dir,
                "Folder of the proof-of-delivery blob store (default: blobs/ next to the database file; a "
                "temporary folder for sqlite::memory:)")
      ->envname("LASTMILE_BLOB_DIR");
  s->add_option("--pod-max-photo-mib", serve.pod_max_photo_mib,
                "Largest accepted photo of a proof of delivery or failed attempt, in MiB (default 8)")
      ->check(CLI::Range(0.01, 64.0));
  s->add_option("--max-body", serve.max_body_bytes, "Largest accepted request body in bytes (default 1 MiB)")
      ->check(CLI::Range(size_t{1024}, size_t{64} << 20));
  s->add_option("--read-timeout", serve.read_timeout_s, "Seconds to read one request / idle keep-alive (default 30)")
      ->check(CLI::Range(1, 3600));
  s->add_option("--max-connections", serve.max_connections,
                 "Open connections per listener, WebSockets included; more get 503 (default 0: the open-file limit "
                 "less 128)")
      ->check(CLI::Range(size_t{0}, size_t{10'000'000}));
  s->add_option("--max-connections-per-ip", serve.max_connections_per_ip,
                 "Open connections per client address; more get 429 (default 0: no limit — behind a proxy every "
                 "client has its address)")
      ->check(CLI::Range(size_t{0}, size_t{10'000'000}));
  s->add_option("--login-link-ttl-h", serve.login_link_ttl_h, "Hours a one-time driver sign-in link stays valid")
      ->check(CLI::Range(1, 24 * 30));
  s->add_option("--track-cache-ttl-ms", serve.track_cache_ttl_ms,
                 "Lifetime of cached public tracking views in ms; 0 disables the cache (default 2000)")
      ->check(CLI::Range(0, 60000));
  s->add_option("--track-retention-days", serve.track_retention_days,
                 "Days raw track points are kept; older ones are deleted hourly. 0 keeps them forever (default 90)")
      ->check(CLI::Range(0, 36500));
  s->add_option("--photo-retention-days", serve.photo_retention_days,
                 "Default days proof images are kept (a tenant may set its own); 0 keeps them forever (default 0)")
      ->check(CLI::Range(0, 36500));
  s->add_option("--chat-retention-days", serve.chat_retention_days,
                 "Default days chat message texts are kept (a tenant may set its own); 0 keeps them forever (default 0)")
      ->check(CLI::Range(0, 36500));
  s->add_option("--retention-interval-s", serve.retention_interval_s,
                 "Seconds between retention passes (default 3600)")
      ->check(CLI::Range(1, 86400));
  s->add_option("--blob-delete-idle-s", serve.blob_delete_idle_s,
                 "A blob file written less than this many seconds ago is not deleted yet (default 3600)")
      ->check(CLI::Range(0, 86400));
  s->add_option("--tracking-stale-hours", serve.tracking_stale_hours,
                 "Hours without a carrier event before an in-transit shipment is tracking_stale (a tenant may set "
                 "its own); 0 turns it off (default 24)")
      ->check(CLI::Range(0, 720));
  s->add_option("--tracking-stale-interval-s", serve.tracking_stale_interval_s,
                 "Seconds (server clock) between tracking_stale passes (default 300)")
      ->check(CLI::Range(1, 86400));
  s->add_option("--webhook-max-attempts", serve.webhook_max_attempts,
                 "Tries of a webhook message before it is dead-lettered (default 8)")
      ->check(CLI::Range(1, 100));
  s->add_option("--webhook-backoff-scale", serve.webhook_backoff_scale,
                 "Multiplies the webhook retry delays (10 s, 30 s, 2 min, …); tests use 0.001 (default 1)")
      ->check(CLI::Range(0.0001, 100.0));
  s->add_option("--smtp-url", serve.smtp_url, "SMTP server for e-mail notifications: smtp://HOST:PORT or smtps://…")
      ->envname("LASTMILE_SMTP_URL");
  s->add_option("--smtp-user", serve.smtp_user, "SMTP user name")->envname("LASTMILE_SMTP_USER");
  s->add_option("--smtp-password", serve.smtp_password, "SMTP password")->envname("LASTMILE_SMTP_PASSWORD");
  s->add_option("--smtp-from", serve.smtp_from, "Sender address of e-mail notifications")
      ->envname("LASTMILE_SMTP_FROM");
  s->add_flag("--smtp-starttls", serve.smtp_starttls, "Require STARTTLS on smtp://")
      ->envname("LASTMILE_SMTP_STARTTLS");
  s->add_option("--smtp-ca-file", serve.smtp_ca_file, "PEM CA bundle to verify the SMTP server (a private CA)")
      ->envname("LASTMILE_SMTP_CA_FILE");
  s->add_option("--sms-url", serve.sms_url, "Twilio-compatible SMS API base URL (e.g. https://api.twilio.com)")
      ->envname("LASTMILE_SMS_URL");
  s->add_option("--sms-account-sid", serve.sms_account_sid, "SMS API account SID")
      ->envname("LASTMILE_SMS_ACCOUNT_SID");
  s->add_option("--sms-auth-token", serve.sms_auth_token, "SMS API auth token (also checks callback signatures)")
      ->envname("LASTMILE_SMS_AUTH_TOKEN");
  s->add_option("--sms-from", serve.sms_from, "Sender number of SMS notifications (E.164)")
      ->envname("LASTMILE_SMS_FROM");
  s->add_flag("--webhook-allow-private", serve.webhook_allow_private,
              "Allow webhook URLs on loopback and private addresses (SSRF risk; tests and trusted networks only)");
  s->add_option("--live-heartbeat-s", serve.live_heartbeat_s,
                 "Seconds between heartbeats on live WebSocket/SSE sessions (default 15)")
      ->check(CLI::Range(1, 300));
  s->add_option("--eta-push-change-s", serve.eta_push_change_s,
                 "Push a stop's live ETA when it moved by at least this many seconds (default 60)")
      ->check(CLI::Range(0.0, 3600.0));
  s->add_option("--rate-limit-key", serve.rate_key_per_s,
                 "Requests per second each API key or device token may make (token bucket; 0: no limit; default 200)")
      ->check(CLI::Range(0.0, 1e6));
  s->add_option("--rate-limit-key-burst", serve.rate_key_burst, "… of which this many at once (default 1000)")
      ->check(CLI::Range(1.0, 1e7));
  s->add_option("--rate-limit-ip", serve.rate_ip_per_s,
                 "Requests per second each client address may make to the public tracking-token and sign-in routes "
                 "(0: no limit; default 20)")
      ->check(CLI::Range(0.0, 1e6));
  s->add_option("--rate-limit-ip-burst", serve.rate_ip_burst, "… of which this many at once (default 200)")
      ->check(CLI::Range(1.0, 1e7));
  s->add_option("--auth-failures-per-min", serve.auth_failures_per_min,
                 "Failed sign-ins and token lookups each client address may make per minute before it gets 429 "
                 "(0: no limit; default 30)")
      ->check(CLI::Range(0.0, 1e6));
  s->add_option("--auth-failures-burst", serve.auth_failures_burst, "… of which this many at once (default 60)")
      ->check(CLI::Range(1.0, 1e7));
  s->add_option("--eta-change-minutes", serve.eta_change_minutes,
                 "Store an eta_changed event (webhook shipment.eta_changed, notifications) when a stop's ETA moved by "
                 "at least this many minutes from the one last announced; 0 disables (default 15)")
      ->check(CLI::Range(0.0, 1440.0));
  s->add_option("--late-risk-after-s", serve.late_risk_after_s,
                 "Raise late_risk when the predicted arrival is this many seconds past the promised window (default 60)")
      ->check(CLI::Range(0.0, 86400.0));
  s->add_option("--off-route-m", serve.off_route_m,
                 "off_route: metres from the planned path (default 150)")
      ->check(CLI::Range(20.0, 10000.0));
  s->add_option("--off-route-s", serve.off_route_s, "off_route: seconds away from the planned path (default 90)")
      ->check(CLI::Range(0.0, 3600.0));
  s->add_option("--eta-history-days", serve.eta_history_days,
                 "Days of visited stops the ETA model learns from, hourly; 0 disables learning (default 28)")
      ->check(CLI::Range(0, 3650));
  s->add_option("--osmand", serve.osmand,
                 "OsmAnd / Traccar Client listener HOST:PORT, or 'off' (default: the --http host, port 5055)")
      ->envname("LASTMILE_OSMAND");
  s->add_option("--mqtt", serve.mqtt,
                 "OwnTracks MQTT broker mqtt://[user:pass@]HOST:PORT to subscribe to owntracks/+/+ (default: none)")
      ->envname("LASTMILE_MQTT");
  s->add_option("--clock-speedup", serve.clock_speedup,
                 "Demo/testing only: the server's clock runs K times faster than the wall clock (default 1)")
      ->check(CLI::Range(1.0, 1000.0));
  s->add_option("--log-level", serve.log_level, "trace, debug, info, warn, error (default info)")
      ->envname("LASTMILE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  s->add_option("--cluster", serve.cluster,
                 "Cluster mode: NATS JetStream servers nats://HOST:PORT[,nats://HOST:PORT…] shared by every node "
                 "(needs a shared database; docs/cluster.md)")
      ->envname("LASTMILE_CLUSTER");
  s->add_option("--node-id", serve.node_id, "Cluster mode: this node's name (default HOSTNAME:HTTP-PORT)")
      ->envname("LASTMILE_NODE_ID");
  s->add_option("--cluster-shards", serve.cluster_shards,
                 "Cluster mode: shards of the ping stream; every node must use the same (default 16)")
      ->check(CLI::Range(1, 1024));

  std::string map_in;
  std::string map_out;
  auto* im = app.add_subcommand("import-map", "Build the car routing graph from an OpenStreetMap file");
  im->add_option("input", map_in, "OSM file (.osm.pbf, .osm, .osm.bz2)")->required();
  im->add_option("-o,--output", map_out, "Graph file to write (e.g. monaco.lmgraph)")->required();

  std::string route_graph, route_from, route_to;
  auto* rc = app.add_subcommand("route", "Print the fastest car route's duration and distance between two points");
  rc->add_option("graph", route_graph, "Graph file from `lastmile import-map`")->required();
  rc->add_option("--from", route_from, "Start, lat,lon")->required();
  rc->add_option("--to", route_to, "End, lat,lon")->required();

  lastmile::app::OptimizeOptions opt;
  uint64_t opt_iterations = 0;
  auto* oc = app.add_subcommand("optimize", "Solve a vehicle routing problem (Solomon text or VROOM JSON) and print the routes as JSON");
  oc->add_option("file", opt.file, "Problem file (- for stdin)")->required();
  oc->add_option("--format", opt.format, "Input format: solomon (default) or json (VROOM input)")
      ->check(CLI::IsMember({"solomon", "json"}));
  oc->add_option("--time-limit", opt.time_limit_s, "Seconds to search (default 10)")->check(CLI::Range(0.0, 86400.0));
  oc->add_option("--seed", opt.seed, "Random seed (default 1); with --threads T the searches use seeds N..N+T-1");
  oc->add_option("--threads", opt.threads, "Independent searches run in parallel (default 1)")->check(CLI::Range(1u, 64u));
  oc->add_option("--objective", opt.objective,
                 "After the number of vehicles, minimise total distance or total duration "
                 "(default: distance for solomon, duration for json)")
      ->check(CLI::IsMember({"distance", "duration"}));
  double opt_lateness = 0;
  auto* opt_late = oc->add_option("--lateness-penalty", opt_lateness,
                                  "Soft time windows: service may start after a job's window, each unit of lateness "
                                  "costs X (after the vehicle count, added to distance/duration)")
                       ->check(CLI::Range(0.0, 1e9));
  auto* opt_iter = oc->add_option("--iterations", opt_iterations,
                                  "Iteration budget per search: same seed + iterations give the same solution "
                                  "(the time limit still stops the search)");

  lastmile::app::SimulateOptions sim;
  auto* sc = app.add_subcommand("simulate",
                                "Drive a simulated fleet against a running server through its public API (docs/simulator.md)");
  sc->add_option("--server", sim.server, "Server base URL http://HOST:PORT (default http://127.0.0.1:8080)");
  sc->add_option("--api-key", sim.api_key, "A tenant_admin API key of the tenant to create the fleet in")
      ->required()->envname("LASTMILE_API_KEY");
  sc->add_option("--map", sim.map_file, "Road network file from `lastmile import-map` (the server's map; not with --rate)");
  sc->add_option("--stops", sim.stops, "Stops per driver (default 10)")->check(CLI::Range(size_t{1}, size_t{100}));
  sc->add_option("--seed", sim.seed, "Seed: the same seed gives the same fleet and drives (default 1)");
  sc->add_option("--speedup", sim.speedup,
                 "Simulated time runs K times faster than wall time; must equal the server's --clock-speedup (default 1)")
      ->check(CLI::Range(1.0, 1000.0));
  sc->add_option("--duration", sim.duration_s, "Stop after this many wall seconds (default: when every drive ends)")
      ->check(CLI::Range(0.0, 1e7));
  sc->add_option("--threads", sim.threads, "Upload threads, one connection each (default 4)")->check(CLI::Range(1, 256));
  sc->add_option("--protocol", sim.protocol,
                 "What the phones speak: json (the driver app, default), osmand (Traccar Client), owntracks-http, "
                 "owntracks-mqtt, or mixed (the available ones round robin from the seed)")
      ->check(CLI::IsMember({"json", "osmand", "owntracks-http", "owntracks-mqtt", "mixed"}));
  sc->add_option("--osmand", sim.osmand,
                 "The server's OsmAnd listener http://HOST:PORT (default: the --server host, port 5055)");
  sc->add_option("--mqtt", sim.mqtt,
                 "The MQTT broker the server subscribes to, HOST:PORT or mqtt://[user:pass@]HOST:PORT "
                 "(owntracks-mqtt phones; default: none)");
  lastmile::app::LoadOptions load;
  auto* rate = sc->add_option("--rate", load.rate,
                              "Load generator: send this many fixes per second from --drivers devices for --duration "
                              "seconds (default 30), no routes; reports the achieved rate")
                   ->check(CLI::Range(0.1, 1e7));
  sc->add_option("--batch", load.batch, "Load generator: fixes per request (default 5)")
      ->check(CLI::Range(size_t{1}, size_t{1000}));
  sc->add_option("--drivers", sim.drivers, "Drivers (default 3; with --rate: devices, up to 100000)")
      ->check(CLI::Range(size_t{1}, size_t{100000}));

  lastmile::app::DemoOptions demo;
  auto* dc = app.add_subcommand("demo",
                                "Start a server on a fresh database with the bundled Monaco map and a simulated fleet; "
                                "print the URLs to open (Ctrl-C stops)");
  dc->add_option("--data-dir", demo.data_dir,
                 "Folder of the demo's database (recreated each run), map cache and server log (default ./lastmile-demo)");
  dc->add_option("--http", demo.http, "Listen address HOST:PORT (default 127.0.0.1:8080)");
  dc->add_option("--pbf", demo.pbf, "OSM extract to import (default: the bundled data/osm/monaco.osm.pbf)");
  dc->add_option("--speedup", demo.speedup, "The demo's clock runs K times faster than wall time (default 10)")
      ->check(CLI::Range(1.0, 1000.0));
  dc->add_option("--drivers", demo.drivers, "Drivers (default 10)")->check(CLI::Range(size_t{1}, size_t{200}));
  dc->add_option("--stops", demo.stops, "Stops per driver (default 10)")->check(CLI::Range(size_t{1}, size_t{50}));
  dc->add_option("--seed", demo.seed, "Seed of the fleet (default 1)");
  dc->add_option("--osmand", demo.osmand,
                 "The server's OsmAnd listener HOST:PORT; one driver's phone is a Traccar Client "
                 "(default: the --http host, port 5055)");
  dc->add_option("--mqtt", demo.mqtt,
                 "An MQTT broker HOST:PORT or mqtt://[user:pass@]HOST:PORT: the server subscribes and one driver's "
                 "phone is OwnTracks over MQTT (default: none)");
  dc->add_option("--duration", demo.duration_s, "Stop after this many wall seconds (default: at Ctrl-C)")
      ->check(CLI::Range(0.0, 1e7));

  lastmile::app::VerifyOptions verify;
  auto* vc = app.add_subcommand("verify",
                                "Check every shipment's event hash chain and every proof blob's bytes; prints a JSON "
                                "report, exit 0 when clean, 1 when a problem was found (docs/proof-of-delivery.md)");
  vc->add_option("--db", verify.db, "Database: sqlite:PATH (or just PATH), or postgres://…?schema=NAME (then --blob-dir is needed)")->required()->envname("LASTMILE_DB");
  vc->add_option("--blob-dir", verify.blob_dir, "Blob folder (default: blobs/ next to a SQLite database file)");

  // Hidden: the route table as JSON, for the authorization matrix test (tests/integration/test_authz_matrix.py).
  bool osrm_public_routes = false;
  auto* routes_cmd = app.add_subcommand("routes", "Print the route table (method, path, public, roles) as JSON");
  routes_cmd->group("");
  routes_cmd->add_flag("--osrm-public", osrm_public_routes, "As `serve --osrm-public` would serve it");

  CLI11_PARSE(app, argc, argv);
  try {
    if (s->parsed()) return lastmile::app::serve(serve);
    if (routes_cmd->parsed()) {
      std::cout << lastmile::api::route_table_json({.osrm_public = osrm_public_routes}) << "\n";
      return 0;
    }
    if (dc->parsed()) return lastmile::app::demo_command(demo);
    if (vc->parsed()) return lastmile::app::verify_command(verify, std::cout, std::cerr);
    if (sc->parsed() && rate->count() > 0) {
      if (sim.duration_s > 0) load.duration_s = sim.duration_s;
      return lastmile::app::load_command(sim, load);
    }
    if (sc->parsed()) return lastmile::app::simulate_command(sim);
    if (im->parsed()) return lastmile::map::import_map_command(map_in, map_out);
    if (oc->parsed()) {
      if (opt_iter->count() > 0) opt.iterations = opt_iterations;
      if (opt_late->count() > 0) opt.lateness_penalty = opt_lateness;
      return lastmile::app::optimize_command(opt, std::cout, std::cerr);
    }
    if (rc->parsed()) return lastmile::map::route_command(route_graph, route_from, route_to, std::cout, std::cerr);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
