// The tenant settings document (docs/settings.md): GET/PUT /v1/tenant/settings and its history.
// PUT /v1/notification-settings and PUT /v1/tenant/retention write through the same path, so the
// document, its version and its audit trail cover them too.
#include "api/handlers/settings_common.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "api/settings_document.hpp"
#include "pipeline/device_directory.hpp"
#include "pipeline/ingest_pipeline.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

Reply document_reply(const Services& s, const storage::TenantSettingsRecord& r) {
  Reply reply = json_reply(200, to_json(settings::document_json(r, s.settings_defaults)));
  reply.headers.emplace_back("ETag", "\"" + std::to_string(r.version) + "\"");
  return reply;
}

Error stale_version(int64_t current) {
  return Error{ErrorCode::kConflict, "the settings changed (version " + std::to_string(current) + "); reload and retry",
               "version"};
}

// What a change must reach besides the database: cached tracking views, the followed drivers'
// geofences and thresholds, and the device directory's cached require_secret.
void propagate(const Services& s, const core::TenantId& tenant) {
  if (s.track_cache) s.track_cache->invalidate_all();
  if (s.pipeline) s.pipeline->tenant_changed(tenant);
  if (s.devices) s.devices->forget_tenant(tenant);
}

}  // namespace

Result<storage::SettingsStore*> settings_store(const Services& s) {
  if (auto* store = s.store.settings()) return store;
  return Error{ErrorCode::kUnavailable, "tenant settings are not available", ""};
}

Result<storage::TenantSettingsRecord> commit_settings(const Services& s, const RequestContext& ctx,
                                                      const storage::TenantSettingsRecord& current,
                                                      const storage::TenantSettingsRecord& next, std::string via) {
  auto* store = s.store.settings();
  if (!store) return Error{ErrorCode::kUnavailable, "tenant settings are not available", ""};
  json::array changes = settings::diff(settings::settings_json(current), settings::settings_json(next));
  if (changes.empty()) return current;  // nothing changed: no new version, nothing to audit
  storage::SettingsAuditEntry audit;
  audit.at = ctx.now;
  audit.actor_id = ctx.actor();
  audit.actor_name = ctx.principal ? ctx.principal->credential_name : "";
  audit.via = std::move(via);
  audit.changes_json = to_json(changes);
  auto saved = store->put_tenant_settings(ctx.tenant(), next, current.version, audit);
  if (!saved) return saved.error();
  propagate(s, ctx.tenant());
  spdlog::info("tenant {} settings version {} by {} ({} change(s) via {})", ctx.tenant().str(), saved->version,
               ctx.actor(), changes.size(), audit.via);
  return saved;
}

Result<Reply> get_tenant_settings(const Services& s, RequestContext& ctx) {
  auto store = settings_store(s);
  if (!store) return store.error();
  auto r = (*store)->get_tenant_settings(ctx.tenant());
  if (!r) return r.error();
  return document_reply(s, *r);
}

Result<Reply> put_tenant_settings(const Services& s, RequestContext& ctx) {
  auto store = settings_store(s);
  if (!store) return store.error();
  auto req = settings::parse_put(ctx.req.body());
  if (!req) return req.error();
  auto version = expected_version(ctx);
  if (!version) return version.error();
  auto current = (*store)->get_tenant_settings(ctx.tenant());
  if (!current) return current.error();
  if (current->version != *version) return stale_version(current->version);
  auto next = settings::apply_patch(*current, req->patch);
  if (!next) return next.error();
  auto saved = commit_settings(s, ctx, *current, *next, "tenant/settings");
  if (!saved) return saved.error();
  return document_reply(s, *saved);
}

// GET /v1/tenant/settings/history?limit=&cursor= : accepted changes, newest first.
Result<Reply> list_tenant_settings_history(const Services& s, RequestContext& ctx) {
  auto store = settings_store(s);
  if (!store) return store.error();
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto entries = (*store)->list_settings_history(ctx.tenant(), page->before_seq.value_or(0), page->limit + 1);
  if (!entries) return entries.error();
  json::array items;
  std::optional<int64_t> next;
  for (const auto& e : *entries) {
    if (static_cast<int>(items.size()) == page->limit) {
      next = items.back().as_object().at("version").as_int64();
      break;
    }
    boost::system::error_code ec;
    json::value changes = json::parse(e.changes_json, ec);
    if (ec) changes = json::array{};
    items.push_back(json::object{{"version", e.version},
                                 {"base_version", e.base_version},
                                 {"at", core::format_iso8601(e.at)},
                                 {"by", json::object{{"id", e.actor_id}, {"name", e.actor_name}}},
                                 {"via", e.via},
                                 {"changes", std::move(changes)}});
  }
  return json_reply(200, page_body(std::move(items), next));
}

}  // namespace lastmile::api::handlers
