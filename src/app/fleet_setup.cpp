// prepare_fleet (simulate_command.hpp): the fleet plan created on a server through its public API.
#include <fmt/format.h>
#include <boost/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "app/http_client.hpp"
#include "app/simulate_command.hpp"
#include "core/crypto.hpp"
#include "mqtt/mqtt_url.hpp"

namespace lastmile::app {
namespace {

namespace json = boost::json;

const char* const kFirstNames[] = {"Marie",  "Luca", "Sofia", "Jean",  "Chiara", "Louis",  "Elena", "Paul",
                                   "Giulia", "Hugo", "Anna",  "Marco", "Claire", "Pietro", "Lea",   "Enzo"};
const char* const kLastNames[] = {"Dupont",  "Rossi",  "Bianchi", "Martin", "Moreau",  "Ferrari",
                                  "Bernard", "Romano", "Laurent", "Ricci",  "Garnier", "Conti"};
const char* const kStreets[] = {"Boulevard des Moulins", "Avenue de la Costa",     "Rue Grimaldi",
                                "Boulevard Albert 1er",  "Avenue Princesse Grace", "Rue Comte Felix Gastaldi",
                                "Avenue de Fontvieille", "Boulevard de Suisse",    "Rue des Orangers",
                                "Avenue Saint-Charles"};

template <size_t N>
const char* pick(const char* const (&names)[N], size_t i) {
  return names[i % N];
}

core::Error refused(const std::string& what, const HttpReply& r) {
  return {core::ErrorCode::kInternal,
          what + ": HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 400), ""};
}

// One JSON request that must answer `expected`; its body as an object.
core::Result<json::object> call(HttpClient& http, const std::string& method, const std::string& target,
                                const std::string& token, const json::value& body, int expected,
                                const std::string& what) {
  auto reply = http.request(method, target, token, body.is_null() ? "" : json::serialize(body));
  if (!reply) return reply.error();
  if (reply->status != expected) return refused(what, *reply);
  boost::system::error_code ec;
  json::value v = json::parse(reply->body, ec);
  if (ec || !v.is_object())
    return core::Error{core::ErrorCode::kInternal, what + ": answer is not a JSON object", ""};
  return std::move(v.as_object());
}

std::string str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string().c_str()) : std::string();
}

// The barcode on the parcel of driver d's stop i: on the shipment, and scanned by the phone.
std::string parcel_barcode(const std::string& run, size_t d, size_t i) {
  return fmt::format("PKG-{}-{}-{}", run, d + 1, i + 1);
}

json::object shipment_body(const sim::FleetPlan& plan, size_t d, size_t i, const SimulateOptions& o,
                           const std::string& run) {
  const sim::DriverScenario& s = plan.drivers[d];
  const core::LatLon p = s.plan.stops[i].location;
  const size_t k = d * 31 + i * 7 + static_cast<size_t>(o.seed);
  json::object b;
  b["external_order_id"] = fmt::format("SIM-{}-{}-{}", run, d + 1, i + 1);
  if (!o.carrier_ids.empty()) b["carrier_id"] = o.carrier_ids[d % o.carrier_ids.size()];
  b["recipient"] = {{"name", fmt::format("{} {}", pick(kFirstNames, k), pick(kLastNames, k / 3))},
                    {"time_zone", "Europe/Monaco"}};
  b["address"] = {{"line1", fmt::format("{} {}", 1 + k % 40, pick(kStreets, k))},
                  {"city", "Monaco"},
                  {"postal_code", "98000"},
                  {"country", "MC"},
                  {"lat", std::round(p.lat() * 1e7) / 1e7},
                  {"lon", std::round(p.lon() * 1e7) / 1e7}};
  b["promised"] = {{"start", core::format_iso8601(s.windows[i].start)},
                   {"end", core::format_iso8601(s.windows[i].end)}};
  b["parcels"] = json::array{json::object{{"barcode", parcel_barcode(run, d, i)}}};
  return b;
}

core::Error bad_option(const std::string& message, const char* field) {
  return {core::ErrorCode::kInvalidField, message, field};
}

// Where the phones send: the API, the OsmAnd listener (default: the API's host, port 5055), the broker.
core::Result<UplinkTargets> uplink_targets(const SimulateOptions& o, const HttpEndpoint& api) {
  UplinkTargets t{api, HttpEndpoint{api.host, "5055"}, std::nullopt};
  if (!o.osmand.empty()) {
    t.osmand = parse_http_url(o.osmand);
    if (!t.osmand) return bad_option("--osmand must be http://HOST:PORT", "osmand");
  }
  if (!o.mqtt.empty()) {
    auto url = mqtt::parse_mqtt_url(o.mqtt.starts_with("mqtt://") ? o.mqtt : "mqtt://" + o.mqtt);
    if (!url) return bad_option("--mqtt must be HOST:PORT or mqtt://[user:pass@]HOST:PORT", "mqtt");
    t.mqtt = *url;
  }
  return t;
}

// The protocol of each driver's phone (--protocol; mixed: the available ones round robin).
core::Result<std::vector<sim::DeviceProtocol>> device_protocols(const SimulateOptions& o, bool have_mqtt) {
  using sim::DeviceProtocol;
  if (!o.protocols.empty()) return o.protocols;
  std::vector<DeviceProtocol> pool;
  if (o.protocol == "mixed") {
    pool = {DeviceProtocol::kJson, DeviceProtocol::kOsmand, DeviceProtocol::kOwntracksHttp};
    if (have_mqtt) pool.push_back(DeviceProtocol::kOwntracksMqtt);
  } else if (auto p = sim::parse_device_protocol(o.protocol)) {
    pool = {*p};
  } else {
    return bad_option("--protocol must be json, osmand, owntracks-http, owntracks-mqtt or mixed", "protocol");
  }
  if (pool == std::vector{DeviceProtocol::kOwntracksMqtt} && !have_mqtt)
    return bad_option("--protocol owntracks-mqtt needs --mqtt HOST:PORT (the server's broker)", "mqtt");
  return sim::assign_protocols(pool, o.drivers, o.seed);
}

// The phone of driver `d`: trackers get a device id the server binds to the driver (OwnTracks:
// "<user>/<device>", the MQTT topic's levels); the driver app needs none (the token says who).
SimDevice sim_device(sim::DeviceProtocol protocol, const std::string& run, size_t d, const std::string& name) {
  SimDevice device{protocol, "", "", ""};
  if (protocol == sim::DeviceProtocol::kOsmand) device.device_id = fmt::format("sim-{}-{}", run, d + 1);
  if (protocol == sim::DeviceProtocol::kOwntracksHttp || protocol == sim::DeviceProtocol::kOwntracksMqtt)
    device.device_id = fmt::format("driver{}-{}/phone", d + 1, run);
  const size_t space = name.find(' ');
  device.tid = name.substr(0, 1) + (space == std::string::npos ? "" : name.substr(space + 1, 1));
  return device;
}

}  // namespace

