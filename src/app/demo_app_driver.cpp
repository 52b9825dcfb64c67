#include "app/demo_app_driver.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/time.hpp"

namespace lastmile::app {
namespace {

namespace json = boost::json;

// POST `target` expecting `expected`; the answer as an object.
core::Result<json::object> post(HttpClient& http, const std::string& target, const std::string& token,
                                 const json::value& body, int expected) {
  auto r = http.request("POST", target, token, body.is_null() ? "" : json::serialize(body));
  if (!r) return r.error();
  boost::system::error_code ec;
  json::value v = json::parse(r->body, ec);
  if (r->status != expected || ec || !v.is_object())
    return core::Error{core::ErrorCode::kInternal,
                       fmt::format("POST {}: HTTP {} {}", target, r->status, r->body.substr(0, 300)), ""};
  return std::move(v.as_object());
}

std::string str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string().c_str()) : std::string();
}

double round7(double v) { return std::round(v * 1e7) / 1e7; }

}  // namespace

core::Result<AppDriver> create_app_driver(HttpClient& http, const std::string& admin_key, const std::string& base,
                                          const PreparedFleet& fleet, size_t stops) {
  static constexpr const char* kRecipients[] = {"Camille Rossi", "Luca Marchetti", "Inès Garnier", "Marco Bianchi"};
  AppDriver out;
  out.name = "Sam Demo";
  auto driver = post(http, "/v1/drivers", admin_key, json::object{{"name", out.name}}, 201);
  if (!driver) return driver.error();
  out.id = str(*driver, "id");

  const auto& plan = fleet.plan.drivers.front().plan;
  const core::Timestamp start = plan.start;
  stops = std::min(stops, plan.stops.size());
  json::array route_stops;
  for (size_t i = 0; i < stops; ++i) {
    const core::LatLon p = plan.stops[i].location;
    json::object b{
        {"external_order_id", fmt::format("APP-{}-{}", fleet.run, i + 1)},
        {"recipient", {{"name", kRecipients[i % std::size(kRecipients)]}, {"time_zone", "Europe/Monaco"}}},
        {"address",
         {{"line1", fmt::format("{} Boulevard des Moulins", 3 + 4 * i)},
          {"city", "Monaco"},
          {"postal_code", "98000"},
          {"country", "MC"},
          {"lat", round7(p.lat())},
          {"lon", round7(p.lon())}}},
        {"promised",
         {{"start", core::format_iso8601(start)},
          {"end", core::format_iso8601(core::Timestamp{start.ms + 4 * 3600 * 1000})}}},
        {"parcels", json::array{json::object{{"barcode", fmt::format("APP-{}-{}", fleet.run, i + 1)},
                                             {"description", "Parcel"}}}}};
    if (i == 0)
      b["instructions"] = {{"gate_code", "4711"}, {"safe_place", "with the concierge"}, {"note", "Ring twice"}};
    auto shipment = post(http, "/v1/shipments", admin_key, b, 201);
    if (!shipment) return shipment.error();
    const std::string id = str(*shipment, "id");
    for (const char* type : {"processed", "shipped"}) {
      auto e = post(http, "/v1/shipments/" + id + "/events", admin_key, json::object{{"type", type}}, 201);
      if (!e) return e.error();
    }
    route_stops.push_back(json::object{{"shipment_ids", json::array{id.c_str()}}, {"service_s", 120}});
  }
  json::object route{{"driver_id", out.id},
                     {"date", core::format_iso8601(start).substr(0, 10)},
                     {"depot", {{"lat", round7(fleet.plan.depot.lat())}, {"lon", round7(fleet.plan.depot.lon())}}},
                     {"stops", std::move(route_stops)}};
  auto created = post(http, "/v1/routes", admin_key, route, 201);
  if (!created) return created.error();
  out.route_id = str(*created, "id");

  auto link = post(http, "/v1/drivers/" + out.id + "/login-links", admin_key, json::object{}, 201);
  if (!link) return link.error();
  out.sign_in_url = str(*link, "url");
  if (out.sign_in_url.starts_with("/")) out.sign_in_url = base + out.sign_in_url;
  return out;
}

}  // namespace lastmile::app
