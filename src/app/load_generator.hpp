#pragma once
// `lastmile simulate --rate R`: the load generator of issue 5. Creates `drivers` drivers through the
// API (a tenant admin key), then uploads POST /v1/pings batches of `batch` fixes from all of them,
// round robin, at a target of `rate` fixes per second for `duration_s` wall seconds, spread over
// `threads` connections; each device circles its own centre around Monaco (sim/load_pattern.hpp), so
// every fix passes the server's filter. Fix times are the server's present time (read from the first
// driver's created_at; `speedup` = the server's --clock-speedup). No routes or shipments: this
// measures the ingest path (filter, durable store, live state). A thread that falls behind its
// schedule sends without pausing, so the achieved rate shows where the server saturates.

#include "app/simulate_command.hpp"

namespace lastmile::app {

struct LoadOptions {
  double rate = 1000;      // fixes per second, all devices together; > 0
  size_t batch = 5;        // fixes per request (a phone's 5 to 10 s batch); 1..1000
  double duration_s = 30;  // wall seconds of load (after the drivers are created)
};

// Prints progress and the result (achieved fixes/s, acknowledged, rejected, HTTP errors, request
// latency p50/p99). Exit code 0 when there was no HTTP error and no rejected fix, 1 otherwise, 2 for
// bad options.
int load_command(const SimulateOptions& options, const LoadOptions& load);

}  // namespace lastmile::app
