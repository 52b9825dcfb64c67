// Privacy (docs/privacy.md): the tenant's retention settings, and export / erasure of everything
// held about one recipient (GDPR articles 15 and 17). Tenant admins only (routes_table.cpp).
#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include "api/chat_json.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/settings_common.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "api/track_cache.hpp"
#include "domain/masking.hpp"
#include "pipeline/retention.hpp"
#include "storage/chat_store.hpp"
#include "storage/notification_store.hpp"
#include "storage/privacy_store.hpp"
#include "storage/survey_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;

namespace {

constexpr int kMaxRetentionDays = 36'500;
constexpr int kMaxExportedShipments = 1'000;

Result<storage::PrivacyStore*> privacy_store(const Services& s) {
  if (!s.store.privacy()) return Error{core::ErrorCode::kUnavailable, "privacy functions are not available", ""};
  return s.store.privacy();
}

json::value days_or_null(const std::optional<int>& d) { return d ? json::value(*d) : json::value(nullptr); }

json::object retention_json(const storage::RetentionSettings& r, const storage::RetentionDefaults& defaults) {
  const auto eff = storage::effective_retention(r, defaults);
  return json::object{
      {"track_days", days_or_null(r.track_days)},
      {"photo_days", days_or_null(r.photo_days)},
      {"chat_days", days_or_null(r.chat_days)},
      {"effective", json::object{{"track_days", eff.track_days}, {"photo_days", eff.photo_days},
                                 {"chat_days", eff.chat_days}}},
      {"defaults", json::object{{"track_days", defaults.track_days}, {"photo_days", defaults.photo_days},
                                {"chat_days", defaults.chat_days}}},
      {"updated_at", r.updated_at ? json::value(core::format_iso8601(*r.updated_at)) : json::value(nullptr)}};
}

// The recipient named by ?email= / ?phone= (export) or {"email"} / {"phone"} (erase): exactly one.
Result<storage::RecipientKey> recipient_key(std::optional<std::string> email, std::optional<std::string> phone) {
  storage::RecipientKey key;
  if (email) key.email = *email;
  if (phone) key.phone = *phone;
  if (key.email.empty() && key.phone.empty())
    return Error{core::ErrorCode::kMissingField, "name the recipient by email or phone", "email"};
  if (!key.email.empty() && !key.phone.empty())
    return Error::invalid_field("phone", "name the recipient by email or by phone, not both");
  if (key.email.size() > 254 || (!key.email.empty() && key.email.find('@') == std::string::npos))
    return Error::invalid_field("email", "email is not an email address");
  if (key.phone.size() > 32) return Error::invalid_field("phone", "phone is longer than 32 characters");
  return key;
}

json::object notification_json(const storage::NotificationMessage& m) {
  return json::object{{"id", m.id.str()},
                      {"channel", m.channel},
                      {"rule", m.rule},
                      {"recipient", m.recipient},
                      {"state", m.state},
                      {"created_at", core::format_iso8601(m.created_at)},
                      {"delivered_at", m.delivered_at ? json::value(core::format_iso8601(*m.delivered_at))
                                                      : json::value(nullptr)}};
}

// Everything held about the recipient on one shipment.
Result<json::object> shipment_export(const Services& s, const core::TenantId& tenant, const core::ShipmentId& id,
                                     storage::PrivacyStore& privacy) {
  auto sh = s.store.get_shipment(tenant, id);
  if (!sh) return sh.error();
  json::object out{{"shipment", shipment_json(*sh, s.public_url)}};
  auto events = s.store.list_events(tenant, id);
  if (!events) return events.error();
  json::array ev;
  for (const auto& e : *events) ev.push_back(event_json(e));
  out["events"] = std::move(ev);  // proofs and failed attempts are in their events' payloads
  json::array messages;
  if (auto* chat = s.store.chat()) {
    auto list = chat->list_chat_messages(tenant, id, 0, 10'000);
    if (!list) return list.error();
    for (const auto& m : *list) messages.push_back(chat_message_json(m));
  }
  out["messages"] = std::move(messages);
  json::value survey = nullptr;
  if (auto* surveys = s.store.surveys()) {
    auto found = surveys->get_survey(tenant, id);
    if (!found) return found.error();
    if (*found) survey = survey_json(**found, true);
  }
  out["survey"] = std::move(survey);
  json::array notifications, skipped;
  if (auto* n = s.store.notifications()) {
    auto list = n->list_shipment_notifications(tenant, id);
    if (!list) return list.error();
    for (const auto& m : *list) notifications.push_back(notification_json(m));
    auto skips = n->list_skipped_notifications(tenant, id);
    if (!skips) return skips.error();
    for (const auto& k : *skips)
      skipped.push_back(json::object{{"rule", k.rule}, {"channel", k.channel}, {"reason", k.reason},
                                     {"at", core::format_iso8601(k.at)}});
  }
  out["notifications"] = std::move(notifications);
  out["notifications_skipped"] = std::move(skipped);
  auto expired = privacy.expired_blobs(tenant, id);
  if (!expired) return expired.error();
  json::array images;
  for (const auto& b : *expired)
    images.push_back(json::object{{"sha256", b.sha256}, {"reason", b.reason}, {"at", core::format_iso8601(b.at)}});
  out["expired_images"] = std::move(images);
  return out;
}

}  // namespace

Result<Reply> get_tenant_retention(const Services& s, RequestContext& ctx) {
  auto p = privacy_store(s);
  if (!p) return p.error();
  auto r = (*p)->get_retention(ctx.tenant());
  if (!r) return r.error();
  return json_reply(200, to_json(retention_json(*r, s.retention_defaults)));
}

Result<Reply> put_tenant_retention(const Services& s, RequestContext& ctx) {
  auto p = privacy_store(s);
  if (!p) return p.error();
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  storage::RetentionSettings settings;
  auto days = [&](std::string_view key) -> std::optional<int> {
    auto v = r.integer(key, 0, kMaxRetentionDays);
    if (!v) return std::nullopt;
    return static_cast<int>(*v);
  };
  settings.track_days = days("track_days");
  settings.photo_days = days("photo_days");
  settings.chat_days = days("chat_days");
  if (r.error()) return *r.error();
  // The retention is the `retention` section of the tenant settings document: written through its
  // path (one audit trail). This route carries no version: the last writer wins, as before.
  auto store = settings_store(s);
  if (!store) return store.error();
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto current = (*store)->get_tenant_settings(ctx.tenant());
    if (!current) return current.error();
    storage::TenantSettingsRecord next = *current;
    next.retention = settings;
    next.retention.updated_at = current->retention.updated_at;
    auto saved = commit_settings(s, ctx, *current, next, "tenant/retention");
    if (!saved && saved.error().code == core::ErrorCode::kConflict) continue;
    if (!saved) return saved.error();
    return json_reply(200, to_json(retention_json(saved->retention, s.retention_defaults)));
  }
  return Error{core::ErrorCode::kConflict, "the settings are being changed concurrently; retry", "version"};
}

