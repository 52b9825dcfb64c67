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

}  // namespace lastmile::pipeline
