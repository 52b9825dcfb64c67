// Outbound webhook subscriptions and their delivery log (docs/webhooks.md). Messages themselves are
// enqueued by the store with their events and sent by the outbox worker (notify/outbox_worker.hpp).
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "core/crypto.hpp"
#include "core/new_id.hpp"
#include "notify/subscription_request.hpp"
#include "notify/webhook_envelope.hpp"
#include "notify/webhook_sender.hpp"
#include "storage/webhook_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;

namespace {

json::value time_json(const std::optional<core::Timestamp>& t) {
  if (!t) return nullptr;
  return json::value(core::format_iso8601(*t));
}

json::object webhook_json(const storage::WebhookSubscription& w) {
  json::array events;
  for (const auto& e : w.events) events.push_back(json::value(e));
  json::object out{{"id", w.id.str()},
                   {"url", w.url},
                   {"events", std::move(events)},
                   {"description", w.description},
                   {"status", w.status},
                   {"created_at", core::format_iso8601(w.created_at)}};
  if (!w.disabled_reason.empty()) out["disabled_reason"] = w.disabled_reason;
  if (!w.previous_secret.empty() && w.previous_secret_until)
    out["previous_secret_expires_at"] = core::format_iso8601(*w.previous_secret_until);
  return out;
}

json::object delivery_json(const storage::OutboxMessage& m) {
  json::value last_status = nullptr;
  if (m.last_status) last_status = *m.last_status;
  return {{"id", m.id.str()},
          {"event_id", m.event_id.str()},
          {"type", m.event_type},
          {"idempotency_key", m.idempotency_key},
          {"state", m.state},
          {"attempts", m.attempts},
          {"last_status", std::move(last_status)},
          {"last_error", m.last_error},
          {"next_attempt_at", m.state == "pending" ? time_json(m.next_attempt_at) : json::value(nullptr)},
          {"created_at", core::format_iso8601(m.created_at)},
          {"delivered_at", time_json(m.delivered_at)}};
}

Result<storage::WebhookStore*> webhook_store(const Services& s) {
  if (!s.webhooks) return Error{core::ErrorCode::kUnavailable, "webhooks are not available on this server", ""};
  return s.webhooks;
}

// The validation handshake: POST {"type":"webhook.validation","check":…}; the URL must answer 2xx
// echoing the check.
core::Status validate_endpoint(const Services& s, const std::string& url) {
  if (!s.webhook_sender) return Error{core::ErrorCode::kUnavailable, "webhook sending is not configured", ""};
  const std::string check = core::random_token(18);
  notify::WebhookRequest request{url, {{"Webhook-Id", "validation:" + check}}, notify::validation_body(check)};
  const notify::WebhookAnswer answer = s.webhook_sender->post(request);
  if (notify::handshake_accepted(answer, check)) return {};
  std::string why = answer.status ? "it answered HTTP " + std::to_string(*answer.status)
                                  : "it could not be reached (" + answer.error + ")";
  if (answer.status && *answer.status >= 200 && *answer.status < 300) why = "its answer did not echo the check value";
  return Error{core::ErrorCode::kWebhookValidationFailed, "the webhook URL failed the validation handshake: " + why,
               "url"};
}

}  // namespace

Result<Reply> create_webhook(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  auto req = notify::parse_subscription_request(ctx.req.body(), notify::UrlPolicy{s.webhook_allow_private});
  if (!req) return req.error();
  if (auto st = validate_endpoint(s, req->url); !st) return st.error();
  storage::WebhookSubscription w;
  w.id = core::new_id<core::WebhookId>();
  w.tenant_id = ctx.tenant();
  w.url = req->url;
  w.events = req->events;
  w.description = req->description;
  w.secret = "whsec_" + core::random_token(32);
  w.created_at = ctx.now;
  if (auto st = (*store)->create_webhook(w); !st) return st.error();
  json::object body = webhook_json(w);
  body["secret"] = w.secret;  // shown once
  return json_reply(201, to_json(body));
}

Result<Reply> list_webhooks(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto res = (*store)->list_webhooks(ctx.tenant(), *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& w : res->items) items.push_back(webhook_json(w));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> get_webhook(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  auto w = (*store)->get_webhook(ctx.tenant(), core::WebhookId(ctx.param(0)));
  if (!w) return w.error();
  return json_reply(200, to_json(webhook_json(*w)));
}

Result<Reply> delete_webhook(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  auto w = (*store)->disable_webhook(ctx.tenant(), core::WebhookId(ctx.param(0)), ctx.now);
  if (!w) return w.error();
  return json_reply(200, to_json(webhook_json(*w)));
}

// POST /v1/webhooks/{id}/rotate-secret {"grace_hours": 24}: a new secret, shown once; the old one
// signs too (a second signature) for the grace period, 0–168 hours (default 24).
Result<Reply> rotate_webhook_secret(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  auto grace = notify::parse_rotation_request(ctx.req.body());
  if (!grace) return grace.error();
  std::optional<core::Timestamp> until;
  if (*grace > 0) until = core::Timestamp{ctx.now.ms + *grace * 3'600'000LL};
  const std::string secret = "whsec_" + core::random_token(32);
  auto w = (*store)->rotate_webhook_secret(ctx.tenant(), core::WebhookId(ctx.param(0)), secret, until, ctx.now);
  if (!w) return w.error();
  json::object body = webhook_json(*w);
  body["secret"] = secret;  // shown once
  return json_reply(200, to_json(body));
}

// POST /v1/webhooks/{id}/enable: a subscription its receiver disabled (410 Gone) is checked again
// with the validation handshake, then active; its pending messages go out.
Result<Reply> enable_webhook(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  const core::WebhookId id(ctx.param(0));
  auto w = (*store)->get_webhook(ctx.tenant(), id);
  if (!w) return w.error();
  if (w->disabled_reason == "deleted")
    return Error{core::ErrorCode::kConflict, "the webhook subscription was deleted; create a new one", ""};
  if (w->status != "active") {
    if (auto st = validate_endpoint(s, w->url); !st) return st.error();
  }
  auto enabled = (*store)->enable_webhook(ctx.tenant(), id, ctx.now);
  if (!enabled) return enabled.error();
  if (s.wake_outbox) s.wake_outbox();
  return json_reply(200, to_json(webhook_json(*enabled)));
}

Result<Reply> list_webhook_deliveries(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto res = (*store)->list_deliveries(ctx.tenant(), core::WebhookId(ctx.param(0)), *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& m : res->items) items.push_back(delivery_json(m));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> replay_webhook_delivery(const Services& s, RequestContext& ctx) {
  auto store = webhook_store(s);
  if (!store) return store.error();
  auto m = (*store)->replay_delivery(ctx.tenant(), core::WebhookId(ctx.param(0)), core::DeliveryId(ctx.param(1)),
                                     ctx.now);
  if (!m) return m.error();
  if (s.wake_outbox) s.wake_outbox();
  return json_reply(202, to_json(delivery_json(*m)));
}

}  // namespace lastmile::api::handlers
