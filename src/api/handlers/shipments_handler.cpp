// Shipments and their milestone events.
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "api/shipment_creation.hpp"
#include "api/shipment_parser.hpp"
#include "core/crypto.hpp"
#include "core/new_id.hpp"
#include "domain/tracking_number.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxCasRetries = 5;
constexpr int64_t kMaxFutureSkewMs = 10 * 60 * 1000;

domain::Event new_event(const RequestContext& ctx, const domain::Shipment& s, domain::Milestone m,
                        core::Timestamp at, std::string source) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = s.tenant_id;
  e.shipment_id = s.id;
  e.type = std::string(domain::milestone_name(m));
  e.milestone = m;
  e.at = at;
  e.recorded_at = ctx.now;
  e.actor = ctx.actor();
  e.source = std::move(source);
  e.payload_json = "{}";
  return e;
}

Result<storage::ShipmentFilter> shipment_filter(const RequestContext& ctx) {
  storage::ShipmentFilter f;
  if (auto v = ctx.query("status")) {
    f.status = domain::parse_milestone(*v);
    if (!f.status) return Error::invalid_field("status", "status '" + *v + "' is not a milestone");
  }
  if (auto v = ctx.query("carrier_id")) f.carrier_id = core::CarrierId(*v);
  if (auto v = ctx.query("route_id")) f.route_id = core::RouteId(*v);
  for (auto [key, target] : {std::pair{"created_from", &f.created_from}, std::pair{"created_to", &f.created_to}}) {
    if (auto v = ctx.query(key)) {
      auto t = v->size() == 10 ? core::parse_date(*v) : core::parse_iso8601(*v);
      if (!t) return Error::invalid_field(key, std::string(key) + " must be YYYY-MM-DD or an ISO 8601 time");
      *target = t;
    }
  }
  if (auto v = ctx.query("q")) {
    if (v->size() > 200) return Error::invalid_field("q", "q is longer than 200 characters");
    f.text = *v;
  }
  if (ctx.role() == domain::Role::kCarrier) {
    if (f.carrier_id && f.carrier_id != ctx.principal->carrier_id)
      return Error{ErrorCode::kForbidden, "a carrier key sees its own shipments only", "carrier_id"};
    f.carrier_id = ctx.principal->carrier_id;
  }
  return f;
}

}  // namespace

Result<Reply> create_shipment(const Services& s, RequestContext& ctx) {
  Idempotency idem(ctx, "POST /v1/shipments");
  if (auto done = idem.answer_if_seen(s)) return std::move(*done);

  auto draft = parse_shipment_create(ctx.req.body());
  if (!draft) return draft.error();
  const CreationContext c{ctx.tenant(), ctx.actor(), "api", ctx.now};
  std::string body;
  auto made = api::create_shipment(s, c, std::move(*draft), [&](const domain::Shipment& sh) {
    body = to_json(shipment_json(sh, s.public_url));
    return idem.record(201, body);
  });
  if (!made) return finish_create(s, idem, made.error(), std::move(body));
  if (made->duplicate) return json_reply(200, to_json(shipment_json(made->shipment, s.public_url)));
  return json_reply(201, std::move(body));
}

Result<Reply> list_shipments(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto filter = shipment_filter(ctx);
  if (!filter) return filter.error();
  auto res = s.store.list_shipments(ctx.tenant(), *filter, *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& sh : res->items) items.push_back(shipment_json(sh, s.public_url));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> get_shipment(const Services& s, RequestContext& ctx) {
  auto sh = load_visible_shipment(s, ctx, core::ShipmentId(ctx.param(0)));
  if (!sh) return sh.error();
  return json_reply(200, to_json(shipment_json(*sh, s.public_url)));
}

Result<Reply> post_shipment_event(const Services& s, RequestContext& ctx) {
  auto draft = parse_event_create(ctx.req.body());
  if (!draft) return draft.error();
  if (draft->at && draft->at->ms > ctx.now.ms + kMaxFutureSkewMs)
    return Error::invalid_field("at", "at is in the future");
  const core::ShipmentId id(ctx.param(0));

  for (int attempt = 0; attempt < kMaxCasRetries; ++attempt) {
    auto sh = load_visible_shipment(s, ctx, id);
    if (!sh) return sh.error();
    if (!domain::transition_allowed(sh->status, draft->milestone))
      return Error{ErrorCode::kIllegalTransition,
                   "a shipment cannot go from " + std::string(domain::milestone_name(sh->status)) + " to " +
                       std::string(domain::milestone_name(draft->milestone)),
                   "type"};
    std::string source = ctx.role() == domain::Role::kDriver    ? "driver_app"
                         : ctx.role() == domain::Role::kCarrier ? "carrier"
                                                                 : "api";
    auto e = new_event(ctx, *sh, draft->milestone, draft->at.value_or(ctx.now), std::move(source));
    e.location = draft->location;
    json::object payload;
    if (!draft->note.empty()) payload["note"] = draft->note;
    if (!draft->reason.empty()) payload["reason"] = draft->reason;
    e.payload_json = to_json(payload);
    auto stored = s.store.append_event(e, sh->status);
    if (!stored && stored.error().code == ErrorCode::kConflict) continue;  // changed meanwhile: re-read
    if (!stored) return stored.error();
    auto out = event_json(*stored);
    out["shipment_status"] = domain::milestone_name(draft->milestone);
    return json_reply(201, to_json(out));
  }
  return Error{ErrorCode::kConflict, "the shipment is being changed concurrently; retry", ""};
}

Result<Reply> list_shipment_events(const Services& s, RequestContext& ctx) {
  const core::ShipmentId id(ctx.param(0));
  auto sh = load_visible_shipment(s, ctx, id);
  if (!sh) return sh.error();
  auto events = s.store.list_events(ctx.tenant(), id);
  if (!events) return events.error();
  json::array items;
  for (const auto& e : *events) items.push_back(event_json(e));
  return json_reply(200, to_json(json::object{{"items", std::move(items)}}));
}

}  // namespace lastmile::api::handlers
