// Tenants (root) and a tenant's API keys (tenant_admin).
#include <boost/json.hpp>

#include "api/auth.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "core/new_id.hpp"
#include "domain/branding.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

bool is_hex_color(std::string_view s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (size_t i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

}  // namespace

Result<Reply> create_tenant(const Services& s, RequestContext& ctx) {
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  domain::Tenant t;
  t.name = r.string("name", {.required = true, .max_len = 200});
  t.brand_color = r.string("brand_color", {.max_len = 7});
  t.brand_logo_url = r.string("brand_logo_url", {.max_len = domain::kLogoUrlMaxLen});
  auto within = r.integer("show_driver_within_stops", 0, 100);
  auto require_secret = r.boolean("require_device_secret");
  auto radius = r.number("geofence_radius_m", 10, 2000);
  auto pod_distance = r.number("pod_max_distance_m", 10, 100000);
  auto trigger = r.optional_string("out_for_delivery_on", 40);
  if (r.error()) return *r.error();
  if (require_secret) t.require_device_secret = *require_secret;
  if (radius) t.geofence_radius_m = *radius;
  if (pod_distance) t.pod_max_distance_m = *pod_distance;
  if (trigger) {
    auto parsed = domain::parse_out_for_delivery_trigger(*trigger);
    if (!parsed)
      return Error::invalid_field("out_for_delivery_on", "out_for_delivery_on must be depot_departure or route_start");
    t.out_for_delivery_on = *parsed;
  }
  if (!t.brand_color.empty() && !is_hex_color(t.brand_color))
    return Error::invalid_field("brand_color", "brand_color must look like #0a7d5a");
  if (!domain::is_acceptable_logo_url(t.brand_logo_url))
    return Error::invalid_field("brand_logo_url",
                                "brand_logo_url must be a path on this server (/…), an https URL or a "
                                "data:image/(png|jpeg|webp|svg+xml);base64 image");
  if (within) t.show_driver_within_stops = static_cast<int>(*within);
  t.id = core::new_id<core::TenantId>();
  t.created_at = ctx.now;

  auto key = issue_credential(domain::Role::kTenantAdmin, t.id, "tenant admin", ctx.now);
  if (auto st = s.store.create_tenant(t, key.credential); !st) return st.error();
  auto out = tenant_json(t);
  out["api_key"] = key.token;
  return json_reply(201, to_json(out));
}

Result<Reply> list_tenants(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto res = s.store.list_tenants(*page);
  if (!res) return res.error();
  json::array items;
  for (const auto& t : res->items) items.push_back(tenant_json(t));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> create_api_key(const Services& s, RequestContext& ctx) {
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  auto role_name = r.string("role", {.required = true, .max_len = 40});
  auto name = r.string("name", {.max_len = 200});
  auto carrier = r.optional_string("carrier_id", 64);
  if (r.error()) return *r.error();
  auto role = domain::parse_role(role_name);
  if (!role || *role == domain::Role::kRoot || *role == domain::Role::kDriver)
    return Error::invalid_field("role", "role must be one of tenant_admin, dispatcher, integration, carrier");
  if (*role == domain::Role::kCarrier && !carrier) return Error::missing_field("carrier_id");
  if (*role != domain::Role::kCarrier && carrier)
    return Error::invalid_field("carrier_id", "carrier_id is only for role carrier");

  auto issued = issue_credential(*role, ctx.tenant(), name, ctx.now);
  if (carrier) {
    core::CarrierId cid(*carrier);
    auto c = s.store.get_carrier(ctx.tenant(), cid);
    if (!c) return Error{ErrorCode::kNotFound, "carrier not found", "carrier_id"};
    issued.credential.carrier_id = cid;
  }
  if (auto st = s.store.create_credential(issued.credential); !st) return st.error();
  auto out = credential_json(issued.credential);
  out["api_key"] = issued.token;
  return json_reply(201, to_json(out));
}

Result<Reply> list_api_keys(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto res = s.store.list_credentials(ctx.tenant(), *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& c : res->items) items.push_back(credential_json(c));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> revoke_api_key(const Services& s, RequestContext& ctx) {
  if (auto st = s.store.revoke_credential(ctx.tenant(), core::ApiKeyId(ctx.param(0))); !st) return st.error();
  Reply r;
  r.status = 204;
  return r;
}

// POST /v1/api-keys/{id}/rotate: a new secret (and clear prefix) for the same key id, role and
// bindings; the old secret stops working at once (no grace period: that would need a second stored
// hash). A device token (role driver) keeps its "lmd_" form. The new secret is shown once.
Result<Reply> rotate_api_key(const Services& s, RequestContext& ctx) {
  std::string token;
  auto rotated = s.store.rotate_credential(ctx.tenant(), core::ApiKeyId(ctx.param(0)),
                                           [&token](const domain::Credential& current) {
                                             storage::Store::CredentialSecret next;
                                             token = reissue_secret(current, next.prefix, next.secret_hash);
                                             return next;
                                           });
  if (!rotated) return rotated.error();
  auto out = credential_json(*rotated);
  out["api_key"] = token;
  return json_reply(200, to_json(out));
}

}  // namespace lastmile::api::handlers
