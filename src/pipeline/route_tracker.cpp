#include "pipeline/route_tracker.hpp"

#include <boost/json.hpp>

#include "core/json_writer.hpp"

#include "core/new_id.hpp"
#include "pipeline/live_json.hpp"

namespace lastmile::pipeline {
namespace {

namespace json = boost::json;

core::Status load_statuses(storage::Store& store, const core::TenantId& tenant, const core::RouteId& route,
                           std::unordered_map<core::ShipmentId, domain::Milestone>& out,
                           std::unordered_map<core::ShipmentId, domain::TimeWindow>& promised) {
  storage::ShipmentFilter filter;
  filter.route_id = route;
  storage::PageRequest page;
  page.limit = 500;
  for (int pages = 0; pages < 100; ++pages) {
    auto res = store.list_shipments(tenant, filter, page);
    if (!res) return res.error();
    for (const auto& s : res->items) {
      out[s.id] = s.status;
      if (s.promised) promised[s.id] = *s.promised;
    }
    if (!res->next_before) break;
    page.before_seq = res->next_before;
  }
  return {};
}

domain::Event make_event(const Device& d, const tracking::ShipmentChange& c, const core::RouteId& route,
                         core::Timestamp at, core::Timestamp now, std::optional<core::LatLon> where) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = d.tenant;
  e.shipment_id = c.shipment_id;
  e.type = c.type;
  e.milestone = c.to;
  e.at = at;
  e.recorded_at = now;
  e.actor = "driver:" + d.driver.str();
  e.source = "geofence";
  e.location = where;
  json::object payload{{"route_id", route.str()}};
  if (c.stop_id) payload["stop_id"] = c.stop_id->str();
  e.payload_json = core::to_json(payload);
  return e;
}

}  // namespace

core::Status RouteTracker::refresh(storage::Store& store, core::Timestamp now, int64_t refresh_ms, bool force) {
  if (!force && loaded_at_ && now.ms - loaded_at_->ms < refresh_ms) return {};
  auto route = store.active_route(device_.tenant, device_.driver);
  if (!route) return route.error();
  ++loads_;
  if (!*route) {
    loaded_at_ = now;
    view_.reset();
    sites_.clear();
    site_stop_.clear();
    geofence_ = {};
    activity_ = {};
    eta_.clear();
    return {};
  }
  auto tenant = store.get_tenant(device_.tenant);
  if (!tenant) return tenant.error();
  tracking::RouteView v;
  std::unordered_map<core::ShipmentId, domain::TimeWindow> promised;
  if (auto st = load_statuses(store, device_.tenant, (*route)->id, v.status, promised); !st) return st;
  loaded_at_ = now;
  const bool same = view_ && view_->route.id == (*route)->id;
  v.route = std::move(**route);
  v.trigger = tenant->out_for_delivery_on;
  v.show_driver_within_stops = tenant->show_driver_within_stops;
  v.arriving = tenant->arriving_milestone;
  v.depot_departed = same && view_->depot_departed;
  if (!same) {
    geofence_ = {};
    activity_ = {};
    tracking::start_activity(activity_, v.route.started_at.value_or(now));
  }
  const size_t old_sites = sites_.size();
  view_ = std::move(v);
  default_radius_m_ = tenant->geofence_radius_m;
  dwell_s_ = tenant->geofence_dwell_s;
  offline_minutes_ = tenant->device_offline_minutes;
  stationary_minutes_ = tenant->stationary_minutes;
  rebuild_sites();
  if (same && sites_.size() != old_sites) geofence_ = {};  // stops changed: start the fences afresh
  eta_.load(*view_, promised);
  return {};
}

tracking::GeofenceParams RouteTracker::geofence_params(const PipelineOptions& options) const {
  tracking::GeofenceParams p = options.geofence;
  if (dwell_s_) p.dwell_ms = int64_t{*dwell_s_} * 1000;
  return p;
}

tracking::ActivityParams RouteTracker::activity_params(const PipelineOptions& options) const {
  tracking::ActivityParams p = options.activity;
  if (offline_minutes_) p.offline_after_ms = int64_t{*offline_minutes_} * 60'000;
  if (stationary_minutes_) p.stationary_after_ms = int64_t{*stationary_minutes_} * 60'000;
  return p;
}

void RouteTracker::rebuild_sites() {
  sites_.clear();
  site_stop_.clear();
  sites_.push_back({tracking::SiteKind::kDepot, core::StopId(), view_->route.depot, default_radius_m_});
  site_stop_.push_back(0);
  for (size_t i = 0; i < view_->route.stops.size(); ++i) {
    const auto& s = view_->route.stops[i];
    if (!s.location) continue;  // no coordinates: no fence (the driver reports the visit)
    sites_.push_back({tracking::SiteKind::kStop, s.id, *s.location, s.radius_m.value_or(default_radius_m_)});
    site_stop_.push_back(i);
  }
}

void RouteTracker::on_status(const core::ShipmentId& shipment, domain::Milestone status, core::Timestamp now,
                             TrackerOutput& out) {
  if (!view_) return;
  apply(tracking::on_shipment_status(*view_, shipment, status), nullptr, now, out);
}

