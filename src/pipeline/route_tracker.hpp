#pragma once
// One driver's route as the pipeline follows it: the active route (read from the store and
// refreshed), the geofences of its depot and stops, the activity monitor (offline, stationary),
// and what each signal means (tracking/route_progress.hpp). It decides; the caller performs the
// store writes (ProgressWrite) on an effects worker and publishes the live updates.
//
// Threading: a RouteTracker belongs to its driver's shard; only that shard's thread calls it.
// refresh() reads the store (a short read on the shard thread, at most every refresh interval).

#include <optional>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "ingest/ping.hpp"
#include "pipeline/eta_monitor.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "storage/store.hpp"
#include "tracking/activity_monitor.hpp"
#include "tracking/geofence.hpp"
#include "tracking/route_progress.hpp"

namespace lastmile::pipeline {

// Store writes caused by one signal, in one transaction (storage::Store::record_route_progress).
struct ProgressWrite {
  core::TenantId tenant;
  std::optional<storage::StopVisit> visit;
  std::vector<std::pair<domain::Event, domain::Milestone>> events;
  std::optional<core::RouteId> eta_route;  // with `etas`: storage::Store::update_stop_etas
  std::vector<storage::StopEta> etas;
  // Set when `visit` completes the stop: its shipments, checked for missing scans once the visit
  // is stored (pipeline/missing_scan_check.hpp).
  std::vector<core::ShipmentId> completed_stop_shipments;
};

struct TrackerOutput {
  std::vector<ProgressWrite> writes;
  std::vector<LiveUpdate> live;
  uint64_t geofence_events = 0;
  uint64_t exceptions = 0;
};

class RouteTracker {
 public:
  explicit RouteTracker(Device device) : device_(std::move(device)) {}

  // Re-reads the driver's active route when `force`, or when the last read is older than
  // `refresh_ms`. A route that changed (another id) starts with fresh geofences and monitor.
  // On a store error the previous view is kept and the error returned (retried next time).
  core::Status refresh(storage::Store& store, core::Timestamp now, int64_t refresh_ms, bool force);

  // A live (not late) ping, after it is durable. Before a stop departure is decided, the statuses of
  // that stop's shipments are read from `store` (when given): a delivery committed just before may not
  // have reached on_status yet, and the departure must not note "driver_departed" for it.
  void on_ping(const ingest::Ping& ping, const PipelineOptions& options, core::Timestamp now, TrackerOutput& out,
               storage::Store* store = nullptr);
  // The last accepted position of a batch, after on_ping: live ETA, late risk, off route.
  void on_position(const ingest::Ping& ping, const PipelineOptions& options, core::Timestamp now, TrackerOutput& out);
  // Periodic activity check.
  void on_tick(core::Timestamp now, const PipelineOptions& options, TrackerOutput& out);

  // A shipment's status changed elsewhere (API, driver app); a stop already left completes when this
  // was its last open shipment (tracking::on_shipment_status), written through `out`.
  void on_status(const core::ShipmentId& shipment, domain::Milestone status, core::Timestamp now, TrackerOutput& out);
  // The shipments of the current route (empty without one).
  std::vector<core::ShipmentId> shipments() const;

  const Device& device() const { return device_; }
  bool has_route() const { return view_.has_value(); }
  uint64_t loads() const { return loads_; }  // how many times refresh() re-read the route
  std::optional<core::RouteId> route_id() const;
  // Shipments whose customers may see the driver's position now (empty without a route).
  std::vector<core::ShipmentId> position_audience() const;

 private:
  // The current statuses of `shipments` (of the view's route) from the store.
  void sync_statuses(storage::Store& store, const std::vector<core::ShipmentId>& shipments);
  void apply(tracking::Progress progress, const ingest::Ping* at_ping, core::Timestamp now, TrackerOutput& out);
  void rebuild_sites();
  // The pipeline's parameters with the tenant's overrides (its settings document) applied.
  tracking::GeofenceParams geofence_params(const PipelineOptions& options) const;
  tracking::ActivityParams activity_params(const PipelineOptions& options) const;
  // An activity episode's start or end (`type`: its event type) as an event on every open shipment
  // of the route, in one write.
  void record_activity(std::string_view type, core::Timestamp at, core::Timestamp now,
                       std::optional<core::LatLon> where, TrackerOutput& out);

  Device device_;
  std::optional<tracking::RouteView> view_;
  std::vector<tracking::GeofenceSite> sites_;  // [0] = depot, then the stops that have a location
  std::vector<size_t> site_stop_;              // site index → index into view_->route.stops
  tracking::GeofenceState geofence_;
  tracking::ActivityState activity_;
  EtaMonitor eta_;
  std::optional<core::Timestamp> loaded_at_;
  double default_radius_m_ = 75;
  // The tenant's overrides, read with the route (nullopt: the pipeline's value).
  std::optional<int> dwell_s_, offline_minutes_, stationary_minutes_;
  uint64_t loads_ = 0;
};

}  // namespace lastmile::pipeline
