// The driver app's own routes: the day's manifest, one-time sign-in links and their redeem.
// A driver's manifest shows only what the driver needs at the door: no recipient phone or email.
#include <boost/json.hpp>

#include <algorithm>

#include "api/auth.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "api/plan_breaks.hpp"
#include "core/crypto.hpp"
#include "domain/masking.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr size_t kLoginCodeBytes = 16;  // 128 bits

json::object driver_brief(const domain::Driver& d) {
  return {{"id", d.id.str()}, {"first_name", domain::first_name(d.name)}};
}

std::string instructions_text(const domain::Instructions& i) {
  std::string out;
  auto add = [&](std::string_view label, const std::string& v) {
    if (v.empty()) return;
    if (!out.empty()) out += " ";
    out += std::string(label) + v;
    if (out.back() != '.') out += ".";
  };
  add("Gate code: ", i.gate_code);
  add("Safe place: ", i.safe_place);
  add("", i.note);
  return out;
}

json::object manifest_shipment(const domain::Shipment& sh, const std::vector<domain::Scan>& scans) {
  json::object address{{"line1", sh.address.line1},
                       {"line2", sh.address.line2},
                       {"city", sh.address.city},
                       {"postal_code", sh.address.postal_code},
                       {"country", sh.address.country}};
  address["lat"] = sh.address.location ? json::value(sh.address.location->lat()) : json::value(nullptr);
  address["lon"] = sh.address.location ? json::value(sh.address.location->lon()) : json::value(nullptr);
  json::array parcels;
  for (size_t i = 0; i < sh.parcels.size(); ++i) {
    json::array scanned;
    for (const auto& scan : scans) {
      if (scan.parcel_index != static_cast<int>(i)) continue;
      json::string kind(domain::scan_kind_name(scan.kind));
      if (std::find(scanned.begin(), scanned.end(), json::value(kind)) == scanned.end()) scanned.push_back(kind);
    }
    const auto& p = sh.parcels[i];
    parcels.push_back(json::object{{"barcode", p.barcode},
                                   {"description", p.description},
                                   {"weight_kg", p.weight_kg},
                                   {"scanned", std::move(scanned)}});
  }
  return {{"id", sh.id.str()},
          {"tracking_number", sh.tracking_number},
          {"status", domain::milestone_name(sh.status)},
          {"recipient", json::object{{"name", sh.recipient.name}}},
          {"address", std::move(address)},
          {"instructions", instructions_text(sh.instructions)},
          {"parcels", std::move(parcels)}};
}

// The driver's route of that date: in progress first, else planned; nullopt when none.
Result<std::optional<domain::Route>> manifest_route(const Services& s, const RequestContext& ctx,
                                                    const std::string& date) {
  using R = std::optional<domain::Route>;
  storage::RouteFilter f;
  f.driver_id = *ctx.principal->driver_id;
  f.date = date;
  storage::PageRequest page;
  page.limit = 100;
  auto routes = s.store.list_routes(ctx.tenant(), f, page);
  if (!routes) return routes.error();
  std::optional<core::RouteId> pick;
  for (auto status : {domain::RouteStatus::kInProgress, domain::RouteStatus::kPlanned}) {
    for (const auto& r : routes->items)
      if (!pick && r.status == status) pick = r.id;
  }
  if (!pick) return R{};
  auto route = s.store.get_route(ctx.tenant(), *pick);
  if (!route) return route.error();
  return R(std::move(*route));
}

}  // namespace

Result<Reply> get_driver_manifest(const Services& s, RequestContext& ctx) {
  std::string date = core::format_iso8601(ctx.now).substr(0, 10);
  if (auto v = ctx.query("date")) {
    if (v->size() != 10 || !core::parse_date(*v)) return Error::invalid_field("date", "date must be YYYY-MM-DD");
    date = *v;
  }
  auto driver = s.store.get_driver(ctx.tenant(), *ctx.principal->driver_id);
  if (!driver) return driver.error();
  auto route = manifest_route(s, ctx, date);
  if (!route) return route.error();
  json::object out{{"driver", driver_brief(*driver)}, {"date", date}, {"route", nullptr}};
  if (!*route) return json_reply(200, to_json(out));
  const auto& r = **route;
  json::array stops;
  for (const auto& stop : r.stops) {
    json::array shipments;
    for (const auto& id : stop.shipment_ids) {
      auto sh = s.store.get_shipment(ctx.tenant(), id);
      if (!sh) return sh.error();
      auto scans = s.store.list_scans(ctx.tenant(), id);
      if (!scans) return scans.error();
      shipments.push_back(manifest_shipment(*sh, *scans));
    }
    json::object st{{"id", stop.id.str()},
                    {"sequence", stop.sequence},
                    {"status", domain::stop_status_name(stop.status)},
                    {"location", stop.location ? json::value(json::object{{"lat", stop.location->lat()},
                                                                          {"lon", stop.location->lon()}})
                                               : json::value(nullptr)},
                    {"service_s", stop.service_s},
                    {"shipments", std::move(shipments)}};
    if (stop.eta)
      st["eta"] = json::object{{"at", core::format_iso8601(*stop.eta)},
                               {"earliest", time_or_null(stop.eta_earliest)},
                               {"latest", time_or_null(stop.eta_latest)}};
    stops.push_back(std::move(st));
  }
  out["route"] = json::object{{"id", r.id.str()},
                              {"date", r.date},
                              {"status", domain::route_status_name(r.status)},
                              {"depot", json::object{{"lat", r.depot.lat()}, {"lon", r.depot.lon()}}},
                              {"stops", std::move(stops)},
                              {"breaks", route_breaks_json(r.breaks)}};
  return json_reply(200, to_json(out));
}

Result<Reply> create_login_link(const Services& s, RequestContext& ctx) {
  auto driver = s.store.get_driver(ctx.tenant(), core::DriverId(ctx.param(0)));
  if (!driver) return driver.error();
  if (ctx.role() == domain::Role::kCarrier && driver->carrier_id != ctx.principal->carrier_id)
    return Error::not_found("driver");
  const std::string code = core::random_token(kLoginCodeBytes);
  storage::LoginLink link{core::sha256_hex(code), ctx.tenant(), driver->id, ctx.actor(), ctx.now,
                          core::Timestamp{ctx.now.ms + int64_t{s.login_link_ttl_h} * 3600 * 1000}};
  if (auto st = s.store.create_login_link(link); !st) return st.error();
  // The server's public URL when known (it always is when serving), else a relative link.
  json::object out{{"code", code},
                   {"url", s.public_url + "/driver#code=" + code},
                   {"driver_id", driver->id.str()},
                   {"expires_at", core::format_iso8601(link.expires_at)}};
  return json_reply(201, to_json(out));
}

Result<Reply> post_driver_session(const Services& s, RequestContext& ctx) {
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  auto code = r.string("code", {.required = true, .max_len = 64});
  if (r.error()) return *r.error();
  // A new credential of its own (role driver): the link decides its tenant and driver, in the store.
  auto token = issue_credential(domain::Role::kDriver, std::nullopt, "sign-in link", ctx.now, true);
  auto driver = s.store.redeem_login_link(core::sha256_hex(code), ctx.now, token.credential);
  if (!driver) return driver.error();
  return json_reply(201, to_json(json::object{{"token", token.token}, {"driver", driver_brief(*driver)}}));
}

}  // namespace lastmile::api::handlers
