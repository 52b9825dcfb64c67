#pragma once
// `lastmile demo` (issue 5): the whole product on one machine within a minute. Starts `lastmile serve`
// as a child process of this binary on a fresh SQLite file in --data-dir, with the bundled Monaco map
// (imported once into a cache file next to the database) and a scaled clock; creates a shipper
// tenant, a dispatcher key, two carriers and a simulated fleet (simulate_command.hpp); prints the
// URLs to open; and keeps the fleet driving until Ctrl-C (or --duration), then stops the fleet and
// the server cleanly (SIGTERM, waiting for its exit).
//
// The server runs in its own process group, so Ctrl-C reaches the demo only, which stops the fleet
// first and then the server; the server also gets SIGTERM if the demo dies (PR_SET_PDEATHSIG).

#include <cstddef>
#include <cstdint>
#include <string>

namespace lastmile::app {

struct DemoOptions {
  std::string data_dir =
      "lastmile-demo";  // database demo.db (fresh each run), monaco.lmgraph (kept), server.log
  std::string http = "127.0.0.1:8080";
  std::string pbf;  // default: data/osm/monaco.osm.pbf near the binary or the working dir
  double speedup = 10;
  size_t drivers = 10;
  size_t stops = 10;
  uint64_t seed = 1;
  double duration_s = 0;  // wall seconds, then stop as on Ctrl-C; 0: until Ctrl-C
  // The server's OsmAnd listener HOST:PORT (the phone of the driver before the last is a Traccar
  // Client); empty: the --http host, port 5055; "off": no listener, every phone is the driver app.
  std::string osmand;
  // A broker HOST:PORT or mqtt://[user:pass@]HOST:PORT: the server subscribes to it and one driver's
  // phone is OwnTracks over MQTT; empty: no MQTT (the demo starts no broker).
  std::string mqtt;
};

// Returns the exit code: 0 after a clean stop, 1 when the map, the server or the setup failed (the
// reason on stderr).
int demo_command(const DemoOptions& options);

}  // namespace lastmile::app
