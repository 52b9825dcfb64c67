// SqliteStore: re-planned routes (storage/route_plan_store.hpp).
#include <algorithm>
#include <set>

#include "storage/sqlite/sqlite_loaders.hpp"
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage::sqlite {
namespace {

using core::ErrorCode;

Result<std::vector<core::StopId>> stored_order(Connection& db, const core::TenantId& tenant,
                                               const core::RouteId& route) {
  auto status = db.prepare("SELECT status FROM routes WHERE tenant_id = ? AND id = ?");
  if (!status) return status.error();
  auto row = status->bind_all(tenant.str(), route.str()).step();
  if (!row) return row.error();
  if (!*row) return Error::not_found("route");
  const std::string current = status->text(0);
  if (current != domain::route_status_name(domain::RouteStatus::kPlanned) &&
      current != domain::route_status_name(domain::RouteStatus::kInProgress))
    return Error{ErrorCode::kConflict,
                 "route is " + current + "; only a planned or started route is re-planned", ""};
  auto stmt = db.prepare("SELECT id FROM stops WHERE tenant_id = ? AND route_id = ? ORDER BY visit_order");
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), route.str());
  std::vector<core::StopId> out;
  for (;;) {
    auto r = stmt->step();
    if (!r) return r.error();
    if (!*r) break;
    out.emplace_back(stmt->text(0));
  }
  return out;
}

Status place_stop(Connection& db, const core::TenantId& tenant, const core::RouteId& route,
                  const core::StopId& stop, int64_t visit_order) {
  auto place = db.prepare("UPDATE stops SET route_id = ?, visit_order = ? WHERE tenant_id = ? AND id = ?");
  if (!place) return place.error();
  if (auto st = place->bind_all(route.str(), visit_order, tenant.str(), stop.str()).run(); !st) return st;
  for (const char* q : {"UPDATE stop_shipments SET route_id = ? WHERE tenant_id = ? AND stop_id = ?",
                        "UPDATE shipments SET route_id = ? WHERE tenant_id = ? AND stop_id = ?"}) {
    auto stmt = db.prepare(q);
    if (!stmt) return stmt.error();
    if (auto st = stmt->bind_all(route.str(), tenant.str(), stop.str()).run(); !st) return st;
  }
  return {};
}

// Replaces the route's breaks with `breaks`, which must be the stored ones (same ids), moved.
Status move_breaks(Connection& db, const core::TenantId& tenant, const core::RouteId& route,
                   const std::vector<domain::RouteBreak>& breaks) {
  auto stmt = db.prepare("SELECT name FROM route_breaks WHERE tenant_id = ? AND route_id = ?");
  if (!stmt) return stmt.error();
  stmt->bind_all(tenant.str(), route.str());
  std::multiset<std::string> stored, given;
  for (;;) {
    auto r = stmt->step();
    if (!r) return r.error();
    if (!*r) break;
    stored.insert(stmt->text(0));
  }
  for (const auto& b : breaks) given.insert(b.id);
  if (stored != given) return Error::invalid_field("breaks", "the moved breaks must be the route's breaks");
  return write_breaks(db, tenant, route, breaks);
}

}  // namespace

Result<std::vector<domain::Event>> SqliteStore::replan_routes(
    const core::TenantId& tenant, const std::vector<RouteStopsChange>& changes,
    const std::vector<StopEta>& etas,
    const std::vector<std::pair<domain::Event, domain::Milestone>>& events) {
  std::multiset<std::string> before, after;
  for (const auto& c : changes) {
    for (const auto& id : c.expected) before.insert(id.str());
    for (const auto& id : c.order) after.insert(id.str());
  }
  if (before != after) return Error::invalid_field("order", "the new orders must list the same stops");
  Events stored;
  Status st = write("replan_routes", [&](Connection& db, Events& committed) -> Status {
    for (const auto& c : changes) {
      auto current = stored_order(db, tenant, c.route);
      if (!current) return current.error();
      if (*current != c.expected)
        return Error{ErrorCode::kConflict, "the route's stops changed meanwhile; re-read and retry", ""};
    }
    // Negative visit orders first, so no (route, visit_order) pair collides while stops move.
    int64_t temp = -1;
    for (const auto& c : changes) {
      for (const auto& stop : c.order) {
        if (auto s = place_stop(db, tenant, c.route, stop, temp--); !s) return s;
      }
    }
    for (const auto& c : changes) {
      for (size_t i = 0; i < c.order.size(); ++i) {
        if (auto s = place_stop(db, tenant, c.route, c.order[i], static_cast<int64_t>(i)); !s) return s;
      }
    }
    for (const auto& c : changes) {
      if (!c.breaks) continue;
      if (auto s = move_breaks(db, tenant, c.route, *c.breaks); !s) return s;
    }
    for (const auto& e : etas) {
      auto stmt = db.prepare(
          "UPDATE stops SET eta = ?, eta_earliest = ?, eta_latest = ? WHERE tenant_id = ? AND id = ?");
      if (!stmt) return stmt.error();
      if (auto s = stmt->bind_all(e.eta.ms, e.earliest.ms, e.latest.ms, tenant.str(), e.stop_id.str()).run();
          !s)
        return s;
    }
    if (auto s = insert_events(db, tenant, events, committed); !s) return s;
    stored = committed;
    return {};
  });
  if (!st) return st.error();
  return stored;
}

}  // namespace lastmile::storage::sqlite
