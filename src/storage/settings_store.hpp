#pragma once
// A tenant's settings document (docs/settings.md): the settings kept on the tenant row, its
// notification settings and its retention, under one version with an audit trail; and the reads
// and writes of the tracking_stale pass (docs/carriers.md).
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"
#include "notify/notification_settings.hpp"
#include "storage/privacy_store.hpp"

namespace lastmile::storage {

// Everything the document holds, as stored.
struct TenantSettingsRecord {
  domain::Tenant tenant;  // the settings kept on the tenant row (name, id, created_at: not settings)
  notify::NotificationSettings notifications;
  RetentionSettings retention;
  // Re-sequence a started route automatically when a late_risk is raised on it, and apply the new
  // order when it makes fewer stops late or less lateness (api/auto_reroute.hpp).
  bool rerouting_auto_apply = false;
  int64_t version = 0;                        // 0: never changed through the document
  std::optional<core::Timestamp> updated_at;  // of the latest accepted change
  std::string updated_by;                     // its credential id
  std::string updated_by_name;                // and that credential's name
};

// One accepted change: who, when, from which version to which, what changed (a JSON array of
// {"path","old","new"}, made by the caller).
struct SettingsAuditEntry {
  int64_t version = 0;       // the version the change made
  int64_t base_version = 0;  // the version it replaced
  core::Timestamp at;
  std::string actor_id;    // credential id
  std::string actor_name;  // credential name
  std::string via;         // the route: "tenant/settings", "notification-settings", "tenant/retention"
  std::string changes_json;
};

// A shipment that reports through a carrier and is in transit, with the time of its latest
// carrier event (or of its latest status change when that is later: the silence starts then).
struct CarrierTrackedShipment {
  core::TenantId tenant;
  core::ShipmentId shipment;
  domain::Milestone status = domain::Milestone::kShipped;
  core::Timestamp last_heard;
  bool stale_open = false;         // it has an unresolved tracking_stale case
  core::Timestamp stale_raised_at;  // that case's last_seen_at
};

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;

  // The tenant's document. kNotFound for an unknown tenant.
  virtual core::Result<TenantSettingsRecord> get_tenant_settings(const core::TenantId& tenant) = 0;

  // Writes `next` (its tenant-row settings, notifications and retention) and `audit` in one
  // transaction when the stored version is `expected_version`; the version becomes
  // expected_version + 1 (audit.version and base_version are set here). The notification settings'
  // own version moves on by one when they changed. kConflict (field "version") when the version
  // moved — nothing is written then; kNotFound for an unknown tenant. Returns the stored document.
  virtual core::Result<TenantSettingsRecord> put_tenant_settings(const core::TenantId& tenant,
                                                                 const TenantSettingsRecord& next,
                                                                 int64_t expected_version,
                                                                 SettingsAuditEntry audit) = 0;

  // Accepted changes, newest first, with version < `before` when before > 0, at most `limit`.
  virtual core::Result<std::vector<SettingsAuditEntry>> list_settings_history(const core::TenantId& tenant,
                                                                              int64_t before, int limit) = 0;

  // Every tenant's shipments that have a carrier and are in one of `statuses`, plus those with an
  // unresolved tracking_stale case whatever their status, at most `limit` after shipment seq `after`
  // (in seq order; the seq of the last one is returned in `next_after`, 0 when done).
  struct TrackedPage {
    std::vector<CarrierTrackedShipment> items;
    int64_t next_after = 0;
  };
  virtual core::Result<TrackedPage> list_carrier_tracked(const std::vector<domain::Milestone>& statuses,
                                                         int64_t after, int limit) = 0;
};

}  // namespace lastmile::storage
