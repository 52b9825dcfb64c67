// The tenant settings document and its audit trail (storage/settings_store.hpp, docs/settings.md),
// and the reads of the tracking_stale pass (docs/carriers.md).
#include "storage/sqlite/sqlite_notifications.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using core::Error;

Result<TenantSettingsRecord> load_settings(Connection& db, const core::TenantId& tenant) {
  TenantSettingsRecord out;
  {
    auto stmt = db.prepare(sql({"SELECT ", kTenantColumns, " FROM tenants WHERE id = ?"}));
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str());
    auto t = fetch_one<domain::Tenant>(*stmt, tenant_from_row, "tenant");
    if (!t) return t.error();
    out.tenant = std::move(*t);
  }
  auto notifications = load_notification_settings(db, tenant);
  if (!notifications) return notifications.error();
  out.notifications = std::move(*notifications);
  {
    auto stmt = db.prepare("SELECT track_days, photo_days, chat_days, updated_at FROM tenant_retention WHERE tenant_id = ?");
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str()).step();
    if (!row) return row.error();
    if (*row) {
      if (auto v = stmt->optional_int64(0)) out.retention.track_days = static_cast<int>(*v);
      if (auto v = stmt->optional_int64(1)) out.retention.photo_days = static_cast<int>(*v);
      if (auto v = stmt->optional_int64(2)) out.retention.chat_days = static_cast<int>(*v);
      if (auto v = stmt->optional_int64(3)) out.retention.updated_at = core::Timestamp{*v};
    }
  }
  auto stmt = db.prepare(
      "SELECT version, updated_at, updated_by, updated_by_name, rerouting_auto_apply FROM tenant_settings "
      "WHERE tenant_id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(tenant.str()).step();
  if (!row) return row.error();
  if (*row) {
    out.version = stmt->int64(0);
    out.updated_at = core::Timestamp{stmt->int64(1)};
    out.updated_by = stmt->text(2);
    out.updated_by_name = stmt->text(3);
    out.rerouting_auto_apply = stmt->int64(4) != 0;
  }
  return out;
}

std::optional<int64_t> as_int64(const std::optional<int>& v) {
  if (!v) return std::nullopt;
  return *v;
}

Status run(Connection& db, std::string_view text, const auto&... args) {
  auto stmt = db.prepare(text);
  if (!stmt) return stmt.error();
  return stmt->bind_all(args...).run();
}

Status write_settings(Connection& db, const core::TenantId& tenant, const TenantSettingsRecord& cur,
                      const TenantSettingsRecord& next, const SettingsAuditEntry& audit) {
  const domain::Tenant& t = next.tenant;
  if (auto st = run(db,
                    "UPDATE tenants SET brand_color = ?, brand_logo_url = ?, show_driver_within_stops = ?, "
                    "require_device_secret = ?, geofence_radius_m = ?, out_for_delivery_on = ?, "
                    "pod_max_distance_m = ?, geofence_dwell_s = ?, device_offline_minutes = ?, "
                    "stationary_minutes = ?, tracking_stale_hours = ?, arriving_milestone = ? WHERE id = ?",
                    t.brand_color, t.brand_logo_url, t.show_driver_within_stops, t.require_device_secret ? 1 : 0,
                    t.geofence_radius_m, std::string(domain::out_for_delivery_trigger_name(t.out_for_delivery_on)),
                    t.pod_max_distance_m, as_int64(t.geofence_dwell_s), as_int64(t.device_offline_minutes),
                    as_int64(t.stationary_minutes), as_int64(t.tracking_stale_hours), t.arriving_milestone ? 1 : 0,
                    tenant.str());
      !st)
    return st;
  const std::string before = notify::settings_json(cur.notifications);
  notify::NotificationSettings n = next.notifications;
  n.version = cur.notifications.version;
  if (notify::settings_json(n) != before) {
    n.version = cur.notifications.version + 1;
    if (auto st = run(db,
                      "INSERT INTO notification_settings (tenant_id, version, document, updated_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version, document = excluded.document, "
                      "updated_at = excluded.updated_at",
                      tenant.str(), n.version, notify::settings_json(n), audit.at.ms);
        !st)
      return st;
  }
  const RetentionSettings& r = next.retention;
  if (r.track_days != cur.retention.track_days || r.photo_days != cur.retention.photo_days ||
      r.chat_days != cur.retention.chat_days) {
    if (auto st = run(db,
                      "INSERT INTO tenant_retention (tenant_id, track_days, photo_days, chat_days, updated_at) "
                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET track_days = excluded.track_days, "
                      "photo_days = excluded.photo_days, chat_days = excluded.chat_days, "
                      "updated_at = excluded.updated_at",
                      tenant.str(), as_int64(r.track_days), as_int64(r.photo_days), as_int64(r.chat_days), audit.at.ms);
        !st)
      return st;
  }
  if (auto st = run(db,
                    "INSERT INTO tenant_settings (tenant_id, version, updated_at, updated_by, updated_by_name, "
                    "rerouting_auto_apply) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET "
                    "version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by, "
                    "updated_by_name = excluded.updated_by_name, rerouting_auto_apply = excluded.rerouting_auto_apply",
                    tenant.str(), audit.version, audit.at.ms, audit.actor_id, audit.actor_name,
                    next.rerouting_auto_apply ? 1 : 0);
      !st)
    return st;
  return run(db,
             "INSERT INTO tenant_settings_history (tenant_id, version, base_version, at, actor_id, actor_name, via, "
             "changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             tenant.str(), audit.version, audit.base_version, audit.at.ms, audit.actor_id, audit.actor_name, audit.via,
             audit.changes_json);
}

}  // namespace

