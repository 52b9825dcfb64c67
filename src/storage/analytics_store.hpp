#pragma once
// Carrier and driver analytics (docs/analytics.md): the incremental aggregation of the event log
// into delivery facts and daily rollups, the rollup reads of the dashboard, per-carrier rate cards
// and the tenant's targets.
//
// Threading: every method may be called from any thread; aggregate_events is meant for one worker
// (two concurrent callers are safe — the writer serialises them — but gain nothing).
// Tenant rules as in store.hpp.

#include <optional>
#include <string>
#include <vector>

#include "analytics/figures.hpp"
#include "analytics/rollup.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace lastmile::storage {

enum class AnalyticsDim { kCarrier, kDriver };

// One stored daily rollup.
struct AnalyticsRow {
  std::string key_id;      // the carrier's or the driver's id
  std::string name;        // the carrier's name, or the driver's name (on reads)
  std::string carrier_id;  // a carrier row: its id; a driver row: the driver's carrier ("" when none)
  std::string day;         // "YYYY-MM-DD", UTC
  analytics::Rollup rollup;
};

struct AnalyticsQuery {
  core::TenantId tenant;
  AnalyticsDim dim = AnalyticsDim::kCarrier;
  std::string from_day;  // inclusive
  std::string to_day;    // inclusive
  std::optional<core::CarrierId> carrier;  // only this carrier's row, or its drivers' rows
};

class AnalyticsStore {
 public:
  virtual ~AnalyticsStore() = default;

  // Folds up to `limit` events after the stored cursor (by global_seq) into facts and rollups and
  // moves the cursor, all in one transaction: a crash leaves either all or none of it. Returns how
  // many events it consumed (0 when caught up).
  virtual core::Result<int> aggregate_events(int limit) = 0;
  // The global_seq of the last event folded (0 before the first).
  virtual core::Result<int64_t> analytics_cursor() = 0;

  // The tenant's daily rows of the dimension in the range, in no particular order.
  virtual core::Result<std::vector<AnalyticsRow>> analytics_rows(const AnalyticsQuery& q) = 0;
  // Adds rows to the rollups as they are (benchmarks and imports; the aggregator never calls it),
  // in one transaction. Rows of carriers/drivers the tenant does not have are kNotFound.
  virtual core::Status add_analytics_rows(const core::TenantId& tenant, AnalyticsDim dim,
                                          const std::vector<AnalyticsRow>& rows) = 0;

  // The carrier's rate card; nullopt when none was set. kNotFound when not the tenant's carrier.
  virtual core::Result<std::optional<analytics::RateCard>> get_rate_card(const core::TenantId& tenant,
                                                                        const core::CarrierId& carrier) = 0;
  // Replaces it (validated by the caller). kNotFound when not the tenant's carrier.
  virtual core::Status put_rate_card(const core::TenantId& tenant, const core::CarrierId& carrier,
                                     const analytics::RateCard& card, core::Timestamp at) = 0;
  // Every rate card of the tenant, by carrier id.
  virtual core::Result<std::vector<std::pair<std::string, analytics::RateCard>>> list_rate_cards(
      const core::TenantId& tenant) = 0;

  // The tenant's targets (all unset when never written).
  virtual core::Result<analytics::Targets> get_targets(const core::TenantId& tenant) = 0;
  virtual core::Status put_targets(const core::TenantId& tenant, const analytics::Targets& targets,
                                   core::Timestamp at) = 0;
};

}  // namespace lastmile::storage