Result<Reply> export_recipient(const Services& s, RequestContext& ctx) {
  auto p = privacy_store(s);
  if (!p) return p.error();
  auto key = recipient_key(ctx.query("email"), ctx.query("phone"));
  if (!key) return key.error();
  auto ids = (*p)->find_recipient_shipments(ctx.tenant(), *key, kMaxExportedShipments + 1);
  if (!ids) return ids.error();
  const bool truncated = static_cast<int>(ids->size()) > kMaxExportedShipments;
  if (truncated) ids->pop_back();
  json::array shipments;
  for (const auto& id : *ids) {
    auto one = shipment_export(s, ctx.tenant(), id, **p);
    if (!one) return one.error();
    shipments.push_back(std::move(*one));
  }
  json::object subject;
  if (!key->email.empty()) subject["email"] = key->email;
  if (!key->phone.empty()) subject["phone"] = key->phone;
  // Logged without the address (no personal data in logs).
  spdlog::info("recipient export by {}: {} shipments", ctx.actor(), ids->size());
  return json_reply(200, to_json(json::object{{"subject", std::move(subject)},
                                              {"generated_at", core::format_iso8601(ctx.now)},
                                              {"shipments", std::move(shipments)},
                                              {"truncated", truncated}}));
}

Result<Reply> erase_recipient(const Services& s, RequestContext& ctx) {
  auto p = privacy_store(s);
  if (!p) return p.error();
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  auto email = r.optional_string("email", 254);
  auto phone = r.optional_string("phone", 32);
  if (r.error()) return *r.error();
  auto key = recipient_key(email, phone);
  if (!key) return key.error();
  auto result = (*p)->erase_recipient(ctx.tenant(), *key, ctx.now, ctx.actor());
  if (!result) return result.error();
  // Their files no live proof refers to go now (unless written in the last blob_idle; the retention
  // job removes those later).
  int64_t removed = 0;
  if (s.blobs && !result->unreferenced_blobs.empty()) {
    auto n = pipeline::remove_blob_files(**p, *s.blobs, result->unreferenced_blobs, s.retention_defaults.blob_idle);
    if (!n) spdlog::warn("erasure: removing blob files failed: {}", n.error().message);
    else removed = *n;
  }
  if (s.track_cache) s.track_cache->invalidate_all();
  json::array shipments, events;
  for (const auto& id : result->shipments) shipments.push_back(json::value(id.str()));
  for (const auto& e : result->erasure_events) events.push_back(json::value(e.id.str()));
  spdlog::info("recipient erasure by {}: {} shipments, {} events redacted", ctx.actor(), result->shipments.size(),
               result->events_redacted);
  return json_reply(200, to_json(json::object{{"shipments", std::move(shipments)},
                                              {"events_redacted", result->events_redacted},
                                              {"messages_redacted", result->messages_redacted},
                                              {"surveys_redacted", result->surveys_redacted},
                                              {"notifications_redacted", result->notifications_redacted},
                                              {"images_expired", result->images_expired},
                                              {"blob_files_removed", removed},
                                              {"erasure_events", std::move(events)}}));
}

}  // namespace lastmile::api::handlers
