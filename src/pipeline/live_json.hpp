#pragma once
// The live messages of the pipeline, serialised once (docs/api.md, "Live updates"):
//   position  {"type":"position","driver_id","route_id","t","lat","lon","speed","heading","accuracy","battery"}
//             customers get {"type":"position","t","lat","lon","speed","heading"} (no ids, no battery)
//   stop      {"type":"stop","driver_id","route_id","stop_id"|null,"event":"arrival"|"departure","at","lat","lon"}
//             (stop_id null: the depot)
//   exception {"type":"exception","kind":"device_offline"|"stationary","driver_id","route_id","since","at",
//              "lat","lon"}

#include <optional>

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

}  // namespace lastmile::pipeline
