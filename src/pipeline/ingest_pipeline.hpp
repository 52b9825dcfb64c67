#pragma once
// The live-location pipeline (DESIGN.md §3): every protocol adapter (POST /v1/pings, the OsmAnd
// listener, OwnTracks over HTTP and MQTT) hands its decoded pings to submit(); from there the path
// is the same for all:
//
//   filter (per driver, on its shard) → durable write (group commit) → acknowledge
//        → geofence → route progress (stop times, out_for_delivery / arriving) → live updates
//
// Sharding: each driver belongs to one shard (a thread with a task queue), chosen by a hash of its
// id. A driver's in-memory state — filter state, geofence, activity monitor, route view — is read
// and written only by that shard's tasks, one at a time, so the hot path takes no lock on it;
// callers hand work over through the shard's queue. A batch's filter step is dispatched: when the
// shard is idle it runs at once on the caller's thread (still serialised with the shard's other
// tasks, like a strand), which saves a thread switch per request (pipeline/serial_worker.hpp). The durable write happens on the caller's thread between two
// shard tasks, so concurrent senders (of any drivers) share group commits.
//
// Acknowledgement: submit() returns only after the accepted points are committed. If the write
// fails, the shard forgets those points (a retry is not mistaken for duplicates) and submit returns
// the store's error. Geofence work and live updates run after the commit, asynchronously: they never
// delay an acknowledgement, and a live subscriber never sees a point that is not durable.
//
// Threading: every public method is thread-safe. The destructor drains queued work and joins.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "eta/estimator.hpp"
#include "eta/late_risk.hpp"
#include "eta/legs.hpp"
#include "eta/model_registry.hpp"
#include "eta/off_route.hpp"
#include "ingest/ping.hpp"
#include "storage/store.hpp"
#include "tracking/activity_monitor.hpp"
#include "tracking/geofence.hpp"
#include "tracking/ping_filter.hpp"

namespace lastmile::pipeline {

// A device resolved to its driver (see device_directory.hpp for tracker protocols; the JSON batch
// API resolves it from the device token).
struct Device {
  core::TenantId tenant;
  core::DriverId driver;
};

struct Rejection {
  size_t index = 0;  // position in the submitted batch
  tracking::RejectReason reason = tracking::RejectReason::kBadCoordinates;
};

struct IngestOutcome {
  size_t received = 0;
  int accepted = 0;    // newer than the live position, which moved
  int late = 0;        // older: kept in the history only
  int duplicates = 0;  // seen before: not stored again
  int stored = 0;      // rows written (accepted + late, minus those already on disk)
  std::vector<Rejection> rejected;
};

// A message for live subscribers (push/), produced after the commit.
struct LiveUpdate {
  enum class Kind { kPosition, kStop, kException, kEta };
  Kind kind = Kind::kPosition;
  core::TenantId tenant;
  core::DriverId driver;
  std::optional<core::RouteId> route;
  // Positions only: the shipments whose customers may see this position now (the location-privacy
  // rules of tracking/route_progress.hpp already applied). Empty: staff only.
  std::vector<core::ShipmentId> public_audience;
  std::string staff_json;   // the message for dispatchers and the driver app
  std::string public_json;  // positions only: the message for customers (no ids, first name only)
};
using LiveSink = std::function<void(const LiveUpdate&)>;

// Live ETA, late-risk and off-route (pipeline/eta_monitor.hpp). Without `legs` none of them runs.
struct EtaOptions {
  const eta::LegSource* legs = nullptr;        // not owned; outlives the pipeline
  const eta::ModelRegistry* models = nullptr;  // not owned; null: the identity model for every tenant
  eta::EtaParams params;
  eta::LateRiskParams late_risk;
  eta::OffRouteParams off_route;
  double push_change_s = 60;    // a stop's ETA is pushed live when it moved by at least this
  double store_change_s = 30;   // … and stored (GET /v1/track) when it moved by at least this
  // … and announced as an `eta_changed` event (webhook shipment.eta_changed, notifications) when it
  // moved by at least this from the ETA last announced (the first estimate is the baseline); 0: never.
  double announce_change_s = 900;
  int64_t min_interval_ms = 0;  // at most one estimate per driver per this much ping time
};

struct PipelineOptions {
  int shards = 0;  // 0 = number of cores
  tracking::FilterParams filter;
  tracking::GeofenceParams geofence;
  tracking::ActivityParams activity;
  int64_t route_refresh_ms = 30'000;    // re-read a driver's active route at most this often
  int64_t activity_check_ms = 15'000;   // how often offline / stationary are checked
  EtaOptions eta;
};

struct ProgressWrite;  // route_tracker.hpp

// Counters for /metrics (monotonic).
struct PipelineStats {
  uint64_t batches = 0, points = 0, accepted = 0, late = 0, duplicates = 0, rejected = 0, stored = 0;
  uint64_t geofence_events = 0, exceptions = 0, progress_write_failures = 0;
};

class IngestPipeline {
 public:
  // `store`, `clock` outlive the pipeline. `sink` is called from shard threads; it must be quick
  // and must not call back into the pipeline (hand the update on, e.g. to push::Hub::publish).
  IngestPipeline(storage::Store& store, const core::Clock& clock, PipelineOptions options, LiveSink sink);
  ~IngestPipeline();
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  // Filters `pings` (of `device`'s driver, in the order given), stores the accepted and late ones
  // durably, and returns what happened to each. `received_at` is the server's arrival time.
  // Errors: the store's (kUnavailable, kInternal; kNotFound when the driver is not the tenant's).
  core::Result<IngestOutcome> submit(const Device& device, const std::vector<ingest::UnsafePing>& pings,
                                     core::Timestamp received_at);
  // The same without blocking: returns at once; `done` gets the result once the points are durable
  // (or the write failed), on a thread of the pipeline's or the store's. `done` must be quick and
  // must not throw (post the reply on, e.g. to the connection's executor). A driver's batches are
  // filtered and committed in the order submit_async was called for them.
  using SubmitDone = std::function<void(core::Result<IngestOutcome>)>;
  void submit_async(const Device& device, std::vector<ingest::UnsafePing> pings, core::Timestamp received_at,
                    SubmitDone done);

