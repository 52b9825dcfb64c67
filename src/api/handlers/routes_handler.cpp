// Routes: a driver's stops for a day, and starting them.
#include <boost/json.hpp>

#include <set>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "pipeline/ingest_pipeline.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "api/plan_breaks.hpp"
#include "core/new_id.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr size_t kMaxStops = 500;
constexpr size_t kMaxShipmentsPerStop = 100;
constexpr int kMaxCasRetries = 5;

Result<domain::Route> parse_route(const Services& s, const RequestContext& ctx) {
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  domain::Route route;
  route.driver_id = core::DriverId(r.string("driver_id", {.required = true, .max_len = 64}));
  auto vehicle = r.optional_string("vehicle_id", 64);
  route.date = r.string("date", {.required = true, .max_len = 10});
  const json::object* depot = r.object("depot", true);
  const json::array* stops = r.array("stops", kMaxStops, true);
  const json::array* breaks = r.array("breaks", kMaxBreaksPerDriver);
  if (r.error()) return *r.error();
  if (!core::parse_date(route.date)) return Error::invalid_field("date", "date must be YYYY-MM-DD");
  JsonReader d(*depot, "depot");
  auto depot_pos = d.lat_lon();
  if (d.error()) return *d.error();
  if (!depot_pos) return Error::missing_field("depot.lat");
  route.depot = *depot_pos;
  if (vehicle) route.vehicle_id = core::VehicleId(*vehicle);

  for (size_t i = 0; i < stops->size(); ++i) {
    std::string path = "stops[" + std::to_string(i) + "]";
    if (!(*stops)[i].is_object()) return Error::wrong_type(path, "an object");
    JsonReader sr((*stops)[i].as_object(), path);
    const json::array* ids = sr.array("shipment_ids", kMaxShipmentsPerStop, true);
    auto service = sr.integer("service_s", 0, 86400);
    auto radius = sr.number("radius_m", 10, 2000);
    if (sr.error()) return *sr.error();
    if (ids->empty()) return Error::invalid_field(path + ".shipment_ids", path + ".shipment_ids must not be empty");
    domain::Stop stop;
    stop.id = core::new_id<core::StopId>();
    stop.sequence = static_cast<int>(i);
    stop.service_s = static_cast<int>(service.value_or(0));
    stop.radius_m = radius;
    for (size_t j = 0; j < ids->size(); ++j) {
      std::string id_path = path + ".shipment_ids[" + std::to_string(j) + "]";
      if (!(*ids)[j].is_string()) return Error::wrong_type(id_path, "a shipment id string");
      core::ShipmentId sid(std::string((*ids)[j].as_string()));
      if (j == 0) {  // the stop is where its first shipment goes
        auto sh = s.store.get_shipment(ctx.tenant(), sid);
        if (!sh) return Error{ErrorCode::kNotFound, "shipment not found", id_path};
        stop.location = sh->address.location;
      }
      stop.shipment_ids.push_back(std::move(sid));
    }
    route.stops.push_back(std::move(stop));
  }
  if (breaks) {
    auto parsed = parse_route_breaks(*breaks, "breaks", route.stops.size());
    if (!parsed) return parsed.error();
    route.breaks = std::move(*parsed);
  }
  return route;
}

bool visible_to(const RequestContext& ctx, const domain::Route& r) {
  return ctx.role() != domain::Role::kDriver || r.driver_id == *ctx.principal->driver_id;
}

}  // namespace

Result<Reply> create_route(const Services& s, RequestContext& ctx) {
  Idempotency idem(ctx, "POST /v1/routes");
  if (auto done = idem.answer_if_seen(s)) return std::move(*done);

  auto route = parse_route(s, ctx);
  if (!route) return route.error();
  if (route->vehicle_id && !s.store.get_vehicle(ctx.tenant(), *route->vehicle_id))
    return Error{ErrorCode::kNotFound, "vehicle not found", "vehicle_id"};
  route->id = core::new_id<core::RouteId>();
  route->tenant_id = ctx.tenant();
  route->created_at = ctx.now;
  auto out = to_json(route_json(*route));
  auto stored = s.store.create_route(*route, idem.record(201, out));
  return finish_create(s, idem, std::move(stored), std::move(out));
}

Result<Reply> list_routes(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  storage::RouteFilter f;
  if (auto v = ctx.query("driver_id")) f.driver_id = core::DriverId(*v);
  if (auto v = ctx.query("date")) {
    if (!core::parse_date(*v)) return Error::invalid_field("date", "date must be YYYY-MM-DD");
    f.date = *v;
  }
  if (ctx.role() == domain::Role::kDriver) f.driver_id = *ctx.principal->driver_id;
  auto res = s.store.list_routes(ctx.tenant(), f, *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& r : res->items) items.push_back(route_json(r));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> get_route(const Services& s, RequestContext& ctx) {
  auto r = s.store.get_route(ctx.tenant(), core::RouteId(ctx.param(0)));
  if (!r) return r.error();
  if (!visible_to(ctx, *r)) return Error::not_found("route");
  return json_reply(200, to_json(route_json(*r)));
}

Result<Reply> start_route(const Services& s, RequestContext& ctx) {
  const core::RouteId id(ctx.param(0));
  auto tenant = s.store.get_tenant(ctx.tenant());
  if (!tenant) return tenant.error();
  // With the default trigger the shipments go out for delivery when the geofence sees the driver
  // leave the depot (pipeline/route_progress.hpp); otherwise right now.
  const bool now_out = tenant->out_for_delivery_on == domain::OutForDeliveryTrigger::kRouteStart;
  for (int attempt = 0; attempt < kMaxCasRetries; ++attempt) {
    auto r = s.store.get_route(ctx.tenant(), id);
    if (!r) return r.error();
    if (!visible_to(ctx, *r)) return Error::not_found("route");
    if (r->status != domain::RouteStatus::kPlanned)
      return Error{ErrorCode::kIllegalTransition,
                   "route is " + std::string(domain::route_status_name(r->status)) + ", only a planned route starts",
                   ""};
    std::vector<std::pair<domain::Event, domain::Milestone>> events;
    for (const auto& stop : r->stops) {
      for (const auto& sid : stop.shipment_ids) {
        if (!now_out) break;
        auto sh = s.store.get_shipment(ctx.tenant(), sid);
        if (!sh) return sh.error();
        if (!domain::transition_allowed(sh->status, domain::Milestone::kOutForDelivery)) continue;
        domain::Event e;
        e.id = core::new_id<core::EventId>();
        e.tenant_id = ctx.tenant();
        e.shipment_id = sid;
        e.type = std::string(domain::milestone_name(domain::Milestone::kOutForDelivery));
        e.milestone = domain::Milestone::kOutForDelivery;
        e.at = e.recorded_at = ctx.now;
        e.actor = ctx.actor();
        e.source = "route_start";
        e.payload_json = to_json(json::object{{"route_id", id.str()}});
        events.emplace_back(std::move(e), sh->status);
      }
    }
    auto started = s.store.start_route(ctx.tenant(), id, ctx.now, events);
    if (!started && started.error().code == ErrorCode::kConflict) continue;
    if (!started) return started.error();
    if (s.pipeline) s.pipeline->route_changed({ctx.tenant(), r->driver_id});  // geofences follow the route now
    auto after = s.store.get_route(ctx.tenant(), id);
    if (!after) return after.error();
    return json_reply(200, to_json(route_json(*after)));
  }
  return Error{ErrorCode::kConflict, "the route's shipments are being changed concurrently; retry", ""};
}

}  // namespace lastmile::api::handlers
