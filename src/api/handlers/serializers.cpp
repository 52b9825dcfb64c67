#include "api/handlers/serializers.hpp"

#include <boost/json.hpp>

#include "api/json_io.hpp"
#include "api/plan_breaks.hpp"
#include "domain/instructions.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::format_iso8601;

namespace {

template <typename IdT>
json::value id_or_null(const std::optional<IdT>& id) {
  if (!id) return nullptr;
  return json::value(id->str());
}

}  // namespace

json::value lat_lon_json(const std::optional<core::LatLon>& p) {
  if (!p) return nullptr;
  return json::object{{"lat", p->lat()}, {"lon", p->lon()}};
}

json::object tenant_json(const domain::Tenant& t) {
  return {{"id", t.id.str()},
          {"name", t.name},
          {"brand_color", t.brand_color},
          {"brand_logo_url", t.brand_logo_url},
          {"show_driver_within_stops", t.show_driver_within_stops},
          {"require_device_secret", t.require_device_secret},
          {"geofence_radius_m", t.geofence_radius_m},
          {"pod_max_distance_m", t.pod_max_distance_m},
          {"out_for_delivery_on", domain::out_for_delivery_trigger_name(t.out_for_delivery_on)},
          {"created_at", format_iso8601(t.created_at)}};
}

json::object credential_json(const domain::Credential& c) {
  return {{"id", c.id.str()},
          {"name", c.name},
          {"role", domain::role_name(c.role)},
          {"carrier_id", id_or_null(c.carrier_id)},
          {"driver_id", id_or_null(c.driver_id)},
          {"prefix", c.prefix},
          {"revoked", c.revoked},
          {"created_at", format_iso8601(c.created_at)}};
}

json::object carrier_json(const domain::Carrier& c) {
  return {{"id", c.id.str()},
          {"name", c.name},
          {"code", c.code},
          {"contact_email", c.contact_email},
          {"contact_phone", c.contact_phone},
          {"created_at", format_iso8601(c.created_at)}};
}

json::object driver_json(const domain::Driver& d) {
  return {{"id", d.id.str()},
          {"name", d.name},
          {"phone", d.phone},
          {"email", d.email},
          {"carrier_id", id_or_null(d.carrier_id)},
          {"device_id", d.device_id},
          {"vehicle_id", id_or_null(d.vehicle_id)},
          {"created_at", format_iso8601(d.created_at)}};
}

json::object vehicle_json(const domain::Vehicle& v) {
  return {{"id", v.id.str()},
          {"plate", v.plate},
          {"kind", v.kind},
          {"capacity_kg", v.capacity_kg},
          {"capacity_m3", v.capacity_m3},
          {"carrier_id", id_or_null(v.carrier_id)},
          {"created_at", format_iso8601(v.created_at)}};
}

json::object shipment_json(const domain::Shipment& s, std::string_view public_url) {
  json::object address{{"line1", s.address.line1},
                       {"line2", s.address.line2},
                       {"city", s.address.city},
                       {"postal_code", s.address.postal_code},
                       {"country", s.address.country}};
  if (s.address.location) {
    address["lat"] = s.address.location->lat();
    address["lon"] = s.address.location->lon();
  } else {
    address["lat"] = nullptr;
    address["lon"] = nullptr;
  }
  json::array parcels;
  for (const auto& p : s.parcels)
    parcels.push_back(json::object{{"barcode", p.barcode}, {"weight_kg", p.weight_kg}, {"description", p.description}});
  json::value promised = nullptr;
  if (s.promised)
    promised = json::object{{"start", format_iso8601(s.promised->start)}, {"end", format_iso8601(s.promised->end)}};
  return {{"id", s.id.str()},
          {"tracking_number", s.tracking_number},
          {"tracking_token", s.tracking_token},
          {"tracking_url", std::string(public_url) + "/t/" + s.tracking_token},
          {"status", domain::milestone_name(s.status)},
          {"external_order_id", s.external_order_id},
          {"carrier_id", id_or_null(s.carrier_id)},
          {"service_level", s.service_level},
          {"recipient", json::object{{"name", s.recipient.name},
                                     {"phone", s.recipient.phone},
                                     {"email", s.recipient.email},
                                     {"time_zone", s.recipient.time_zone}}},
          {"address", std::move(address)},
          {"instructions", json::object{{"gate_code", s.instructions.gate_code},
                                        {"safe_place", s.instructions.safe_place},
                                        {"note", s.instructions.note}}},
          {"promised", std::move(promised)},
          {"parcels", std::move(parcels)},
          {"route_id", id_or_null(s.route_id)},
          {"stop_id", id_or_null(s.stop_id)},
          {"created_at", format_iso8601(s.created_at)},
          {"updated_at", format_iso8601(s.updated_at)}};
}

json::object event_json(const domain::Event& e) {
  json::value payload = json::object{};
  boost::system::error_code ec;
  if (!e.payload_json.empty()) {
    auto parsed = json::parse(e.payload_json, ec);
    if (!ec) payload = std::move(parsed);
  }
  return {{"id", e.id.str()},
          {"shipment_id", e.shipment_id.str()},
          {"type", e.type},
          {"at", format_iso8601(e.at)},
          {"recorded_at", format_iso8601(e.recorded_at)},
          {"actor", e.actor},
          {"source", e.source},
          {"location", lat_lon_json(e.location)},
          {"payload", std::move(payload)}};
}

json::object route_json(const domain::Route& r) {
  json::array stops;
  for (const auto& s : r.stops) {
    json::array ids;
    for (const auto& id : s.shipment_ids) ids.push_back(json::value(id.str()));
    stops.push_back(json::object{{"id", s.id.str()},
                                 {"sequence", s.sequence},
                                 {"shipment_ids", std::move(ids)},
                                 {"service_s", s.service_s},
                                 {"status", domain::stop_status_name(s.status)},
                                 {"eta", time_or_null(s.eta)},
                                 {"eta_earliest", time_or_null(s.eta_earliest)},
                                 {"eta_latest", time_or_null(s.eta_latest)},
                                 {"radius_m", s.radius_m ? json::value(*s.radius_m) : json::value(nullptr)},
                                 {"arrived_at", time_or_null(s.arrived_at)},
                                 {"departed_at", time_or_null(s.departed_at)},
                                 {"location", lat_lon_json(s.location)}});
  }
  return {{"id", r.id.str()},
          {"driver_id", r.driver_id.str()},
          {"vehicle_id", id_or_null(r.vehicle_id)},
          {"date", r.date},
          {"depot", lat_lon_json(r.depot)},
          {"status", domain::route_status_name(r.status)},
          {"started_at", time_or_null(r.started_at)},
          {"stops", std::move(stops)},
          {"breaks", route_breaks_json(r.breaks)},
          {"created_at", format_iso8601(r.created_at)}};
}

boost::json::object public_instructions_json(const domain::Shipment& s) {
  return {{"editable", domain::recipient_may_edit_instructions(s.status)},
          {"gate_code_set", !s.instructions.gate_code.empty()},
          {"safe_place", s.instructions.safe_place},
          {"note", s.instructions.note}};
}

}  // namespace lastmile::api