  // Cluster mode (docs/cluster.md): a forwarder set here receives every submit_async (and so every
  // submit) instead of the local path: it makes the batch durable elsewhere (the ping stream) and
  // calls `done` itself. The node that owns the driver's stream shard then calls process_async.
  // REQUIRES: set before the first submit, never changed afterwards.
  using Forwarder = std::function<void(const Device&, std::vector<ingest::UnsafePing>, core::Timestamp, SubmitDone)>;
  void set_forwarder(Forwarder forwarder) { forwarder_ = std::move(forwarder); }
  // The local path of submit_async (filter → durable write → geofence → live), whatever the forwarder.
  void process_async(const Device& device, std::vector<ingest::UnsafePing> pings, core::Timestamp received_at,
                     SubmitDone done);
  // Replaces what the pipeline remembers of `driver` (filter state, route view) by nothing, or by
  // `live` as its live position when given (cluster takeover: the newest stored point). Ordered with
  // the driver's batches submitted before and after the call. Asynchronous; any thread.
  void reset_driver(const core::DriverId& driver, std::optional<ingest::Ping> live);

  // Tells the pipeline that `device`'s routes changed (a route started): its route view is re-read
  // before the next ping is processed. Asynchronous.
  void route_changed(const Device& device);
  // Tells the pipeline that `tenant`'s settings changed (geofence radius and dwell, thresholds,
  // privacy, out_for_delivery trigger): every followed driver of that tenant re-reads its route and
  // settings before its next ping. Asynchronous; any thread.
  void tenant_changed(const core::TenantId& tenant);

  // A committed event (from the EventBus): a status change of a shipment on a route the pipeline
  // follows updates that route's view (e.g. a delivery reported by the driver app), so the next
  // departure and the privacy rules see it. Asynchronous; quick; any thread.
  void on_event(const domain::Event& event);

  // Blocks until every task queued before the call (including post-commit geofence work and the
  // store writes it causes) is done. For tests and shutdown.
  void drain();

  PipelineStats stats() const;

  struct Shard;       // defined in ingest_pipeline.cpp
  struct DriverLive;  // one driver's state on its shard
  struct Filtered;    // what the filter kept of one batch

 private:
  Shard& shard_for(const core::DriverId& driver);
  // On the driver's shard: the filter's verdict on each ping of a batch.
  Filtered filter(Shard& shard, const Device& device, const std::vector<ingest::UnsafePing>& pings,
                  core::Timestamp received_at);
  // After the commit of a batch with accepted points: geofence, route progress and live updates, on
  // the driver's shard.
  void after_commit(Shard& shard, const Device& device, const Filtered& f);
  void tick();  // periodic activity checks, from the timer thread

  storage::Store& store_;
  const core::Clock& clock_;
  PipelineOptions options_;
  LiveSink sink_;
  std::vector<std::unique_ptr<Shard>> shards_;
  // Which driver's route holds a shipment: written when a route view is (re)loaded on a shard,
  // read by on_event. Not on the ping path.
  std::mutex index_mu_;
  std::unordered_map<core::ShipmentId, Device> shipment_index_;  // GUARDED_BY(index_mu_)
  void index_route(const Device& device, const std::vector<core::ShipmentId>& shipments);
  // Performs the store writes of a tracker's output on the shard's effects worker, in order.
  void perform(Shard& shard, std::vector<ProgressWrite>& writes);
  // On the driver's shard: re-reads its route when due (or `force`) and indexes its shipments.
  void refresh(DriverLive& d, const Device& device, core::Timestamp now, bool force);
  struct Counters;
  std::unique_ptr<Counters> counters_;
  Forwarder forwarder_;  // set before serving; read-only afterwards
  struct Timer;
  std::unique_ptr<Timer> timer_;
  // Batches submitted and not yet completed: drain() and the destructor wait for them, since their
  // completions post to the shards.
  std::mutex inflight_mu_;
  std::condition_variable inflight_cv_;
  size_t inflight_ = 0;  // GUARDED_BY(inflight_mu_)
};

}  // namespace lastmile::pipeline
