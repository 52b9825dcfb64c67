// POST /v1/optimize: plan a tenant's day (shipments + drivers -> proposed routes), and with
// "apply": true create those routes as POST /v1/routes would. docs/optimization.md.
//
// The solve runs on the server's blocking pool (every POST does, api/server.cpp), never on an IO
// thread; at most kMaxConcurrentSolves run at once, the rest are answered 503 at once.
#include <boost/json.hpp>

#include <atomic>
#include <cmath>

#include "api/day_plan.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "api/optimize_request.hpp"
#include "api/plan_breaks.hpp"
#include "core/new_id.hpp"
#include "storage/route_plan_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxConcurrentSolves = 1;
constexpr int kScanPages = 20;  // "all unassigned shipments of the date": at most 20 × 500 newest rows
std::atomic<int> g_solves{0};

struct Request {
  std::string date;
  PlanInput plan;
  std::vector<std::pair<core::ShipmentId, std::string>> skipped;  // listed but not plannable
  bool apply = false;
};

std::string day_of(core::Timestamp t) { return core::format_iso8601(t).substr(0, 10); }

// The driver of `spec` (drivers[i] at `path`) with its vehicle: their capacities complete the spec.
Result<PlanDriver> resolve_driver(const Services& s, const RequestContext& ctx, OptimizeDriverSpec spec,
                                  const std::string& path) {
  auto driver = s.store.get_driver(ctx.tenant(), spec.driver_id);
  if (!driver) return Error{ErrorCode::kNotFound, "driver not found", path + ".driver_id"};
  PlanDriver d;
  d.driver_id = std::move(spec.driver_id);
  d.vehicle_id = spec.vehicle_id ? std::move(spec.vehicle_id) : driver->vehicle_id;
  double vehicle_kg = 0;
  if (d.vehicle_id) {
    auto veh = s.store.get_vehicle(ctx.tenant(), *d.vehicle_id);
    if (!veh) return Error{ErrorCode::kNotFound, "vehicle not found", path + ".vehicle_id"};
    vehicle_kg = veh->capacity_kg;
  }
  d.capacity = spec.capacity.value_or(1000);
  d.capacity_kg = spec.capacity_kg.value_or(vehicle_kg);
  d.shift_start = spec.shift_start;
  d.shift_end = spec.shift_end;
  d.start = spec.start;
  d.end = spec.end;
  d.breaks = std::move(spec.breaks);
  return d;
}

// Why a shipment cannot be planned at all, or "" when it can.
std::string unplannable(const domain::Shipment& sh) {
  if (!sh.address.location) return "no_location";
  if (sh.route_id) return "on_route";
  if (domain::is_terminal(sh.status)) return "closed";
  return "";
}

core::Status add_listed(const Services& s, const RequestContext& ctx, const std::vector<core::ShipmentId>& ids,
                        Request& req) {
  for (size_t i = 0; i < ids.size(); ++i) {
    auto sh = s.store.get_shipment(ctx.tenant(), ids[i]);
    if (!sh) return Error{ErrorCode::kNotFound, "shipment not found", "shipment_ids[" + std::to_string(i) + "]"};
    if (auto why = unplannable(*sh); !why.empty()) {
      req.skipped.emplace_back(sh->id, why);
      continue;
    }
    req.plan.shipments.push_back(std::move(*sh));
  }
  return {};
}

// Every shipment of the tenant with no route, not closed, with a location, promised on `date` (or,
// without a promise, created on it).
core::Status add_unassigned_of_day(const Services& s, const RequestContext& ctx, Request& req) {
  storage::PageRequest page;
  page.limit = 500;
  for (int i = 0; i < kScanPages; ++i) {
    auto res = s.store.list_shipments(ctx.tenant(), {}, page);
    if (!res) return res.error();
    for (auto& sh : res->items) {
      const auto day = sh.promised ? day_of(sh.promised->start) : day_of(sh.created_at);
      if (day != req.date || !unplannable(sh).empty()) continue;
      if (req.plan.shipments.size() == kMaxOptimizeShipments)
        return Error{ErrorCode::kTooLarge, "more than 500 unassigned shipments that day: list shipment_ids",
                     "shipment_ids"};
      req.plan.shipments.push_back(std::move(sh));
    }
    if (!res->next_before) break;
    page.before_seq = res->next_before;
  }
  return {};
}

