#pragma once
// Re-planned routes (docs/optimization.md): a new visit order for a route's stops (and its breaks' new
// places), or stops moved to other routes, written with their new ETAs and eta_changed events in one
// transaction; and a day plan's new routes created all at once.
//
// A separate interface (like chat_store.hpp) so the main Store stays as it is; the SQLite store
// implements it. Threading: any thread. Tenant rules as in store.hpp.

#include <optional>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "domain/entities.hpp"
#include "storage/store.hpp"

namespace lastmile::storage {

// One route's stops: `expected` is the stored visit order the caller planned from, `order` the new
// one. A stop listed in `order` of one change and in `expected` of another moves to this route with
// its shipments (their route_id follows; stop_id stays).
struct RouteStopsChange {
  core::RouteId route;
  std::vector<core::StopId> expected;
  std::vector<core::StopId> order;
  // Set: the route's breaks become these (a re-plan that moved them), in the order taken; each
  // id must be one of the route's stored breaks (else kInvalidField "breaks").
  std::optional<std::vector<domain::RouteBreak>> breaks = std::nullopt;
};

class RoutePlanStore {
 public:
  virtual ~RoutePlanStore() = default;
  // Applies every change, sets the ETAs and appends the events (no status change: eta_changed), in one
  // transaction; returns the stored events. kNotFound when a route is not this tenant's; kConflict when
  // a route's stored stops differ from `expected` (it changed meanwhile) or a route is neither planned
  // nor in progress; kInvalidField when the changes' `order`s are not a permutation of their `expected`s
  // ("order") or a change's `breaks` are not the route's stored breaks ("breaks").
  // Nothing is written on error.
  virtual core::Result<std::vector<domain::Event>> replan_routes(
      const core::TenantId& tenant, const std::vector<RouteStopsChange>& changes,
      const std::vector<StopEta>& etas,
      const std::vector<std::pair<domain::Event, domain::Milestone>>& events) = 0;

  // A day plan (POST /v1/optimize with "apply"): inserts every route with its stops, points each
  // listed shipment at its route and stop, and stores `idem` (may be null; `at` is its time), in one
  // transaction — all the routes or none. Each shipment must still be as the planner saw it: this
  // tenant's, on no route (its route_id unset, whatever that route's status) and not closed
  // (delivered, returned, cancelled); else kConflict with the field
  // "routes[k].stops[i].shipment_ids[j]" and a message naming the shipment id. kNotFound (fields
  // "routes[k].driver_id", "routes[k].vehicle_id", or the shipment's path) as create_route; kConflict
  // for a shipment listed twice on one route or a repeated stop sequence; kIdempotencyConflict when
  // idem's key was used already; kInvalidField when a route's tenant_id is not `tenant`. Nothing is
  // written on error.
  virtual Status create_routes(const core::TenantId& tenant, const std::vector<domain::Route>& routes,
                               const IdempotencyRecord* idem, core::Timestamp at) = 0;
};

}  // namespace lastmile::storage
