#include "pipeline/tracking_stale.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <unordered_map>

#include "core/json_writer.hpp"
#include "core/new_id.hpp"

namespace lastmile::pipeline {

namespace {

const std::vector<domain::Milestone>& in_transit_statuses() {
  static const std::vector<domain::Milestone> kStatuses = {domain::Milestone::kShipped,
                                                           domain::Milestone::kOutForDelivery,
                                                           domain::Milestone::kArriving,
                                                           domain::Milestone::kAttemptFailed};
  return kStatuses;
}

domain::Event stale_event(const storage::CarrierTrackedShipment& s, std::string type, core::Timestamp now, int hours) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = s.tenant;
  e.shipment_id = s.shipment;
  e.type = std::move(type);
  e.at = now;
  e.recorded_at = now;
  e.actor = "system";
  e.source = "tracking_stale";
  e.payload_json = core::to_json(boost::json::object{
      {"threshold_hours", hours},
      {"last_heard_at", s.last_heard.ms > 0 ? boost::json::value(core::format_iso8601(s.last_heard))
                                            : boost::json::value(nullptr)}});
  return e;
}

}  // namespace

bool is_carrier_in_transit(domain::Milestone m) {
  for (auto s : in_transit_statuses())
    if (s == m) return true;
  return false;
}

StaleDecision decide_tracking_stale(const storage::CarrierTrackedShipment& s, core::Timestamp now, int hours) {
  const bool stale = is_carrier_in_transit(s.status) && hours > 0 && now.ms - s.last_heard.ms >= int64_t{hours} * 3'600'000;
  if (stale && !s.stale_open) return StaleDecision::kRaise;
  if (!stale && s.stale_open) return StaleDecision::kClear;
  return StaleDecision::kNone;
}

TrackingStaleMonitor::TrackingStaleMonitor(storage::Store& store, const core::Clock& clock,
                                           TrackingStaleOptions options)
    : store_(store), clock_(clock), options_(options) {
  if (options_.interval.count() > 0 && store_.settings())
    job_ = std::make_unique<PeriodicJob>(options_.interval, [this](const std::atomic<bool>& stopping) {
      if (options_.may_run && !options_.may_run()) return;
      if (auto r = run_once(&stopping); !r) spdlog::warn("tracking_stale pass failed: {}", r.error().message);
    });
}

TrackingStaleMonitor::~TrackingStaleMonitor() = default;

core::Result<TrackingStaleReport> TrackingStaleMonitor::run_once(const std::atomic<bool>* stopping) {
  TrackingStaleReport report;
  auto* settings = store_.settings();
  if (!settings) return report;
  const core::Timestamp now = clock_.now();
  std::unordered_map<core::TenantId, int> hours_of;  // this pass's tenant thresholds
  int64_t after = 0;
  do {
    if (stopping && stopping->load()) break;
    auto page = settings->list_carrier_tracked(in_transit_statuses(), after, options_.page);
    if (!page) return page.error();
    for (const auto& s : page->items) {
      auto h = hours_of.find(s.tenant);
      if (h == hours_of.end()) {
        auto tenant = store_.get_tenant(s.tenant);
        if (!tenant) return tenant.error();
        h = hours_of.emplace(s.tenant, tenant->tracking_stale_hours.value_or(options_.default_hours)).first;
      }
      const StaleDecision d = decide_tracking_stale(s, now, h->second);
      if (d == StaleDecision::kNone) continue;
      const bool raise = d == StaleDecision::kRaise;
      auto e = store_.append_event(stale_event(s, raise ? "tracking_stale" : "tracking_stale_cleared", now, h->second),
                                   s.status);
      if (!e) return e.error();
      ++(raise ? report.raised : report.cleared);
    }
    after = page->next_after;
  } while (after > 0);
  if (report.raised || report.cleared)
    spdlog::info("tracking_stale: {} raised, {} cleared", report.raised, report.cleared);
  return report;
}

}  // namespace lastmile::pipeline