// The body read (api/optimize_request.hpp), then its drivers, vehicles and shipments looked up.
Result<Request> parse_request(const Services& s, const RequestContext& ctx) {
  auto body = body_object(ctx);
  if (!body) return body.error();
  auto parsed = parse_optimize_request(*body);
  if (!parsed) return parsed.error();
  Request req;
  req.date = std::move(parsed->date);
  req.apply = parsed->apply;
  req.plan.service_s = parsed->service_s;
  req.plan.time_limit_s = parsed->time_limit_s;
  req.plan.seed = parsed->seed;
  req.plan.lateness_penalty = parsed->lateness_penalty;
  for (size_t i = 0; i < parsed->drivers.size(); ++i) {
    auto d = resolve_driver(s, ctx, std::move(parsed->drivers[i]), "drivers[" + std::to_string(i) + "]");
    if (!d) return d.error();
    req.plan.drivers.push_back(std::move(*d));
  }
  auto added = parsed->shipment_ids ? add_listed(s, ctx, *parsed->shipment_ids, req) : add_unassigned_of_day(s, ctx, req);
  if (!added) return added.error();
  return req;
}

domain::Route to_route(const Request& req, const PlannedRoute& pr, const RequestContext& ctx) {
  const auto& d = req.plan.drivers[pr.driver];
  domain::Route route;
  route.id = core::new_id<core::RouteId>();
  route.tenant_id = ctx.tenant();
  route.driver_id = d.driver_id;
  route.vehicle_id = d.vehicle_id;
  route.date = req.date;
  route.depot = d.start;
  route.created_at = ctx.now;
  for (size_t i = 0; i < pr.stops.size(); ++i) {
    const auto& sh = req.plan.shipments[pr.stops[i].shipment];
    domain::Stop stop;
    stop.id = core::new_id<core::StopId>();
    stop.sequence = static_cast<int>(i);
    stop.shipment_ids = {sh.id};
    stop.service_s = req.plan.service_s;
    stop.location = sh.address.location;
    route.stops.push_back(std::move(stop));
  }
  route.breaks = route_breaks(d, pr);
  return route;
}

json::object plan_json(const Request& req, const DayPlan& plan, const std::vector<std::string>& route_ids) {
  json::array routes;
  const bool soft = req.plan.lateness_penalty.has_value();  // lateness figures only with soft windows
  double distance = 0, duration = 0, lateness = 0;
  size_t stops = 0;
  for (size_t k = 0; k < plan.routes.size(); ++k) {
    const auto& pr = plan.routes[k];
    const auto& d = req.plan.drivers[pr.driver];
    json::array out_stops;
    for (const auto& st : pr.stops) {
      const auto& sh = req.plan.shipments[st.shipment];
      json::object stop{{"shipment_ids", json::array{json::value(sh.id.str())}},
                        {"location", lat_lon_json(sh.address.location)},
                        {"arrival_at", core::format_iso8601(st.arrival)},
                        {"eta", core::format_iso8601(st.eta)},
                        {"waiting_s", std::round(st.waiting_s)},
                        {"service_s", req.plan.service_s}};
      if (soft) stop["lateness_s"] = std::round(st.lateness_s);
      out_stops.push_back(std::move(stop));
    }
    distance += pr.distance_m;
    lateness += pr.lateness_s;
    duration += pr.duration_s;
    stops += pr.stops.size();
    json::object r{{"driver_id", d.driver_id.str()},
                   {"vehicle_id", d.vehicle_id ? json::value(d.vehicle_id->str()) : json::value(nullptr)},
                   {"start_at", core::format_iso8601(pr.start_at)},
                   {"end_at", core::format_iso8601(pr.end_at)},
                   {"distance_m", std::round(pr.distance_m)},
                   {"duration_s", std::round(pr.duration_s)},
                   {"stops", std::move(out_stops)},
                   {"breaks", breaks_json(d, pr)}};
    if (soft) r["lateness_s"] = std::round(pr.lateness_s);
    if (k < route_ids.size()) r["route_id"] = route_ids[k];
    routes.push_back(std::move(r));
  }
  json::array unassigned;
  for (const auto& [id, why] : req.skipped)
    unassigned.push_back(json::object{{"shipment_id", id.str()}, {"reason", why}});
  for (const auto& u : plan.unassigned)
    unassigned.push_back(
        json::object{{"shipment_id", req.plan.shipments[u.shipment].id.str()}, {"reason", u.reason}});
  json::object summary{{"routes", plan.routes.size()},
                       {"stops", stops},
                       {"unassigned", unassigned.size()},
                       {"distance_m", std::round(distance)},
                       {"duration_s", std::round(duration)}};
  if (soft) summary["lateness_s"] = std::round(lateness);
  return json::object{{"date", req.date},
                      {"source", std::string(map::source_name(plan.source))},
                      {"applied", !route_ids.empty() || (req.apply && plan.routes.empty())},
                      {"summary", std::move(summary)},
                      {"routes", std::move(routes)},
                      {"unassigned", std::move(unassigned)}};
}

