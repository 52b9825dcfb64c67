#pragma once
// tracking_stale (issue 10 §2, docs/carriers.md): a shipment that reports through a carrier and is
// in transit, with no carrier event for the tenant's tracking_stale_hours, gets a `tracking_stale`
// event (which raises the exception case); the next carrier event clears the case (exception_queue
// clears it on any carrier-reported event, and this pass on a carrier event that moved nothing), as
// does a final milestone.
//
// decide_tracking_stale is the pure decision; TrackingStaleMonitor is the thin periodic pass that
// reads the candidates, decides with the clock's now, and appends the events.
// Threading: the monitor's pass runs on its own thread (PeriodicJob) or the caller's (run_once).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "core/time.hpp"
#include "pipeline/periodic_job.hpp"
#include "storage/settings_store.hpp"
#include "storage/store.hpp"

namespace lastmile::pipeline {

// The statuses in which a carrier is expected to keep reporting: shipped, out_for_delivery,
// arriving, attempt_failed (a parcel waiting at a pickup point, or finished, is not in transit).
bool is_carrier_in_transit(domain::Milestone m);

enum class StaleDecision { kNone, kRaise, kClear };

// Stale: in transit, `hours` > 0 and nothing heard for at least `hours` at `now`. kRaise when
// stale without an open case, kClear when an open case is no longer stale (a carrier event came,
// the status moved on, or the threshold was raised or turned off), kNone otherwise.
StaleDecision decide_tracking_stale(const storage::CarrierTrackedShipment& s, core::Timestamp now, int hours);

struct TrackingStaleOptions {
  int default_hours = 24;  // serve --tracking-stale-hours; a tenant's exceptions.tracking_stale_hours wins
  std::chrono::milliseconds interval{std::chrono::minutes(5)};  // wall time between passes; 0: no thread
  int page = 500;
  // Cluster mode (docs/cluster.md): the periodic passes run only while this returns true (the node
  // holds the leader lease), so two nodes never raise the same case. Null: always.
  std::function<bool()> may_run;
};

struct TrackingStaleReport {
  int raised = 0;
  int cleared = 0;
};

class TrackingStaleMonitor {
 public:
  // `store` and `clock` outlive the monitor. Without a SettingsStore the monitor does nothing.
  TrackingStaleMonitor(storage::Store& store, const core::Clock& clock, TrackingStaleOptions options);
  ~TrackingStaleMonitor();
  TrackingStaleMonitor(const TrackingStaleMonitor&) = delete;
  TrackingStaleMonitor& operator=(const TrackingStaleMonitor&) = delete;

  // One pass at the clock's now, on the caller's thread.
  core::Result<TrackingStaleReport> run_once(const std::atomic<bool>* stopping = nullptr);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  TrackingStaleOptions options_;
  std::unique_ptr<PeriodicJob> job_;  // last: stopped first
};

}  // namespace lastmile::pipeline
