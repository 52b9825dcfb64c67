#pragma once
// `lastmile simulate`: a simulated fleet (sim/fleet_plan.hpp) driven against a running server through
// its public HTTP API only — it creates drivers, shipments (with promised windows) and routes with a
// tenant admin key, starts the routes, then uploads each driver's pings (POST /v1/pings with the
// driver's device token, or one of the tracker protocols: device_uplink.hpp) and delivery reports (POST
// /v1/shipments/{id}/events) as its phone would, at `speedup` times the wall clock. Also the fleet of
// `lastmile demo`. docs/simulator.md, "simulate".
//
// Time: the simulation runs on a core::ScaledClock started at the server's own time (read from the
// `created_at` of the first driver created), so pings are stamped with the server's (scaled) time
// and sent when that time reaches them. `speedup` must equal the server's --clock-speedup; setup
// fails with a message when the server's clock visibly runs at another pace.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/device_uplink.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "map/router.hpp"
#include "sim/fleet_plan.hpp"

namespace lastmile::app {

struct SimulateOptions {
  std::string server = "http://127.0.0.1:8080";
  std::string api_key;   // a tenant_admin key
  std::string map_file;  // .lmgraph from `lastmile import-map`
  size_t drivers = 3;
  size_t stops = 10;  // per driver
  uint64_t seed = 1;
  double speedup = 1;                    // REQUIRES: equal to the server's --clock-speedup, in [1, 1000]
  double duration_s = 0;                 // wall seconds to run; 0: until every drive ends
  int threads = 4;                       // upload threads (each with its own connection)
  std::vector<std::string> carrier_ids;  // when not empty: driver i belongs to carrier_ids[i % size]
  bool keep_alive = false;               // after the drives: parked pings until stopped (the demo)
  bool quiet = false;                    // no progress lines on stdout
  // What the phones speak: json, osmand, owntracks-http, owntracks-mqtt, or mixed (the available
  // ones round robin from the seed; owntracks-mqtt only with `mqtt`).
  std::string protocol = "json";
  std::string osmand;  // the server's OsmAnd listener http://HOST:PORT; empty: the --server host, port 5055
  std::string mqtt;    // the broker: HOST:PORT or mqtt://[user:pass@]HOST:PORT; empty: none
  // When not empty: driver i speaks protocols[i] (overrides `protocol`; the demo's choice).
  std::vector<sim::DeviceProtocol> protocols;
};

// What setup created, per driver (in plan order).
struct SimDriver {
  std::string id;
  std::string name;
  std::string device_token;
  std::string route_id;
  std::vector<std::string> shipment_ids;     // one per stop, in visiting order
  std::vector<std::string> tracking_tokens;  // the same order
  SimDevice device;                          // its phone's protocol and identity
  std::vector<std::string> barcodes;         // the parcel of each stop, in visiting order
};

struct PreparedFleet {
  sim::FleetPlan plan;
  std::vector<SimDriver> drivers;
  std::shared_ptr<const core::ScaledClock> clock;  // the simulated clock, in step with the server's
  UplinkTargets targets;                           // where the phones send
  std::string run;                                 // this run's random tag (device ids, MQTT client ids)
};

struct SimulationSummary {
  uint64_t pings_sent = 0;
  uint64_t acknowledged = 0;  // accepted + late + duplicates of the replies
  uint64_t rejected = 0;
  uint64_t http_errors = 0;  // transport failures and unexpected statuses
  uint64_t deliveries = 0;   // delivered and attempt_failed events recorded
  double wall_s = 0;
  std::string rejected_reasons;  // "impossible_jump 3, …" (empty: none)
};

// The JSON text of POST /v1/scans for the parcel of driver d's stop i (docs/chain-of-custody.md).
// The scan id is made of the run, driver, stop and kind: a re-sent scan is the same scan.
std::string scan_request(const std::string& run, size_t d, size_t i, std::string_view kind, core::Timestamp at,
                         core::LatLon where, const std::string& route_id);

// Plans the fleet on `router` and creates it on the server (drivers, shipments marked processed and
// shipped, routes started). Errors: kInvalidField (bad options, a speedup that does not match the
// server's clock), kUnavailable (cannot reach the server), kInternal (the server refused a request:
// the message has its answer), the plan's errors as kInternal.
core::Result<PreparedFleet> prepare_fleet(const SimulateOptions& options, const map::Router& router);

// Sends every driver's pings and reports at the simulated pace until the drives end (and, with
// keep_alive, until `stop`), or `stop` is set, or duration_s passed. Blocks; `stop` may be set from
// any thread.
SimulationSummary run_fleet(const PreparedFleet& fleet, const SimulateOptions& options,
                            const std::atomic<bool>& stop);

// The CLI: loads the map, prepares, runs, prints the summary. Exit code 0 when every request
// succeeded and every ping was acknowledged, 1 otherwise, 2 for bad options.
int simulate_command(const SimulateOptions& options);

}  // namespace lastmile::app