class SolveSlot {
 public:
  SolveSlot() : held_(g_solves.fetch_add(1) < kMaxConcurrentSolves) {}
  ~SolveSlot() { g_solves.fetch_sub(1); }
  SolveSlot(const SolveSlot&) = delete;
  SolveSlot& operator=(const SolveSlot&) = delete;
  bool held() const { return held_; }

 private:
  bool held_;
};

}  // namespace

Result<Reply> post_optimize(const Services& s, RequestContext& ctx) {
  if (s.routing == nullptr)
    return Error{ErrorCode::kUnavailable, "routing is not enabled on this server", ""};
  // Stored only with an applied plan (a plan alone writes nothing, so its retry is harmless); a key
  // seen before with the same body replays that answer without solving again.
  Idempotency idem(ctx, "POST /v1/optimize");
  if (auto done = idem.answer_if_seen(s)) return std::move(*done);
  auto req = parse_request(s, ctx);
  if (!req) return req.error();
  storage::RoutePlanStore* plans = nullptr;
  if (req->apply) {
    plans = s.store.route_plans();
    if (plans == nullptr)
      return Error{ErrorCode::kUnavailable, "applying a plan is not available with this store", "apply"};
  }
  std::optional<DayPlan> plan;
  if (req->plan.shipments.empty()) {
    plan.emplace();
    plan->source =
        s.routing->has_road_network() ? map::RouteSource::kRoadNetwork : map::RouteSource::kGreatCircle;
  } else {
    SolveSlot slot;
    if (!slot.held())
      return Error{ErrorCode::kUnavailable, "another optimization is running; retry shortly", ""};
    auto solved = plan_day(*s.routing, req->plan);
    if (!solved) return solved.error();
    if (!solved->feasible) return Error::internal();
    plan = std::move(*solved);
  }
  if (!req->apply) return json_reply(200, to_json(plan_json(*req, *plan, {})));
  // All the routes in one transaction: a shipment routed by someone else since it was read above
  // makes the whole apply a 409 naming it, with nothing written.
  std::vector<domain::Route> routes;
  std::vector<std::string> route_ids;
  for (const auto& pr : plan->routes) {
    routes.push_back(to_route(*req, pr, ctx));
    route_ids.push_back(routes.back().id.str());
  }
  auto body = to_json(plan_json(*req, *plan, route_ids));
  auto stored = plans->create_routes(ctx.tenant(), routes, idem.record(201, body), ctx.now);
  return finish_create(s, idem, std::move(stored), std::move(body));
}

}  // namespace lastmile::api::handlers