Result<TenantSettingsRecord> SqliteStore::get_tenant_settings(const core::TenantId& tenant) {
  return read<TenantSettingsRecord>("get_tenant_settings", [&](Connection& db) { return load_settings(db, tenant); });
}

Result<TenantSettingsRecord> SqliteStore::put_tenant_settings(const core::TenantId& tenant,
                                                              const TenantSettingsRecord& next,
                                                              int64_t expected_version, SettingsAuditEntry audit) {
  Status st = write("put_tenant_settings", [&](Connection& db, Events&) -> Status {
    auto cur = load_settings(db, tenant);
    if (!cur) return cur.error();
    if (cur->version != expected_version)
      return Error{core::ErrorCode::kConflict,
                   "the settings changed (version " + std::to_string(cur->version) + "); reload and retry", "version"};
    audit.base_version = expected_version;
    audit.version = expected_version + 1;
    return write_settings(db, tenant, *cur, next, audit);
  });
  if (!st) return st.error();
  return get_tenant_settings(tenant);
}

Result<std::vector<SettingsAuditEntry>> SqliteStore::list_settings_history(const core::TenantId& tenant,
                                                                           int64_t before, int limit) {
  using Out = std::vector<SettingsAuditEntry>;
  return read<Out>("list_settings_history", [&](Connection& db) -> Result<Out> {
    auto stmt = db.prepare(
        "SELECT version, base_version, at, actor_id, actor_name, via, changes FROM tenant_settings_history "
        "WHERE tenant_id = ? AND version < ? ORDER BY version DESC LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->bind_all(tenant.str(), before > 0 ? before : INT64_MAX, limit);
    Out out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      out.push_back({stmt->int64(0), stmt->int64(1), core::Timestamp{stmt->int64(2)}, stmt->text(3), stmt->text(4),
                     stmt->text(5), stmt->text(6)});
    }
    return out;
  });
}

Result<SettingsStore::TrackedPage> SqliteStore::list_carrier_tracked(const std::vector<domain::Milestone>& statuses,
                                                                      int64_t after, int limit) {
  return read<TrackedPage>("list_carrier_tracked", [&](Connection& db) -> Result<TrackedPage> {
    std::string in;
    for (size_t i = 0; i < statuses.size(); ++i) in += i ? ", ?" : "?";
    if (in.empty()) in = "NULL";
    auto stmt = db.prepare(sql(
        {"SELECT s.seq, s.tenant_id, s.id, s.status, "
         "GREATEST(COALESCE((SELECT MAX(c.received_at) FROM carrier_events c WHERE c.tenant_id = s.tenant_id AND "
         "c.shipment_id = s.id), 0), COALESCE((SELECT MAX(e.recorded_at) FROM events e WHERE e.tenant_id = s.tenant_id "
         "AND e.shipment_id = s.id AND e.milestone IS NOT NULL), 0)), x.last_seen_at "
         "FROM shipments s LEFT JOIN exceptions x ON x.tenant_id = s.tenant_id AND x.subject = 'shipment:' || s.id "
         "AND x.kind = 'tracking_stale' AND x.status != 'resolved' "
         "WHERE s.seq > ? AND s.carrier_id IS NOT NULL AND (s.status IN (",
         in, ") OR x.seq IS NOT NULL) ORDER BY s.seq LIMIT ?"}));
    if (!stmt) return stmt.error();
    int i = 1;
    stmt->bind(i++, after);
    for (auto m : statuses) stmt->bind(i++, std::string(domain::milestone_name(m)));
    stmt->bind(i, limit);
    TrackedPage out;
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.error();
      if (!*row) break;
      CarrierTrackedShipment c;
      c.tenant = core::TenantId(stmt->text(1));
      c.shipment = core::ShipmentId(stmt->text(2));
      auto status = domain::parse_milestone(stmt->text(3));
      if (!status) return corrupt_row("shipments");
      c.status = *status;
      c.last_heard = core::Timestamp{stmt->int64(4)};
      if (auto v = stmt->optional_int64(5)) {
        c.stale_open = true;
        c.stale_raised_at = core::Timestamp{*v};
      }
      out.next_after = stmt->int64(0);
      out.items.push_back(std::move(c));
    }
    if (static_cast<int>(out.items.size()) < limit) out.next_after = 0;
    return out;
  });
}

}  // namespace lastmile::storage::sqlite