std::vector<core::ShipmentId> RouteTracker::shipments() const {
  std::vector<core::ShipmentId> out;
  if (!view_) return out;
  for (const auto& [id, status] : view_->status) out.push_back(id);
  return out;
}

std::optional<core::RouteId> RouteTracker::route_id() const {
  if (!view_) return std::nullopt;
  return view_->route.id;
}

std::vector<core::ShipmentId> RouteTracker::position_audience() const {
  if (!view_) return {};
  return tracking::position_audience(*view_);
}

void RouteTracker::sync_statuses(storage::Store& store, const std::vector<core::ShipmentId>& shipments) {
  for (const auto& id : shipments) {
    auto it = view_->status.find(id);
    if (it == view_->status.end()) continue;
    if (auto s = store.get_shipment(device_.tenant, id)) it->second = s->status;  // else keep the view's
  }
}

void RouteTracker::on_ping(const ingest::Ping& ping, const PipelineOptions& options, core::Timestamp now,
                           TrackerOutput& out, storage::Store* store) {
  if (!view_) return;
  for (auto ended : tracking::observe_ping(activity_, ping, activity_params(options)))
    record_activity(tracking::activity_cleared_name(ended), ping.t, now, ping.position, out);
  for (const auto& ev : tracking::update_geofence(geofence_, sites_, ping, geofence_params(options))) {
    ++out.geofence_events;
    const bool arrival = ev.kind == tracking::GeofenceEventKind::kArrival;
    if (sites_[ev.site].kind == tracking::SiteKind::kDepot) {
      if (!arrival) apply(tracking::on_depot_departure(*view_), &ping, now, out);
      out.live.push_back(stop_update(device_, view_->route.id, std::nullopt, ev));
      continue;
    }
    const size_t stop = site_stop_[ev.site];
    if (!arrival && store) sync_statuses(*store, view_->route.stops[stop].shipment_ids);
    apply(arrival ? tracking::on_stop_arrival(*view_, stop, ev.at) : tracking::on_stop_departure(*view_, stop, ev.at),
          &ping, now, out);
    out.live.push_back(stop_update(device_, view_->route.id, view_->route.stops[stop].id, ev));
  }
}

void RouteTracker::on_position(const ingest::Ping& ping, const PipelineOptions& options, core::Timestamp now,
                               TrackerOutput& out) {
  if (!view_) return;
  eta_.on_position(*view_, ping, device_, options.eta, now, tracking::near_any_site(geofence_), out);
}

void RouteTracker::on_tick(core::Timestamp now, const PipelineOptions& options, TrackerOutput& out) {
  if (!view_) return;
  const bool near = tracking::near_any_site(geofence_);
  for (const auto& ex : tracking::check_activity(activity_, now, near, activity_params(options))) {
    ++out.exceptions;
    out.live.push_back(exception_update(device_, view_->route.id, ex));
    record_activity(tracking::activity_exception_name(ex.kind), ex.detected_at, now, ex.location, out);
  }
}

void RouteTracker::record_activity(std::string_view type, core::Timestamp at, core::Timestamp now,
                                   std::optional<core::LatLon> where, TrackerOutput& out) {
  ProgressWrite w{device_.tenant, std::nullopt, {}, std::nullopt, {}, {}};
  for (const auto& stop : view_->route.stops) {
    for (const auto& id : stop.shipment_ids) {
      auto it = view_->status.find(id);
      if (it == view_->status.end() || domain::is_terminal(it->second)) continue;
      tracking::ShipmentChange c{id, std::string(type), std::nullopt, domain::Milestone::kCreated, std::nullopt};
      w.events.emplace_back(make_event(device_, c, view_->route.id, at, now, where), domain::Milestone::kCreated);
    }
  }
  if (!w.events.empty()) out.writes.push_back(std::move(w));
}

void RouteTracker::apply(tracking::Progress progress, const ingest::Ping* at_ping, core::Timestamp now,
                         TrackerOutput& out) {
  ProgressWrite w{device_.tenant, std::nullopt, {}, std::nullopt, {}, {}};
  const auto& route = view_->route;
  if (progress.stop) {
    const auto& stop = route.stops[progress.stop->stop_index];
    w.visit = storage::StopVisit{route.id, stop.id, progress.stop->arrived_at, progress.stop->departed_at,
                                 progress.stop->status};
    if (progress.stop->status == domain::StopStatus::kCompleted) w.completed_stop_shipments = stop.shipment_ids;
  }
  const core::Timestamp at = at_ping ? at_ping->t : now;
  std::optional<core::LatLon> where;
  if (at_ping) where = at_ping->position;
  for (const auto& c : progress.changes) {
    core::Timestamp when = at;
    if (progress.stop && c.type == "driver_arrived") when = *progress.stop->arrived_at;
    w.events.emplace_back(make_event(device_, c, route.id, when, now, where), c.from);
  }
  if (w.visit || !w.events.empty()) out.writes.push_back(std::move(w));
}

}  // namespace lastmile::pipeline
