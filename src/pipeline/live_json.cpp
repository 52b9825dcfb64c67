#include "pipeline/live_json.hpp"

#include <boost/json.hpp>

#include "core/json_writer.hpp"

namespace lastmile::pipeline {
namespace {

namespace json = boost::json;

json::value opt(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::value id_or_null(const std::optional<core::RouteId>& id) {
  return id ? json::value(id->str()) : json::value(nullptr);
}

}  // namespace

LiveUpdate position_update(const Device& d, const ingest::Ping& p, std::optional<core::RouteId> route,
                           std::vector<core::ShipmentId> public_audience) {
  LiveUpdate u;
  u.kind = LiveUpdate::Kind::kPosition;
  u.tenant = d.tenant;
  u.driver = d.driver;
  u.route = route;
  const std::string t = core::format_iso8601(p.t);
  u.staff_json = core::to_json(json::object{{"type", "position"},
                                              {"driver_id", d.driver.str()},
                                              {"route_id", id_or_null(route)},
                                              {"t", t},
                                              {"lat", p.position.lat()},
                                              {"lon", p.position.lon()},
                                              {"speed", opt(p.speed_mps)},
                                              {"heading", opt(p.heading_deg)},
                                              {"accuracy", opt(p.accuracy_m)},
                                              {"battery", opt(p.battery_pct)}});
  if (!public_audience.empty()) {
    u.public_json = core::to_json(json::object{{"type", "position"},
                                                 {"t", t},
                                                 {"lat", p.position.lat()},
                                                 {"lon", p.position.lon()},
                                                 {"speed", opt(p.speed_mps)},
                                                 {"heading", opt(p.heading_deg)}});
  }
  u.public_audience = std::move(public_audience);
  return u;
}

LiveUpdate stop_update(const Device& d, const core::RouteId& route, std::optional<core::StopId> stop,
                       const tracking::GeofenceEvent& ev) {
  LiveUpdate u;
  u.kind = LiveUpdate::Kind::kStop;
  u.tenant = d.tenant;
  u.driver = d.driver;
  u.route = route;
  u.staff_json = core::to_json(json::object{
      {"type", "stop"},
      {"driver_id", d.driver.str()},
      {"route_id", route.str()},
      {"stop_id", stop ? json::value(stop->str()) : json::value(nullptr)},
      {"event", tracking::geofence_event_kind_name(ev.kind)},
      {"at", core::format_iso8601(ev.at)},
      {"lat", ev.location.lat()},
      {"lon", ev.location.lon()}});
  return u;
}

LiveUpdate exception_update(const Device& d, const core::RouteId& route, const tracking::ActivityException& ex) {
  LiveUpdate u;
  u.kind = LiveUpdate::Kind::kException;
  u.tenant = d.tenant;
  u.driver = d.driver;
  u.route = route;
  json::object o{{"type", "exception"},
                 {"kind", tracking::activity_exception_name(ex.kind)},
                 {"driver_id", d.driver.str()},
                 {"route_id", route.str()},
                 {"since", core::format_iso8601(ex.since)},
                 {"at", core::format_iso8601(ex.detected_at)},
                 {"lat", ex.location ? json::value(ex.location->lat()) : json::value(nullptr)},
                 {"lon", ex.location ? json::value(ex.location->lon()) : json::value(nullptr)}};
  u.staff_json = core::to_json(o);
  return u;
}

LiveUpdate late_risk_update(const Device& d, const core::RouteId& route, const core::StopId& stop, bool raised,
                            core::Timestamp predicted_arrival, core::Timestamp window_end) {
  LiveUpdate u;
  u.kind = LiveUpdate::Kind::kException;
  u.tenant = d.tenant;
  u.driver = d.driver;
  u.route = route;
  u.staff_json = core::to_json(json::object{{"type", "exception"},
                                              {"kind", raised ? "late_risk" : "late_risk_cleared"},
                                              {"driver_id", d.driver.str()},
                                              {"route_id", route.str()},
                                              {"stop_id", stop.str()},
                                              {"predicted_arrival", core::format_iso8601(predicted_arrival)},
                                              {"window_end", core::format_iso8601(window_end)},
                                              {"late_by_s", (predicted_arrival.ms - window_end.ms) / 1000}});
  return u;
}

LiveUpdate off_route_update(const Device& d, const core::RouteId& route, bool off, double distance_m,
                            const ingest::Ping& at) {
  LiveUpdate u;
  u.kind = LiveUpdate::Kind::kException;
  u.tenant = d.tenant;
  u.driver = d.driver;
  u.route = route;
  u.staff_json = core::to_json(json::object{{"type", "exception"},
                                              {"kind", off ? "off_route" : "back_on_route"},
                                              {"driver_id", d.driver.str()},
                                              {"route_id", route.str()},
                                              {"distance_m", std::round(distance_m)},
                                              {"at", core::format_iso8601(at.t)},
                                              {"lat", at.position.lat()},
                                              {"lon", at.position.lon()}});
  return u;
}

LiveUpdate route_eta_update(const Device& d, const core::RouteId& route, const eta::RouteEstimate& estimate,
                            const std::vector<core::StopId>& stop_ids) {
  LiveUpdate u;
  u.kind = LiveUpdate::Kind::kEta;
  u.tenant = d.tenant;
  u.driver = d.driver;
  u.route = route;
  json::array stops;
  for (const auto& s : estimate.stops) {
    stops.push_back(json::object{{"stop_id", stop_ids[s.stop].str()},
                                 {"eta", core::format_iso8601(s.arrival)},
                                 {"earliest", core::format_iso8601(s.earliest)},
                                 {"latest", core::format_iso8601(s.latest)},
                                 {"late_by_s", std::round(s.late_by_s)},
                                 {"at_stop", s.at_stop}});
  }
  u.staff_json = core::to_json(json::object{{"type", "eta"},
                                              {"driver_id", d.driver.str()},
                                              {"route_id", route.str()},
                                              {"at", core::format_iso8601(estimate.at)},
                                              {"source", estimate.road_network ? "road_network" : "great_circle"},
                                              {"stops", std::move(stops)}});
  return u;
}

LiveUpdate stop_eta_update(const Device& d, const core::RouteId& route, const eta::StopEstimate& stop,
                           std::vector<core::ShipmentId> audience) {
  LiveUpdate u;
  u.kind = LiveUpdate::Kind::kEta;
  u.tenant = d.tenant;
  u.driver = d.driver;
  u.route = route;
  u.public_json = core::to_json(json::object{{"type", "eta"},
                                               {"eta", core::format_iso8601(stop.arrival)},
                                               {"earliest", core::format_iso8601(stop.earliest)},
                                               {"latest", core::format_iso8601(stop.latest)}});
  u.public_audience = std::move(audience);
  return u;
}

}  // namespace lastmile::pipeline
