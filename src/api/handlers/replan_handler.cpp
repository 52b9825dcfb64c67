// POST /v1/routes/{id}/resequence and POST /v1/routes/reassign: re-plan started routes from the
// drivers' live positions (api/route_replan.hpp). Without "apply" they only answer the before/after
// ETAs and lateness; with it the new stop orders, ETAs and eta_changed events are written in one
// transaction (storage/route_plan_store.hpp). docs/optimization.md.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "api/plan_breaks.hpp"
#include "api/route_replan.hpp"
#include "core/new_id.hpp"
#include "storage/route_plan_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int64_t kLivePositionMaxAgeMs = 30 * 60 * 1000;  // an older ping is not "where the driver is"
constexpr double kAnnounceS = 300;                         // eta_changed when a stop's ETA moves this much
constexpr int64_t kEtaHalfWindowMs = 10 * 60 * 1000;       // earliest/latest stored around a planned ETA
constexpr size_t kMaxCandidates = 20;
constexpr size_t kMaxListed = 500;

struct Options {
  double time_limit_s = 2;
  uint64_t seed = 1;
  bool apply = false;
  std::optional<core::Timestamp> start_at;
};

void read_options(JsonReader& r, Options& o) {
  auto limit = r.number("time_limit_s", 0.1, 30);
  auto seed = r.integer("seed", 1, int64_t{1} << 31);
  auto apply = r.boolean("apply");
  o.start_at = r.timestamp("start_at");
  o.time_limit_s = limit.value_or(2);
  o.seed = static_cast<uint64_t>(seed.value_or(1));
  o.apply = apply.value_or(false);
}

// A loaded route: the live view plus what apply needs.
struct Loaded {
  LiveRoute live;
  std::vector<core::StopId> stored_order;  // every stop, as stored
  std::vector<core::StopId> fixed;  // not open (done, failed, arrived, or without a location), stored order
  std::size_t done = 0;  // stops kept ahead of the open ones (fixed.size()): breaks count from there
  std::set<core::ShipmentId> open_shipments;
  std::set<core::ShipmentId> loaded;  // out for delivery or arriving: the parcels are on this route's van
};

Result<Loaded> load(const Services& s, const RequestContext& ctx, const core::RouteId& id, const Options& o,
                    const std::string& field) {
  auto route = s.store.get_route(ctx.tenant(), id);
  if (!route) {
    if (route.error().code == ErrorCode::kNotFound)
      return Error{ErrorCode::kNotFound, "route not found", field};
    return route.error();
  }
  if (route->status != domain::RouteStatus::kPlanned && route->status != domain::RouteStatus::kInProgress)
    return Error{ErrorCode::kIllegalTransition,
                 "route is " + std::string(domain::route_status_name(route->status)) +
                     "; only a planned or started route is re-planned",
                 field};
  Loaded out;
  out.live.at = o.start_at.value_or(ctx.now);
  out.live.from = route->depot;
  for (const auto& stop : route->stops) {
    out.stored_order.push_back(stop.id);
    if (stop.status != domain::StopStatus::kPending || !stop.location) {
      out.fixed.push_back(stop.id);
      if (stop.location && route->status == domain::RouteStatus::kInProgress) out.live.from = *stop.location;
      continue;
    }
    LiveStop ls;
    ls.id = stop.id;
    ls.shipment_ids = stop.shipment_ids;
    ls.location = *stop.location;
    ls.service_s = stop.service_s;
    ls.stored_eta = stop.eta;
    for (const auto& sid : stop.shipment_ids) {
      auto sh = s.store.get_shipment(ctx.tenant(), sid);
      if (!sh) return sh.error();
      if (!domain::is_terminal(sh->status)) out.open_shipments.insert(sid);
      if (sh->status == domain::Milestone::kOutForDelivery || sh->status == domain::Milestone::kArriving)
        out.loaded.insert(sid);
      if (!sh->promised) continue;
      if (!ls.window) {
        ls.window = sh->promised;
      } else {
        ls.window->start = std::max(ls.window->start, sh->promised->start);
        ls.window->end = std::max(ls.window->start, std::min(ls.window->end, sh->promised->end));
      }
    }
    out.live.open.push_back(std::move(ls));
  }
  if (route->status == domain::RouteStatus::kInProgress) {
    auto ping = s.store.latest_track_point(ctx.tenant(), route->driver_id);
    if (!ping) return ping.error();
    if (*ping && out.live.at.ms - (*ping)->t.ms <= kLivePositionMaxAgeMs) out.live.from = (*ping)->position;
  }
  out.done = out.fixed.size();
  out.live.breaks = breaks_left(*route, out.done);
  out.live.route = std::move(*route);
  return out;
}

