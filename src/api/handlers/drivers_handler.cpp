// Drivers and their device tokens. A carrier key manages its own drivers only.
#include <boost/json.hpp>

#include "api/auth.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "core/crypto.hpp"
#include "core/new_id.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

bool valid_device_id(std::string_view id) {
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':' && c != '/') return false;
  return !id.empty();
}

}  // namespace

Result<Reply> create_driver(const Services& s, RequestContext& ctx) {
  Idempotency idem(ctx, "POST /v1/drivers");
  if (auto done = idem.answer_if_seen(s)) return std::move(*done);

  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  domain::Driver d;
  d.name = r.string("name", {.required = true, .max_len = 200});
  d.phone = r.string("phone", {.max_len = 32});
  d.email = r.string("email", {.max_len = 254});
  d.device_id = r.string("device_id", {.max_len = 64});
  auto carrier = r.optional_string("carrier_id", 64);
  auto vehicle = r.optional_string("vehicle_id", 64);
  if (r.error()) return *r.error();
  if (d.device_id.empty()) d.device_id = core::random_digits(12);
  if (!valid_device_id(d.device_id))
    return Error::invalid_field("device_id", "device_id may contain letters, digits, '-', '_', '.', ':' and '/' only");
  auto acting = acting_carrier(s, ctx, carrier);
  if (!acting) return acting.error();
  d.carrier_id = *acting;
  if (vehicle) {
    core::VehicleId vid(*vehicle);
    if (!s.store.get_vehicle(ctx.tenant(), vid)) return Error{ErrorCode::kNotFound, "vehicle not found", "vehicle_id"};
    d.vehicle_id = vid;
  }
  d.id = core::new_id<core::DriverId>();
  d.tenant_id = ctx.tenant();
  d.created_at = ctx.now;

  auto token = issue_credential(domain::Role::kDriver, d.tenant_id, "device of " + d.id.str(), ctx.now, true);
  token.credential.driver_id = d.id;
  token.credential.carrier_id = d.carrier_id;
  auto out = driver_json(d);
  out["device_token"] = token.token;
  auto text = to_json(out);
  auto stored = s.store.create_driver(d, token.credential, idem.record(201, text));
  return finish_create(s, idem, std::move(stored), std::move(text));
}

Result<Reply> list_drivers(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  std::optional<core::CarrierId> carrier;
  if (ctx.role() == domain::Role::kCarrier) {
    carrier = *ctx.principal->carrier_id;
  } else if (auto q = ctx.query("carrier_id")) {
    carrier = core::CarrierId(*q);
  }
  auto res = s.store.list_drivers(ctx.tenant(), carrier, *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& d : res->items) items.push_back(driver_json(d));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> get_driver(const Services& s, RequestContext& ctx) {
  auto d = s.store.get_driver(ctx.tenant(), core::DriverId(ctx.param(0)));
  if (!d) return d.error();
  if (ctx.role() == domain::Role::kCarrier && d->carrier_id != ctx.principal->carrier_id)
    return Error::not_found("driver");
  auto out = driver_json(*d);
  auto latest = s.store.latest_track_point(ctx.tenant(), d->id);
  if (!latest) return latest.error();
  if (*latest) {
    const auto& p = **latest;
    out["position"] = json::object{{"lat", p.position.lat()}, {"lon", p.position.lon()},
                                   {"t", core::format_iso8601(p.t)}};
  } else {
    out["position"] = nullptr;
  }
  return json_reply(200, to_json(out));
}

}  // namespace lastmile::api::handlers
