// The Shopify integration (docs/order-intake.md): a tenant admin connects one shop (domain and the
// app's shared secret); Shopify's orders/create webhook then creates shipments through the one
// creation path, verified by HMAC and deduplicated by X-Shopify-Webhook-Id.
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "api/shipment_creation.hpp"
#include "api/shopify_order.hpp"
#include "core/crypto.hpp"
#include "core/json_reader.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxNumberAttempts = 5;

Result<storage::IntakeStore*> intake_store(const Services& s) {
  if (auto* i = s.store.intake()) return i;
  return Error{ErrorCode::kUnavailable, "integrations are not available with this store", ""};
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 255 || d.front() == '.' || d.back() == '.' || d.find('.') == std::string_view::npos)
    return false;
  return std::all_of(d.begin(), d.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

json::object integration_json(const storage::ShopIntegration& i, const std::string& public_url) {
  return json::object{{"platform", "shopify"},
                      {"connected", true},
                      {"shop_domain", i.shop_domain},
                      {"webhook_url", public_url + "/v1/integrations/shopify/orders"},
                      {"topic", "orders/create"},
                      {"created_at", core::format_iso8601(i.created_at)},
                      {"updated_at", core::format_iso8601(i.updated_at)}};
}

// One answer for an unknown shop and a wrong signature: nobody learns which shops are connected.
Error bad_signature() {
  return Error{ErrorCode::kUnauthenticated, "X-Shopify-Hmac-Sha256 does not match the body for this shop",
               "X-Shopify-Hmac-Sha256"};
}

}  // namespace

// PUT /v1/integrations/shopify — {"shop_domain", "secret"}; the secret is never returned.
Result<Reply> put_shopify_integration(const Services& s, RequestContext& ctx) {
  auto store = intake_store(s);
  if (!store) return store.error();
  auto obj = body_object(ctx);
  if (!obj) return obj.error();
  core::JsonReader r(*obj);
  const std::string domain = lower(r.string("shop_domain", {.required = true, .max_len = 255}));
  const std::string secret = r.string("secret", {.required = true, .max_len = 256, .min_len = 16});
  if (r.error()) return *r.error();
  if (!valid_domain(domain))
    return Error::invalid_field("shop_domain", "shop_domain must be a host name such as example.myshopify.com");
  storage::ShopIntegration in{ctx.tenant(), domain, secret, ctx.now, ctx.now};
  if (auto old = (*store)->get_shop_integration(ctx.tenant())) in.created_at = old->created_at;
  if (auto st = (*store)->put_shop_integration(in); !st) return st.error();
  return json_reply(200, to_json(integration_json(in, s.public_url)));
}

// GET /v1/integrations/shopify — {"connected": false} when none.
Result<Reply> get_shopify_integration(const Services& s, RequestContext& ctx) {
  auto store = intake_store(s);
  if (!store) return store.error();
  auto i = (*store)->get_shop_integration(ctx.tenant());
  if (!i && i.error().code == ErrorCode::kNotFound)
    return json_reply(200, to_json(json::object{{"platform", "shopify"}, {"connected", false}}));
  if (!i) return i.error();
  return json_reply(200, to_json(integration_json(*i, s.public_url)));
}

// DELETE /v1/integrations/shopify — idempotent: 204 also when none is connected.
Result<Reply> delete_shopify_integration(const Services& s, RequestContext& ctx) {
  auto store = intake_store(s);
  if (!store) return store.error();
  auto st = (*store)->delete_shop_integration(ctx.tenant());
  if (!st && st.error().code != ErrorCode::kNotFound) return st.error();  // none: already disconnected
  return Reply{204, "", "application/json", {}};
}

// POST /v1/integrations/shopify/orders — public; authenticated by the body's HMAC.
Result<Reply> shopify_order_created(const Services& s, RequestContext& ctx) {
  auto store = intake_store(s);
  if (!store) return store.error();
  auto header = [&](std::string_view name) { return std::string(ctx.req[name]); };
  const std::string shop = lower(header("X-Shopify-Shop-Domain"));
  const std::string signature = header("X-Shopify-Hmac-Sha256");
  const std::string webhook_id = header("X-Shopify-Webhook-Id");
  const std::string topic = header("X-Shopify-Topic");
  if (shop.empty() || signature.empty()) return bad_signature();
  auto integration = (*store)->find_shop_integration(shop);
  if (!integration) {
    if (integration.error().code == ErrorCode::kNotFound) return bad_signature();
    return integration.error();
  }
  auto given = core::base64_decode(signature);
  const std::string expected = core::hmac_sha256_hex(integration->secret, ctx.req.body());
  std::string given_hex;
  if (given) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char c : *given) {
      given_hex.push_back(kHex[c >> 4]);
      given_hex.push_back(kHex[c & 15]);
    }
  }
  if (!core::constant_time_equal(expected, given_hex)) return bad_signature();

  if (topic != "orders/create")  // acknowledged (Shopify retries anything else), nothing done
    return json_reply(200, to_json(json::object{{"status", "ignored"}, {"topic", topic}}));
  if (webhook_id.empty() || webhook_id.size() > 128)
    return Error::invalid_field("X-Shopify-Webhook-Id", "X-Shopify-Webhook-Id is required (at most 128 characters)");
  auto draft = map_shopify_order(ctx.req.body());
  if (!draft) return draft.error();

  const CreationContext c{integration->tenant_id, "shopify:" + shop, "shopify", ctx.now};
  auto n = prepare_shipment(s, c, std::move(*draft));
  if (!n) return n.error();
  for (int attempt = 1;; ++attempt) {
    core::ShipmentId id;
    auto outcome = (*store)->create_shop_order(webhook_id, *n, id);
    if (!outcome && outcome.error().code == ErrorCode::kConflict && outcome.error().field == "tracking_number" &&
        attempt < kMaxNumberAttempts) {
      renumber(*n);
      continue;
    }
    if (!outcome) return outcome.error();
    const char* status = *outcome == storage::ShopOrderOutcome::kCreated          ? "created"
                         : *outcome == storage::ShopOrderOutcome::kDuplicateOrder ? "duplicate_order"
                                                                                   : "duplicate_webhook";
    json::object body{{"status", status}, {"shipment_id", id.str()}};
    if (*outcome == storage::ShopOrderOutcome::kCreated) body["tracking_number"] = n->shipment.tracking_number;
    return json_reply(*outcome == storage::ShopOrderOutcome::kCreated ? 201 : 200, to_json(body));
  }
}

}  // namespace lastmile::api::handlers
