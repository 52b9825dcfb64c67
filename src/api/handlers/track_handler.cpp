// The public tracking view: one shipment by its unguessable token, personal data masked.
#include <boost/json.hpp>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "core/error.hpp"
#include "domain/masking.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::format_iso8601;

namespace {

constexpr size_t kTokenLength = 22;

bool plausible_token(std::string_view t) {
  if (t.size() != kTokenLength) return false;
  for (unsigned char c : t)
    if (!std::isalnum(c) && c != '-' && c != '_') return false;
  return true;
}

// Driver block: shown once the route has started; the position (when positions exist) only while
// few enough stops remain before this one (tenant.show_driver_within_stops).
void add_route_view(const Services& s, const domain::Shipment& sh, json::object& out) {
  out["stops_before"] = nullptr;
  out["driver"] = nullptr;
  if (!sh.route_id || !sh.stop_id) return;
  auto route = s.store.get_route(sh.tenant_id, *sh.route_id);
  if (!route || route->status != domain::RouteStatus::kInProgress) return;
  int own_sequence = -1;
  for (const auto& stop : route->stops)
    if (stop.id == *sh.stop_id) own_sequence = stop.sequence;
  if (own_sequence < 0) return;
  int before = 0;
  for (const auto& stop : route->stops) {
    bool open = stop.status == domain::StopStatus::kPending || stop.status == domain::StopStatus::kArrived;
    if (stop.sequence < own_sequence && open) ++before;
  }
  out["stops_before"] = before;
  auto driver = s.store.get_driver(sh.tenant_id, route->driver_id);
  if (driver) out["driver"] = json::object{{"first_name", domain::first_name(driver->name)}};
}

}  // namespace

Result<Reply> track(const Services& s, RequestContext& ctx) {
  const std::string& token = ctx.param(0);
  if (!plausible_token(token)) return core::Error::not_found("tracking token");
  if (s.track_cache) {
    if (auto cached = s.track_cache->get(token, ctx.now)) return json_reply(200, std::move(*cached));
  }
  const uint64_t generation = s.track_cache ? s.track_cache->begin_read() : 0;
  auto sh = s.store.find_shipment_by_token(token);
  if (!sh) return core::Error::not_found("tracking token");
  auto tenant = s.store.get_tenant(sh->tenant_id);
  if (!tenant) return tenant.error();
  auto events = s.store.list_events(sh->tenant_id, sh->id);
  if (!events) return events.error();

  json::array timeline;
  for (const auto& e : *events) {
    if (!e.milestone) continue;
    timeline.push_back(json::object{
        {"type", e.type}, {"at", format_iso8601(e.at)}, {"tag", domain::aftership_tag(*e.milestone)}});
  }
  json::value carrier = nullptr;
  if (sh->carrier_id) {
    if (auto c = s.store.get_carrier(sh->tenant_id, *sh->carrier_id)) carrier = json::object{{"name", c->name}};
  }
  json::value promised = nullptr;
  if (sh->promised)
    promised = json::object{{"start", format_iso8601(sh->promised->start)}, {"end", format_iso8601(sh->promised->end)}};

  json::object out{
      {"tracking_number", sh->tracking_number},
      {"status", domain::milestone_name(sh->status)},
      {"tag", domain::aftership_tag(sh->status)},
      {"shipper", json::object{{"name", tenant->name}, {"brand_color", tenant->brand_color}}},
      {"carrier", std::move(carrier)},
      {"recipient", json::object{{"first_name", domain::first_name(sh->recipient.name)}}},
      {"address", json::object{{"street", domain::street_only(sh->address.line1)},
                               {"city", sh->address.city},
                               {"postal_code", sh->address.postal_code},
                               {"country", sh->address.country}}},
      {"promised", std::move(promised)},
      {"timeline", std::move(timeline)},
      {"updated_at", format_iso8601(sh->updated_at)},
  };
  add_route_view(s, *sh, out);
  auto body = to_json(out);
  if (s.track_cache) s.track_cache->put(token, body, ctx.now, generation);
  return json_reply(200, std::move(body));
}

}  // namespace lastmile::api::handlers
