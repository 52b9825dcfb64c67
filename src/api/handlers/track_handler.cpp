// The public tracking view: one shipment by its unguessable token, personal data masked.
#include <boost/json.hpp>

#include <cmath>

#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "core/error.hpp"
#include "domain/masking.hpp"
#include "domain/tracking_number.hpp"
#include "tracking/route_progress.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::format_iso8601;

namespace {


// Driver block: shown once the route has started, first name only. The position only as the
// location-privacy rules allow (tracking/route_progress.hpp: out for delivery or arriving, the stop
// among the next N, never after delivery) — the same rule the live push applies.
// ETA: the live estimate of the shipment's stop (pipeline/eta_monitor.hpp) while the route is in
// progress and the shipment not yet delivered or failed; P50 with its P10–P90 window.
void add_route_view(const storage::TrackingSnapshot& snap, json::object& out) {
  out["stops_before"] = nullptr;
  out["driver"] = nullptr;
  out["eta"] = nullptr;
  const auto& sh = snap.shipment;
  if (!snap.route || !sh.stop_id || snap.route->status != domain::RouteStatus::kInProgress) return;
  const bool open = !domain::is_terminal(sh.status) && sh.status != domain::Milestone::kAttemptFailed;
  for (const auto& stop : snap.route->stops) {
    if (stop.id != *sh.stop_id || !open || !stop.eta || stop.departed_at) continue;
    out["eta"] = json::object{{"at", format_iso8601(*stop.eta)},
                              {"earliest", format_iso8601(stop.eta_earliest.value_or(*stop.eta))},
                              {"latest", format_iso8601(stop.eta_latest.value_or(*stop.eta))}};
  }
  tracking::RouteView view;
  view.route = *snap.route;
  for (const auto& [id, status] : snap.route_statuses) view.status[id] = status;
  view.status[sh.id] = sh.status;
  view.show_driver_within_stops = snap.tenant.show_driver_within_stops;
  if (auto before = tracking::stops_before(view, sh.id)) out["stops_before"] = *before;
  if (!snap.driver) return;
  json::value position = nullptr;
  if (snap.driver_position && tracking::may_see_position(view, sh.id)) {
    const auto& p = *snap.driver_position;
    position = json::object{{"lat", p.position.lat()},
                            {"lon", p.position.lon()},
                            {"heading", p.heading_deg ? json::value(*p.heading_deg) : json::value(nullptr)},
                            {"speed", p.speed_mps ? json::value(*p.speed_mps) : json::value(nullptr)},
                            {"at", format_iso8601(p.t)}};
  }
  out["driver"] = json::object{{"first_name", domain::first_name(snap.driver->name)}, {"position", std::move(position)}};
}

}  // namespace

Result<Reply> track(const Services& s, RequestContext& ctx) {
  const std::string& token = ctx.param(0);
  if (!domain::is_plausible_tracking_token(token)) return core::Error::not_found("tracking token");
  if (s.track_cache) {
    if (auto cached = s.track_cache->get(token, ctx.now)) return json_reply(200, std::move(*cached));
  }
  const uint64_t generation = s.track_cache ? s.track_cache->begin_read() : 0;
  auto snap = s.store.load_tracking(token);
  if (!snap) {
    if (snap.error().code == core::ErrorCode::kNotFound) return core::Error::not_found("tracking token");
    return snap.error();
  }
  const auto* sh = &snap->shipment;
  const auto& tenant = snap->tenant;
  const auto& events = snap->events;

  json::array timeline;
  for (const auto& e : events) {
    if (!e.milestone) continue;
    timeline.push_back(json::object{
        {"type", e.type}, {"at", format_iso8601(e.at)}, {"tag", domain::aftership_tag(*e.milestone)}});
  }
  json::value carrier = nullptr;
  if (snap->carrier) carrier = json::object{{"name", snap->carrier->name}};
  json::value promised = nullptr;
  if (sh->promised)
    promised = json::object{{"start", format_iso8601(sh->promised->start)}, {"end", format_iso8601(sh->promised->end)}};

  // The destination for the page's map, rounded to 0.001° (about 100 m): like the street shown
  // without its house number, it does not pinpoint the door.
  json::value destination = nullptr;
  if (sh->address.location)
    destination = json::object{{"lat", std::round(sh->address.location->lat() * 1000) / 1000},
                               {"lon", std::round(sh->address.location->lon() * 1000) / 1000}};

  json::object out{
      {"tracking_number", sh->tracking_number},
      {"status", domain::milestone_name(sh->status)},
      {"tag", domain::aftership_tag(sh->status)},
      {"shipper", json::object{{"name", tenant.name},
                               {"brand_color", tenant.brand_color},
                               {"brand_logo_url", tenant.brand_logo_url}}},
      {"carrier", std::move(carrier)},
      {"recipient", json::object{{"first_name", domain::first_name(sh->recipient.name)}}},
      {"address", json::object{{"street", domain::street_only(sh->address.line1)},
                               {"city", sh->address.city},
                               {"postal_code", sh->address.postal_code},
                               {"country", sh->address.country}}},
      {"destination", std::move(destination)},
      {"promised", std::move(promised)},
      {"timeline", std::move(timeline)},
      {"instructions", public_instructions_json(*sh)},
      {"updated_at", format_iso8601(sh->updated_at)},
  };
  add_route_view(*snap, out);
  auto body = to_json(out);
  if (s.track_cache) s.track_cache->put(token, body, ctx.now, generation);
  return json_reply(200, std::move(body));
}

}  // namespace lastmile::api::handlers
