#pragma once
// Automatic rerouting (issue 9 §2, docs/optimization.md): when a late_risk is raised on a stop of a
// started route and the tenant's settings document allows it (`rerouting.auto_apply`,
// docs/settings.md), the route's open stops are re-sequenced from the driver's live position with the
// same code as POST /v1/routes/{id}/resequence, and the new order is applied only when it makes fewer
// stops late, or as many with less lateness. Applying writes the order, the stops' ETAs and the
// `eta_changed` events (which notify the affected customers, as a dispatcher's apply does) with the
// actor "system". A route is tried at most once per `cooldown_ms` of server clock.
//
// Threading: on_event() is called on the event bus's thread and only posts; the work runs on the
// object's own worker thread, one route at a time. `services` outlives the object.

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "api/context.hpp"
#include "domain/entities.hpp"
#include "pipeline/serial_worker.hpp"

namespace lastmile::api {

class AutoReroute {
 public:
  explicit AutoReroute(const Services& services, int64_t cooldown_ms = 10 * 60'000);
  ~AutoReroute();
  AutoReroute(const AutoReroute&) = delete;
  AutoReroute& operator=(const AutoReroute&) = delete;

  // A committed event; a late_risk with a route_id in its payload may start an attempt.
  void on_event(const domain::Event& e);
  // Blocks until the attempts posted so far are done (tests, shutdown).
  void drain();

 private:
  void attempt(const core::TenantId& tenant, const core::RouteId& route);

  const Services& services_;
  const int64_t cooldown_ms_;
  std::mutex mu_;
  std::unordered_map<core::RouteId, int64_t> tried_at_;  // GUARDED_BY(mu_): last attempt, server ms
  pipeline::SerialWorker worker_;                        // last: stopped first
};

}  // namespace lastmile::api
