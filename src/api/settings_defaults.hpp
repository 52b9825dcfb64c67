#pragma once
// The server's values for the settings a tenant leaves null in its settings document
// (docs/settings.md), shown under "defaults" by GET /v1/tenant/settings.

#include "storage/privacy_store.hpp"

namespace lastmile::api::settings {

struct ServerDefaults {
  int geofence_dwell_s = 20;        // serve: PipelineOptions.geofence.dwell_ms
  int device_offline_minutes = 10;  // PipelineOptions.activity.offline_after_ms
  int stationary_minutes = 15;      // PipelineOptions.activity.stationary_after_ms
  int tracking_stale_hours = 24;    // serve --tracking-stale-hours (0: off)
  storage::RetentionDefaults retention;
};

}  // namespace lastmile::api::settings
