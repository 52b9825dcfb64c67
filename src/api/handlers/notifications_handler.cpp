// Notification settings, their preview and a shipment's message log (docs/notifications.md).
// Messages are enqueued by the store with their events and sent by notify::NotificationWorker.
#include <algorithm>
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/settings_common.hpp"
#include "api/json_io.hpp"
#include "domain/masking.hpp"
#include "notify/local_schedule.hpp"
#include "notify/notification_rules.hpp"
#include "storage/notification_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;

namespace {

Result<storage::NotificationStore*> notification_store(const Services& s) {
  if (!s.notifications) return Error{core::ErrorCode::kUnavailable, "notifications are not available", ""};
  return s.notifications;
}

Reply settings_reply(int status, const notify::NotificationSettings& settings) {
  Reply r = json_reply(status, notify::settings_json(settings));
  r.headers.emplace_back("ETag", "\"" + std::to_string(settings.version) + "\"");
  return r;
}

std::string masked(const std::string& channel, const std::string& address) {
  return channel == "email" ? domain::mask_email(address) : domain::mask_phone(address);
}

json::value time_or_null(const std::optional<core::Timestamp>& t) {
  if (!t) return nullptr;
  return json::value(core::format_iso8601(*t));
}

}  // namespace

Result<Reply> get_notification_settings(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  auto settings = (*store)->get_notification_settings(ctx.tenant());
  if (!settings) return settings.error();
  return settings_reply(200, *settings);
}

// The notification settings are the `notifications` section of the tenant settings document:
// written through its path (one version check on theirs, one audit trail).
Result<Reply> put_notification_settings(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  auto parsed = notify::parse_settings(ctx.req.body());
  if (!parsed) return parsed.error();
  auto version = expected_version(ctx);
  if (!version) return version.error();
  auto settings = settings_store(s);
  if (!settings) return settings.error();
  auto current = (*settings)->get_tenant_settings(ctx.tenant());
  if (!current) return current.error();
  if (current->notifications.version != *version)
    return Error{core::ErrorCode::kConflict,
                 "the settings changed (version " + std::to_string(current->notifications.version) +
                     "); reload and retry",
                 "version"};
  storage::TenantSettingsRecord next = *current;
  next.notifications = std::move(*parsed);
  next.notifications.version = current->notifications.version;
  auto saved = commit_settings(s, ctx, *current, next, "notification-settings");
  if (!saved) return saved.error();
  return settings_reply(200, saved->notifications);
}

// POST {"rule":"delivered","channel":"email","shipment_id"?: "...","settings"?: {…unsaved document}}
Result<Reply> preview_notification(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  auto body = body_object(ctx);
  if (!body) return body.error();
  auto str = [&](const char* key) -> std::string {
    const json::value* v = body->if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  const std::string rule = str("rule");
  const std::string channel = str("channel").empty() ? "email" : str("channel");
  const auto& rules = notify::rule_names();
  if (std::find(rules.begin(), rules.end(), rule) == rules.end())
    return Error::invalid_field("rule", "rule must be one of the notification rules (e.g. \"delivered\")");
  if (channel != "email" && channel != "sms") return Error::invalid_field("channel", "channel is \"email\" or \"sms\"");
  notify::NotificationSettings settings;
  if (const json::value* doc = body->if_contains("settings"); doc && !doc->is_null()) {
    auto p = notify::parse_settings(json::serialize(*doc));
    if (!p) return p.error();
    settings = std::move(*p);
  } else {
    auto p = (*store)->get_notification_settings(ctx.tenant());
    if (!p) return p.error();
    settings = std::move(*p);
  }
  notify::TemplateVariables vars{{"first_name", "Ann"},
                                 {"tracking_url", s.public_url + "/t/SAMPLE"},
                                 {"survey_url", s.public_url + "/track/SAMPLE?survey=1"},
                                 {"eta_window", "14:00\u201316:00"},
                                 {"driver_first_name", "Sam"},
                                 {"shipper_name", settings.sender_name.empty() ? "Your shop" : settings.sender_name},
                                 {"tracking_number", "LM0000000000"},
                                 {"unsubscribe_url", s.public_url + "/v1/unsubscribe/SAMPLE"}};
  if (const std::string id = str("shipment_id"); !id.empty()) {
    auto sh = s.store.get_shipment(ctx.tenant(), core::ShipmentId(id));
    if (!sh) return sh.error();
    const std::string tz = sh->recipient.time_zone.empty() ? settings.default_time_zone : sh->recipient.time_zone;
    vars["first_name"] = notify::first_name(sh->recipient.name);
    vars["tracking_url"] = s.public_url + "/t/" + sh->tracking_token;
    vars["survey_url"] = s.public_url + "/track/" + sh->tracking_token + "?survey=1";
    vars["tracking_number"] = sh->tracking_number;
    vars["eta_window"] = sh->promised ? notify::format_window(sh->promised->start, sh->promised->end, tz) : "";
  }
  const notify::RenderedMessage m = notify::render_message(settings, rule, channel, vars);
  json::object out{{"rule", rule}, {"channel", channel}};
  if (channel == "sms") {
    out["body"] = m.text;
  } else {
    out["subject"] = m.subject;
    out["text"] = m.text;
    out["html"] = m.html;
  }
  return json_reply(200, to_json(out));
}

Result<Reply> list_shipment_notifications(const Services& s, RequestContext& ctx) {
  auto store = notification_store(s);
  if (!store) return store.error();
  const core::ShipmentId id(ctx.param(0));
  if (auto sh = s.store.get_shipment(ctx.tenant(), id); !sh) return sh.error();
  auto messages = (*store)->list_shipment_notifications(ctx.tenant(), id);
  if (!messages) return messages.error();
  auto skipped = (*store)->list_skipped_notifications(ctx.tenant(), id);
  if (!skipped) return skipped.error();
  json::array items;
  for (const auto& m : *messages) {
    json::value last_status = nullptr;
    if (m.last_status) last_status = *m.last_status;
    items.push_back(json::object{{"id", m.id.str()},
                                 {"channel", m.channel},
                                 {"rule", m.rule},
                                 {"event_id", m.event_id.str()},
                                 {"idempotency_key", m.idempotency_key},
                                 {"recipient", masked(m.channel, m.recipient)},
                                 {"state", m.state},
                                 {"attempts", m.attempts},
                                 {"last_status", std::move(last_status)},
                                 {"last_error", m.last_error},
                                 {"provider_id", m.provider_id},
                                 {"provider_state", m.provider_state},
                                 {"next_attempt_at", m.state == "pending" ? time_or_null(m.next_attempt_at)
                                                                          : json::value(nullptr)},
                                 {"created_at", core::format_iso8601(m.created_at)},
                                 {"delivered_at", time_or_null(m.delivered_at)}});
  }
  json::array skips;
  for (const auto& k : *skipped)
    skips.push_back(json::object{{"rule", k.rule},
                                 {"channel", k.channel},
                                 {"reason", k.reason},
                                 {"at", core::format_iso8601(k.at)}});
  return json_reply(200, to_json(json::object{{"items", std::move(items)}, {"skipped", std::move(skips)}}));
}

}  // namespace lastmile::api::handlers