json::object timing_json(const Timing& t, const std::vector<LiveStop>& stops) {
  json::array items;
  for (size_t i = 0; i < t.stops.size(); ++i) {
    json::array ids;
    for (const auto& sid : stops[i].shipment_ids) ids.push_back(json::value(sid.str()));
    items.push_back(json::object{{"stop_id", t.stops[i].id.str()},
                                 {"shipment_ids", std::move(ids)},
                                 {"arrival_at", core::format_iso8601(t.stops[i].arrival)},
                                 {"eta", core::format_iso8601(t.stops[i].eta)},
                                 {"late_s", t.stops[i].late_s}});
  }
  return json::object{{"stops", std::move(items)},
                      {"end_at", core::format_iso8601(t.end_at)},
                      {"travel_s", std::round(t.travel_s)},
                      {"late_stops", t.late_stops},
                      {"late_s", std::round(t.late_s)}};
}

// The ETAs of the stops in `after` and eta_changed on the open shipments of each stop whose ETA moved by
// kAnnounceS. The shift of a stop is measured in one model (its `before` and `after` timings, found by
// stop id), then applied to the ETA the stop had stored (the live estimate, with its learned
// corrections), or, never stored, to its `before` timing: a stop the plan does not move keeps its ETA.
void collect_changes(const RequestContext& ctx, const Loaded& l, const Timing& before, const Timing& after,
                     const std::vector<LiveStop>& stops, std::vector<storage::StopEta>& etas,
                     std::vector<std::pair<domain::Event, domain::Milestone>>& events) {
  for (size_t i = 0; i < after.stops.size(); ++i) {
    const auto& t = after.stops[i];
    auto b = std::find_if(before.stops.begin(), before.stops.end(),
                          [&](const TimedStop& x) { return x.id == t.id; });
    if (b == before.stops.end()) continue;
    const int64_t shift_ms = t.eta.ms - b->eta.ms;
    const core::Timestamp previous = stops[i].stored_eta.value_or(b->eta);
    const core::Timestamp now_eta{previous.ms + shift_ms};
    const storage::StopEta eta{t.id, now_eta, core::Timestamp{now_eta.ms - kEtaHalfWindowMs},
                               core::Timestamp{now_eta.ms + kEtaHalfWindowMs}};
    etas.push_back(eta);
    if (std::abs(static_cast<double>(shift_ms)) < kAnnounceS * 1000) continue;
    json::object payload{{"route_id", l.live.route.id.str()},
                         {"stop_id", t.id.str()},
                         {"previous_eta", core::format_iso8601(previous)},
                         {"eta", core::format_iso8601(eta.eta)},
                         {"earliest", core::format_iso8601(eta.earliest)},
                         {"latest", core::format_iso8601(eta.latest)},
                         {"shift_minutes", std::round(shift_ms / 60000.0)},
                         {"reason", "replanned"}};
    for (const auto& sid : stops[i].shipment_ids) {
      if (!l.open_shipments.contains(sid)) continue;
      domain::Event e;
      e.id = core::new_id<core::EventId>();
      e.tenant_id = ctx.tenant();
      e.shipment_id = sid;
      e.type = "eta_changed";
      e.at = e.recorded_at = ctx.now;
      e.actor = ctx.actor();
      e.source = "optimize";
      e.payload_json = to_json(payload);
      events.emplace_back(std::move(e), domain::Milestone::kCreated);
    }
  }
}

// The same breaks in the same places (a re-plan only moves them).
bool same_places(const std::vector<domain::RouteBreak>& a, const std::vector<domain::RouteBreak>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.id == y.id && x.after_stops == y.after_stops;
  });
}

// The route's new stop order, with `breaks_left` placed among `open` (its breaks written only when one
// moved).
storage::RouteStopsChange change_of(const Loaded& l, const std::vector<LiveStop>& open,
                                    const std::vector<BreakLeft>& breaks_left) {
  storage::RouteStopsChange c{l.live.route.id, l.stored_order, l.fixed};
  for (const auto& s : open) c.order.push_back(s.id);
  auto breaks = breaks_after(l.live.route, l.done, breaks_left);
  if (!same_places(breaks, l.live.route.breaks)) c.breaks = std::move(breaks);
  return c;
}

