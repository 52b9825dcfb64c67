#pragma once
// The live messages of the pipeline, serialised once (docs/api.md, "Live updates"):
//   position  {"type":"position","driver_id","route_id","t","lat","lon","speed","heading","accuracy","battery"}
//             customers get {"type":"position","t","lat","lon","speed","heading"} (no ids, no battery)
//   stop      {"type":"stop","driver_id","route_id","stop_id"|null,"event":"arrival"|"departure","at","lat","lon"}
//             (stop_id null: the depot)
//   exception {"type":"exception","kind":"device_offline"|"stationary","driver_id","route_id","since","at",
//              "lat","lon"}
//             {"type":"exception","kind":"late_risk"|"late_risk_cleared","driver_id","route_id","stop_id",
//              "predicted_arrival","window_end","late_by_s"}
//             {"type":"exception","kind":"off_route"|"back_on_route","driver_id","route_id","distance_m","at",
//              "lat","lon"}
//   eta       {"type":"eta","driver_id","route_id","at","source":"road_network"|"great_circle",
//              "stops":[{"stop_id","eta","earliest","latest","late_by_s","at_stop"}]}
//             customers get their own stop only: {"type":"eta","eta","earliest","latest"}

#include <optional>

#include "eta/estimator.hpp"
#include "ingest/ping.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "tracking/activity_monitor.hpp"
#include "tracking/geofence.hpp"

namespace lastmile::pipeline {

LiveUpdate position_update(const Device& d, const ingest::Ping& p, std::optional<core::RouteId> route,
                           std::vector<core::ShipmentId> public_audience);
LiveUpdate stop_update(const Device& d, const core::RouteId& route, std::optional<core::StopId> stop,
                       const tracking::GeofenceEvent& ev);
LiveUpdate exception_update(const Device& d, const core::RouteId& route, const tracking::ActivityException& ex);
LiveUpdate late_risk_update(const Device& d, const core::RouteId& route, const core::StopId& stop, bool raised,
                            core::Timestamp predicted_arrival, core::Timestamp window_end);
LiveUpdate off_route_update(const Device& d, const core::RouteId& route, bool off, double distance_m,
                            const ingest::Ping& at);
// Staff: every stop of `estimate` (`stop_ids` maps its stop indices to ids).
LiveUpdate route_eta_update(const Device& d, const core::RouteId& route, const eta::RouteEstimate& estimate,
                            const std::vector<core::StopId>& stop_ids);
// Customers of one stop (`audience`); staff get nothing from this one (route_eta_update covers them).
LiveUpdate stop_eta_update(const Device& d, const core::RouteId& route, const eta::StopEstimate& stop,
                           std::vector<core::ShipmentId> audience);

}  // namespace lastmile::pipeline
