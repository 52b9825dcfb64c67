// Vehicles of a tenant's fleet or of its carriers.
#include <boost/json.hpp>

#include <array>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "core/new_id.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr std::array<std::string_view, 6> kKinds = {"van", "bike", "car", "truck", "cargo_bike", "foot"};

bool visible_to(const RequestContext& ctx, const domain::Vehicle& v) {
  return ctx.role() != domain::Role::kCarrier || v.carrier_id == ctx.principal->carrier_id;
}

}  // namespace

Result<Reply> create_vehicle(const Services& s, RequestContext& ctx) {
  Idempotency idem(ctx, "POST /v1/vehicles");
  if (auto done = idem.answer_if_seen(s)) return std::move(*done);

  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  domain::Vehicle v;
  v.plate = r.string("plate", {.required = true, .max_len = 32});
  v.kind = r.string("kind", {.max_len = 20});
  v.capacity_kg = r.number("capacity_kg", 0, 100000).value_or(0);
  v.capacity_m3 = r.number("capacity_m3", 0, 1000).value_or(0);
  auto carrier = r.optional_string("carrier_id", 64);
  if (r.error()) return *r.error();
  if (v.kind.empty()) v.kind = "van";
  if (std::find(kKinds.begin(), kKinds.end(), v.kind) == kKinds.end())
    return Error::invalid_field("kind", "kind must be one of van, bike, car, truck, cargo_bike, foot");
  auto acting = acting_carrier(s, ctx, carrier);
  if (!acting) return acting.error();
  v.carrier_id = *acting;
  v.id = core::new_id<core::VehicleId>();
  v.tenant_id = ctx.tenant();
  v.created_at = ctx.now;

  auto out = to_json(vehicle_json(v));
  auto stored = s.store.create_vehicle(v, idem.record(201, out));
  return finish_create(s, idem, std::move(stored), std::move(out));
}

Result<Reply> list_vehicles(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto res = s.store.list_vehicles(ctx.tenant(), *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& v : res->items)
    if (visible_to(ctx, v)) items.push_back(vehicle_json(v));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> get_vehicle(const Services& s, RequestContext& ctx) {
  auto v = s.store.get_vehicle(ctx.tenant(), core::VehicleId(ctx.param(0)));
  if (!v) return v.error();
  if (!visible_to(ctx, *v)) return Error::not_found("vehicle");
  return json_reply(200, to_json(vehicle_json(*v)));
}

}  // namespace lastmile::api::handlers