std::string scan_request(const std::string& run, size_t d, size_t i, std::string_view kind, core::Timestamp at,
                         core::LatLon where, const std::string& route_id) {
  return json::serialize(json::object{{"id", fmt::format("sim-{}-{}-{}-{}", run, d + 1, i + 1, kind)},
                                      {"barcode", parcel_barcode(run, d, i)},
                                      {"kind", kind},
                                      {"at", core::format_iso8601(at)},
                                      {"lat", where.lat()},
                                      {"lon", where.lon()},
                                      {"accuracy", 8},
                                      {"route_id", route_id}});
}

core::Result<PreparedFleet> prepare_fleet(const SimulateOptions& o, const map::Router& router) {
  const auto endpoint = parse_http_url(o.server);
  if (!endpoint)
    return core::Error{core::ErrorCode::kInvalidField, "--server must be http://HOST:PORT", "server"};
  if (!(o.speedup >= 1 && o.speedup <= 1000))
    return core::Error{core::ErrorCode::kInvalidField, "--speedup must be in [1, 1000]", "speedup"};
  auto targets = uplink_targets(o, *endpoint);
  if (!targets) return targets.error();
  auto protocols = device_protocols(o, targets->mqtt.has_value());
  if (!protocols) return protocols.error();
  HttpClient http(*endpoint, std::chrono::seconds(30));
  const std::string& key = o.api_key;
  PreparedFleet fleet;
  fleet.targets = std::move(*targets);
  fleet.run = core::random_alnum(6);  // device ids and external order ids unique across runs
  const std::string& run = fleet.run;

  // Drivers first: the first one's created_at is the server's time, which starts our clock.
  static const core::SystemClock wall;
  std::shared_ptr<core::ScaledClock> clock;
  // Wall time the request that started our clock took: the server's time in its answer is older than
  // the answer by up to that much (scaled by the speedup), which the clock check below allows for.
  int64_t anchor_rtt_ms = 0;
  for (size_t d = 0; d < o.drivers; ++d) {
    json::object body{
        {"name", fmt::format("{} {}", pick(kFirstNames, d * 5 + 3), pick(kLastNames, d * 7 + 1))}};
    if (!o.carrier_ids.empty()) body["carrier_id"] = o.carrier_ids[d % o.carrier_ids.size()];
    SimDevice device = sim_device((*protocols)[d], run, d, str(body, "name"));
    if (!device.device_id.empty()) body["device_id"] = device.device_id;
    const core::Timestamp sent = wall.now();
    auto created = call(http, "POST", "/v1/drivers", key, body, 201, "create driver");
    if (!created) return created.error();
    if (!clock) {
      anchor_rtt_ms = wall.now().ms - sent.ms;
      const auto server_now = core::parse_iso8601(str(*created, "created_at"));
      if (!server_now) return core::Error{core::ErrorCode::kInternal, "driver without created_at", ""};
      clock = std::make_shared<core::ScaledClock>(wall, o.speedup, *server_now);
    }
    device.token = str(*created, "device_token");
    fleet.drivers.push_back(SimDriver{str(*created, "id"), str(body, "name"), device.token, "", {}, {}, device, {}});
  }

  // The drives start once setup is done: about 15 ms of wall time per request, plus 2 s.
  const double requests = static_cast<double>(o.drivers * (4 * o.stops + 2));
  const double margin_s = o.speedup * (requests * 0.015 + 2.0);
  sim::FleetOptions fo;
  fo.drivers = o.drivers;
  fo.stops_per_driver = o.stops;
  fo.seed = o.seed;
  fo.start = core::Timestamp{clock->now().ms + std::llround(margin_s * 1000)};
  auto plan = sim::plan_fleet(router, fo);
  if (!plan) return core::Error{core::ErrorCode::kInternal, "fleet plan: " + plan.error().message, ""};
  fleet.plan = std::move(*plan);

  std::string last_recorded;
  core::Timestamp ours_at_last{0};  // our clock when that answer came
  int64_t last_rtt_ms = 0;          // the wall time that request took
  for (size_t d = 0; d < o.drivers; ++d) {
    SimDriver& driver = fleet.drivers[d];
    json::array stops;
    for (size_t i = 0; i < o.stops; ++i) {
      auto shipment = call(http, "POST", "/v1/shipments", key, shipment_body(fleet.plan, d, i, o, run), 201,
                           "create shipment");
      if (!shipment) return shipment.error();
      driver.shipment_ids.push_back(str(*shipment, "id"));
      driver.tracking_tokens.push_back(str(*shipment, "tracking_token"));
      driver.barcodes.push_back(parcel_barcode(run, d, i));
      for (const char* type : {"processed", "shipped"}) {
        const core::Timestamp sent = wall.now();
        auto event = call(http, "POST", "/v1/shipments/" + driver.shipment_ids.back() + "/events", key,
                          json::object{{"type", type}}, 201, std::string("post ") + type);
        if (!event) return event.error();
        last_recorded = str(*event, "recorded_at");
        ours_at_last = clock->now();
        last_rtt_ms = wall.now().ms - sent.ms;
      }
      stops.push_back(json::object{{"shipment_ids", json::array{driver.shipment_ids.back().c_str()}},
                                   {"service_s", fleet.plan.drivers[d].plan.stops[i].planned_service_s}});
    }
    const std::string date = core::format_iso8601(fleet.plan.drivers[d].plan.start).substr(0, 10);
    json::object route{{"driver_id", driver.id},
                       {"date", date},
                       {"depot", {{"lat", fleet.plan.depot.lat()}, {"lon", fleet.plan.depot.lon()}}},
                       {"stops", std::move(stops)}};
    auto created = call(http, "POST", "/v1/routes", key, route, 201, "create route");
    if (!created) return created.error();
    driver.route_id = str(*created, "id");
    auto started = call(http, "POST", "/v1/routes/" + driver.route_id + "/start", key, json::value(), 200,
                        "start route");
    if (!started) return started.error();
    // The phone scans every parcel onto the vehicle at the depot (chain of custody,
    // docs/chain-of-custody.md); without it each delivery would raise missing_scan.
    for (size_t i = 0; i < o.stops; ++i) {
      auto scanned = call(http, "POST", "/v1/scans", driver.device_token,
                          json::parse(scan_request(run, d, i, "loaded", clock->now(), fleet.plan.depot, driver.route_id)), 201,
                          "scan loaded");
      if (!scanned) return scanned.error();
    }
  }

  // The server's clock must run at our pace: compare its last event time with ours.
  if (const auto server_t = core::parse_iso8601(last_recorded)) {
    const double off_s = std::abs(static_cast<double>(server_t->ms - ours_at_last.ms)) / 1000.0;
    // Each of the two readings may be off by its request's duration × speedup (slow answers, e.g. under
    // a sanitizer on a loaded machine); a wrong speedup drifts by the whole set-up's duration × the
    // difference, well beyond.
    const double allowed_s =
        1.0 + 0.05 * o.speedup + o.speedup * static_cast<double>(anchor_rtt_ms + last_rtt_ms) / 1000.0;
    if (off_s > allowed_s) {
      return core::Error{
          core::ErrorCode::kInvalidField,
          fmt::format("the server's clock is {:.0f} s away from the simulated one: --speedup {} must "
                      "equal the server's --clock-speedup",
                      off_s, o.speedup),
          "speedup"};
    }
  }
  fleet.clock = std::move(clock);
  return fleet;
}

}  // namespace lastmile::app
