// The per-shipment chat (docs/chat-and-surveys.md): the customer by tracking token, staff and the
// route's driver by credential. Messages are pushed live once stored; a replay (same client_id)
// answers 200 with the stored message and pushes nothing.
#include <boost/json.hpp>

#include <charconv>

#include "api/chat_json.hpp"
#include "api/chat_parser.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "domain/tracking_number.hpp"
#include "push/hub.hpp"
#include "storage/chat_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

Result<storage::ChatStore*> chat_store(const Services& s) {
  if (auto* c = s.store.chat()) return c;
  return Error{ErrorCode::kUnavailable, "chat is not available with this store", ""};
}

Result<int64_t> query_int(const RequestContext& ctx, std::string_view key, int64_t def, int64_t min, int64_t max) {
  auto v = ctx.query(key);
  if (!v) return def;
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < min || out > max)
    return Error::invalid_field(std::string(key), std::string(key) + " must be an integer from " +
                                                      std::to_string(min) + " to " + std::to_string(max));
  return out;
}

Result<domain::Shipment> shipment_by_token(const Services& s, const std::string& token) {
  if (!domain::is_plausible_tracking_token(token)) return Error::not_found("tracking token");
  auto sh = s.store.find_shipment_by_token(token);
  if (!sh && sh.error().code == ErrorCode::kNotFound) return Error::not_found("tracking token");
  return sh;
}

// The thread after `after` as {"items":[…],"last_seq":N}; `extra` fields are added.
Result<Reply> list_reply(const Services& s, const RequestContext& ctx, const domain::Shipment& sh, json::object extra) {
  auto chat = chat_store(s);
  if (!chat) return chat.error();
  auto after = query_int(ctx, "after", 0, 0, INT64_MAX);
  if (!after) return after.error();
  auto limit = query_int(ctx, "limit", 100, 1, domain::kMaxChatPage);
  if (!limit) return limit.error();
  auto rows = (*chat)->list_chat_messages(sh.tenant_id, sh.id, *after, static_cast<int>(*limit));
  if (!rows) return rows.error();
  json::array items;
  int64_t last = *after;
  for (const auto& m : *rows) {
    items.push_back(chat_message_json(m));
    last = m.seq;
  }
  extra["items"] = std::move(items);
  extra["last_seq"] = last;
  return json_reply(200, to_json(extra));
}

Result<Reply> add_and_push(const Services& s, const domain::Shipment& sh, storage::ChatMessageDraft draft) {
  auto chat = chat_store(s);
  if (!chat) return chat.error();
  auto stored = (*chat)->add_chat_message(sh.tenant_id, sh.id, std::move(draft));
  if (!stored) return stored.error();
  if (!stored->replayed && s.live_hub) s.live_hub->publish(live_chat_message(*stored, sh.route_id));
  return json_reply(stored->replayed ? 200 : 201, to_json(json::object{{"message", chat_message_json(*stored)}}));
}

}  // namespace

core::Status relay_sms_to_chat(const Services& s, const core::TenantId& tenant, const core::ShipmentId& shipment,
                               std::string_view body, const std::string& message_id, core::Timestamp now) {
  auto sh = s.store.get_shipment(tenant, shipment);
  if (!sh) return sh.error();
  std::string text;
  size_t code_points = 0;
  for (char c : body) {
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) != 0x80 && ++code_points > domain::kMaxChatBodyChars) break;  // cut before a code point
    text += (u < 0x20 && c != '\n') ? ' ' : c;
  }
  auto clean = domain::validate_chat_body(text);
  if (!clean) return clean.error();
  storage::ChatMessageDraft d;
  d.author_role = domain::ChatRole::kCustomer;
  d.author_label = domain::customer_label(sh->recipient.name);
  d.author_id = "sms";
  d.channel = domain::ChatChannel::kSms;
  d.body = std::move(*clean);
  d.client_id = "sms:" + message_id.substr(0, domain::kMaxChatClientIdChars - 4);
  d.at = now;
  auto stored = add_and_push(s, *sh, std::move(d));
  if (!stored) return stored.error();
  return {};
}