// A route's before/after timings, each with its breaks (after: as apply stores them).
json::object plan_json(const Loaded& l, const Timing& before, const Timing& after, const std::vector<LiveStop>& order,
                       const std::vector<BreakLeft>& breaks_left) {
  json::object b = timing_json(before, l.live.open);
  b["breaks"] = route_breaks_json(l.live.route.breaks);
  json::object a = timing_json(after, order);
  a["breaks"] = route_breaks_json(breaks_after(l.live.route, l.done, breaks_left));
  return json::object{{"route_id", l.live.route.id.str()},
                      {"from", lat_lon_json(l.live.from)},
                      {"before", std::move(b)},
                      {"after", std::move(a)}};
}

Result<storage::RoutePlanStore*> plan_store(const Services& s) {
  if (auto* p = s.store.route_plans()) return p;
  return Error{ErrorCode::kUnavailable, "re-planning is not available with this store", ""};
}

}  // namespace

Result<Reply> resequence_route(const Services& s, RequestContext& ctx) {
  if (s.routing == nullptr)
    return Error{ErrorCode::kUnavailable, "routing is not enabled on this server", ""};
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  Options o;
  read_options(r, o);
  if (r.error()) return *r.error();
  auto l = load(s, ctx, core::RouteId(ctx.param(0)), o, "");
  if (!l) return l.error();
  auto m = ReplanMatrix::build(*s.routing, {&l->live});
  if (!m) return m.error();
  const auto result = resequence(l->live, *m, o.time_limit_s, o.seed);
  bool applied = false;
  if (o.apply && result.improved) {
    auto store = plan_store(s);
    if (!store) return store.error();
    std::vector<storage::StopEta> etas;
    std::vector<std::pair<domain::Event, domain::Milestone>> events;
    collect_changes(ctx, *l, result.before, result.after, result.order, etas, events);
    auto written = (*store)->replan_routes(ctx.tenant(), {change_of(*l, result.order, result.breaks)}, etas, events);
    if (!written) return written.error();
    applied = true;
  }
  json::object out = plan_json(*l, result.before, result.after, result.order, result.breaks);
  out["source"] = std::string(map::source_name(m->source()));
  out["at"] = core::format_iso8601(l->live.at);
  out["improved"] = result.improved;
  out["applied"] = applied;
  return json_reply(200, to_json(out));
}

