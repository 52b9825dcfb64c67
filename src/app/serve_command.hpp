#pragma once
// `lastmile serve`: wires storage, the event bus, the router and the HTTP server, and runs until
// SIGTERM/SIGINT. The one place where modules are put together.

#include <string>

namespace lastmile::app {

struct ServeOptions {
  std::string db = "sqlite:./lastmile.db";
  std::string http = "127.0.0.1:8080";
  std::string public_url;  // default: "http://" + http
  std::string map_file;    // road network from `lastmile import-map`; empty: great-circle estimates
  double detour_factor = 1.3;      // without a map: road distance = straight line × this
  double fallback_speed_kmh = 30;  // without a map: duration = distance / this
  bool osrm_public = false;        // /route/v1 and /table/v1 without credentials
  int threads = 0;         // 0 = number of cores
  int blocking_threads = 64;
  size_t max_body_bytes = 1 << 20;
  int read_timeout_s = 30;
  std::string log_level = "info";
  int track_cache_ttl_ms = 2000;  // 0 disables the public tracking view cache
  std::string osmand;  // OsmAnd listener HOST:PORT; empty: the --http host, port 5055; "off": none
  std::string mqtt;    // mqtt://[user:pass@]HOST:PORT of the OwnTracks broker; empty: no MQTT
  int track_retention_days = 90;  // 0 keeps track points forever
  int live_heartbeat_s = 15;  // GET /v1/live, /v1/live/sse: seconds between heartbeats
};

// Returns the process exit code: 0 after a clean shutdown, 1 when --map cannot be loaded (the
// reason on stderr). Throws std::runtime_error on other bad configuration.
int serve(const ServeOptions& options);

}  // namespace lastmile::app
