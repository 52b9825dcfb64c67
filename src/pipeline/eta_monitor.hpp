#pragma once
// One driver's live ETA on its shard (issue 4, parts 3–4): on each accepted position it re-estimates
// every open stop of the route (eta/estimator.hpp), stores the ETAs that moved, pushes the ones that
// moved enough, and raises or clears late_risk per stop (eta/late_risk.hpp) and off_route for the
// driver (eta/off_route.hpp) as shipment events.
//
// Outputs (into TrackerOutput, performed by the pipeline after the call):
//  - live "eta" messages: staff get every open stop of the route; each customer gets only their
//    own stop's ETA window, when it moved by at least EtaOptions::push_change_s;
//  - ProgressWrite::etas: stops whose ETA moved by at least store_change_s (GET /v1/track reads them);
//  - events (no status change): eta_changed on the stop's open shipments when its ETA moved by at
//    least EtaOptions::announce_change_s from the one last announced, payload {route_id, stop_id,
//    previous_eta, eta, earliest, latest, shift_minutes}; late_risk / late_risk_cleared on the stop's open shipments, payload
//    {route_id, stop_id, predicted_arrival, window_end, late_by_s}; off_route / back_on_route on
//    the open shipments of the stops still ahead, payload {route_id, distance_m, since}.
//
// Threading: belongs to its driver's shard, like RouteTracker.

#include <optional>
#include <unordered_map>
#include <vector>

#include "eta/estimator.hpp"
#include "eta/late_risk.hpp"
#include "eta/off_route.hpp"
#include "ingest/ping.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "tracking/route_progress.hpp"

namespace lastmile::pipeline {

struct TrackerOutput;

class EtaMonitor {
 public:
  // After the route view was (re)loaded: a new route, or changed stops, start afresh; the same
  // route keeps its cached legs and detector states.
  void load(const tracking::RouteView& view,
            const std::unordered_map<core::ShipmentId, domain::TimeWindow>& promised);
  void clear();

  // `near_site`: the geofence has the driver at or near a depot or stop (no off-route check there).
  void on_position(const tracking::RouteView& view, const ingest::Ping& ping, const Device& device,
                   const EtaOptions& options, core::Timestamp now, bool near_site, TrackerOutput& out);

  // The last estimate (empty before the first position).
  const std::optional<eta::RouteEstimate>& last() const { return last_; }

 private:
  void detect_off_route(const tracking::RouteView& view, const ingest::Ping& ping, const Device& device,
                        const EtaOptions& options, core::Timestamp now, bool near_site,
                        std::span<const size_t> open, TrackerOutput& out);

  std::optional<eta::RouteEta> eta_;
  std::optional<core::RouteId> route_;
  std::vector<core::StopId> stop_ids_;
  std::vector<std::optional<core::Timestamp>> pushed_;  // per stop: the ETA last pushed
  std::vector<std::optional<core::Timestamp>> stored_;  // per stop: the ETA last stored
  std::vector<std::optional<core::Timestamp>> announced_;  // per stop: the ETA last announced (baseline)
  std::vector<eta::LateRiskState> late_;                // per stop
  eta::OffRouteState off_;
  std::optional<std::pair<int64_t, size_t>> leg_;       // (from stop or −1 for the depot, to stop) judged now
  std::optional<int64_t> last_ms_;
  std::optional<eta::RouteEstimate> last_;
};

}  // namespace lastmile::pipeline