Result<Reply> reassign_stops(const Services& s, RequestContext& ctx) {
  if (s.routing == nullptr)
    return Error{ErrorCode::kUnavailable, "routing is not enabled on this server", ""};
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  Options o;
  const auto from_id = r.string("from_route", {.required = true, .max_len = 64});
  const json::array* stop_ids = r.array("stop_ids", kMaxListed);
  const json::array* shipment_ids = r.array("shipment_ids", kMaxListed);
  const json::array* to_routes = r.array("to_routes", kMaxCandidates, true);
  read_options(r, o);
  if (r.error()) return *r.error();
  if (to_routes->empty()) return Error::invalid_field("to_routes", "to_routes must not be empty");
  if (stop_ids && shipment_ids)
    return Error::invalid_field("shipment_ids", "give stop_ids or shipment_ids, not both");

  auto from = load(s, ctx, core::RouteId(from_id), o, "from_route");
  if (!from) return from.error();
  std::vector<Loaded> to;
  std::set<std::string> seen{from_id};
  for (size_t i = 0; i < to_routes->size(); ++i) {
    const std::string path = "to_routes[" + std::to_string(i) + "]";
    if (!(*to_routes)[i].is_string()) return Error::wrong_type(path, "a route id string");
    std::string id((*to_routes)[i].as_string());
    if (!seen.insert(id).second)
      return Error::invalid_field(path, "a route listed twice or equal to from_route");
    auto l = load(s, ctx, core::RouteId(id), o, path);
    if (!l) return l.error();
    to.push_back(std::move(*l));
  }
  // The stops to move: listed by stop or by shipment (a stop moves with all its shipments), or all open ones.
  std::vector<core::StopId> moving;
  const json::array* listed = stop_ids ? stop_ids : shipment_ids;
  const std::string key = stop_ids ? "stop_ids" : "shipment_ids";
  for (size_t i = 0; listed && i < listed->size(); ++i) {
    const std::string path = key + "[" + std::to_string(i) + "]";
    if (!(*listed)[i].is_string()) return Error::wrong_type(path, "an id string");
    const std::string id((*listed)[i].as_string());
    auto it = std::find_if(from->live.open.begin(), from->live.open.end(), [&](const LiveStop& st) {
      if (stop_ids) return st.id.str() == id;
      return std::any_of(st.shipment_ids.begin(), st.shipment_ids.end(),
                         [&](const auto& x) { return x.str() == id; });
    });
    if (it == from->live.open.end())
      return Error{ErrorCode::kNotFound, "no open stop of from_route has this id", path};
    if (std::find(moving.begin(), moving.end(), it->id) == moving.end()) moving.push_back(it->id);
  }
  if (!listed) {
    for (const auto& st : from->live.open) moving.push_back(st.id);
  }

  std::vector<LiveRoute*> all{&from->live};
  for (auto& l : to) all.push_back(&l.live);
  auto m = ReplanMatrix::build(*s.routing, all);
  if (!m) return m.error();
  std::vector<LiveRoute> candidates;
  for (const auto& l : to) candidates.push_back(l.live);
  const auto result = reassign(from->live, moving, candidates, *m);

  bool applied = false;
  if (o.apply && !result.moved.empty()) {
    auto store = plan_store(s);
    if (!store) return store.error();
    std::vector<storage::StopEta> etas;
    std::vector<std::pair<domain::Event, domain::Milestone>> events;
    std::vector<storage::RouteStopsChange> changes{change_of(*from, result.from_after, result.from_breaks)};
    Timing before = result.from_before;  // every stop's ETA before, whichever route it was on
    for (const auto& t : result.to_before)
      before.stops.insert(before.stops.end(), t.stops.begin(), t.stops.end());
    collect_changes(ctx, *from, before, result.from_timing, result.from_after, etas, events);
    for (size_t c = 0; c < to.size(); ++c) {
      if (result.to_after[c].size() == to[c].live.open.size()) continue;  // received nothing: untouched
      // The moved stops' shipments are looked up on their new route's loaded view too.
      for (const auto& st : result.to_after[c]) {
        for (const auto& sid : st.shipment_ids) {
          if (from->open_shipments.contains(sid)) to[c].open_shipments.insert(sid);
        }
      }
      changes.push_back(change_of(to[c], result.to_after[c], result.to_breaks[c]));
      collect_changes(ctx, to[c], before, result.to_timing[c], result.to_after[c], etas, events);
    }
    auto written = (*store)->replan_routes(ctx.tenant(), changes, etas, events);
    if (!written) return written.error();
    applied = true;
  }
  json::array to_json_routes;
  for (size_t c = 0; c < to.size(); ++c) {
    to_json_routes.push_back(
        plan_json(to[c], result.to_before[c], result.to_timing[c], result.to_after[c], result.to_breaks[c]));
  }
  json::array moved, not_moved;
  for (const auto& mv : result.moved) {
    // Its parcels are on the source van when a shipment of it is out for delivery: a handover is needed.
    bool loaded = false;
    for (const auto& st : from->live.open) {
      if (st.id != mv.stop) continue;
      for (const auto& sid : st.shipment_ids) loaded = loaded || from->loaded.contains(sid);
    }
    moved.push_back(json::object{
        {"stop_id", mv.stop.str()}, {"to_route", to[mv.to].live.route.id.str()}, {"handover", loaded}});
  }
  for (const auto& id : result.not_moved)
    not_moved.push_back(json::object{{"stop_id", id.str()}, {"reason", "no_feasible_insertion"}});
  json::object out{
      {"source", std::string(map::source_name(m->source()))},
      {"at", core::format_iso8601(from->live.at)},
      {"applied", applied},
      {"moved", std::move(moved)},
      {"not_moved", std::move(not_moved)},
      {"from_route",
       plan_json(*from, result.from_before, result.from_timing, result.from_after, result.from_breaks)},
      {"to_routes", std::move(to_json_routes)}};
  return json_reply(200, to_json(out));
}

}  // namespace lastmile::api::handlers
