#pragma once
// The one write path of a tenant's settings (settings_handler.cpp, docs/settings.md), shared by
// PUT /v1/tenant/settings, PUT /v1/notification-settings and PUT /v1/tenant/retention.

#include <string>

#include "api/context.hpp"
#include "storage/settings_store.hpp"

namespace lastmile::api::handlers {

// The store's SettingsStore; kUnavailable without one.
core::Result<storage::SettingsStore*> settings_store(const Services& s);

// Stores `next` in place of `current` (read by the caller; its version is the compare-and-set
// base) with an audit entry of the changed paths, by the caller's credential, through `via`, and
// makes the running server follow it (tracking view cache, pipeline, device directory). Returns
// `current` unchanged when nothing differs (no new version). kConflict (field "version") when the
// settings changed since `current` was read.
core::Result<storage::TenantSettingsRecord> commit_settings(const Services& s, const RequestContext& ctx,
                                                            const storage::TenantSettingsRecord& current,
                                                            const storage::TenantSettingsRecord& next,
                                                            std::string via);

}  // namespace lastmile::api::handlers