Result<Reply> get_track_messages(const Services& s, RequestContext& ctx) {
  auto sh = shipment_by_token(s, ctx.param(0));
  if (!sh) return sh.error();
  const bool closed = !domain::customer_may_post(sh->status, sh->updated_at, ctx.now);
  return list_reply(s, ctx, *sh, json::object{{"closed", closed}, {"you", domain::customer_label(sh->recipient.name)}});
}

Result<Reply> post_track_message(const Services& s, RequestContext& ctx) {
  auto sh = shipment_by_token(s, ctx.param(0));
  if (!sh) return sh.error();
  auto post = parse_chat_post(ctx.req.body());
  if (!post) return post.error();
  if (auto open = domain::customer_may_post(sh->status, sh->updated_at, ctx.now); !open) return open.error();
  storage::ChatMessageDraft d;
  d.author_role = domain::ChatRole::kCustomer;
  d.author_label = domain::customer_label(sh->recipient.name);
  d.author_id = "token";
  d.channel = domain::ChatChannel::kWeb;
  d.body = std::move(post->body);
  d.client_id = std::move(post->client_id);
  d.at = ctx.now;
  return add_and_push(s, *sh, std::move(d));
}

Result<Reply> get_shipment_messages(const Services& s, RequestContext& ctx) {
  auto sh = load_visible_shipment(s, ctx, core::ShipmentId(ctx.param(0)));
  if (!sh) return sh.error();
  return list_reply(s, ctx, *sh, json::object{{"closed_for_customer", !domain::customer_may_post(sh->status, sh->updated_at, ctx.now)}});
}

Result<Reply> post_shipment_message(const Services& s, RequestContext& ctx) {
  auto sh = load_visible_shipment(s, ctx, core::ShipmentId(ctx.param(0)));
  if (!sh) return sh.error();
  auto post = parse_chat_post(ctx.req.body());
  if (!post) return post.error();
  storage::ChatMessageDraft d;
  if (ctx.role() == domain::Role::kDriver) {
    auto driver = s.store.get_driver(ctx.tenant(), *ctx.principal->driver_id);
    if (!driver) return driver.error();
    d.author_role = domain::ChatRole::kDriver;
    d.author_label = domain::driver_label(driver->name);
    d.author_id = "driver:" + driver->id.str();
    d.channel = domain::ChatChannel::kApp;
  } else {
    auto tenant = s.store.get_tenant(ctx.tenant());
    if (!tenant) return tenant.error();
    d.author_role = domain::ChatRole::kDispatcher;
    d.author_label = domain::dispatcher_label(tenant->name);
    d.author_id = ctx.actor();
    d.channel = domain::ChatChannel::kWeb;
  }
  d.body = std::move(post->body);
  d.client_id = std::move(post->client_id);
  d.at = ctx.now;
  return add_and_push(s, *sh, std::move(d));
}

Result<Reply> list_chat_threads(const Services& s, RequestContext& ctx) {
  auto chat = chat_store(s);
  if (!chat) return chat.error();
  auto limit = query_int(ctx, "limit", 100, 1, 500);
  if (!limit) return limit.error();
  auto rows = (*chat)->list_chat_threads(ctx.tenant(), static_cast<int>(*limit));
  if (!rows) return rows.error();
  json::array items;
  for (const auto& t : *rows)
    items.push_back(json::object{{"shipment_id", t.shipment_id.str()},
                                 {"last_seq", t.last_seq},
                                 {"awaiting_reply", t.awaiting_reply},
                                 {"last_at", core::format_iso8601(t.last_at)}});
  return json_reply(200, to_json(json::object{{"items", std::move(items)}}));
}

}  // namespace lastmile::api::handlers
