#include "pipeline/eta_monitor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <boost/json.hpp>

#include "core/json_writer.hpp"
#include "core/new_id.hpp"
#include "domain/milestone.hpp"
#include "domain/route_breaks.hpp"
#include "pipeline/live_json.hpp"
#include "pipeline/route_tracker.hpp"

namespace lastmile::pipeline {
namespace {

namespace json = boost::json;

bool moved(const std::optional<core::Timestamp>& before, core::Timestamp now, double threshold_s) {
  return !before || std::llabs(now.ms - before->ms) >= std::llround(threshold_s * 1000.0);
}

bool open_shipment(const tracking::RouteView& view, const core::ShipmentId& id) {
  auto it = view.status.find(id);
  if (it == view.status.end()) return false;
  return !domain::is_terminal(it->second) && it->second != domain::Milestone::kAttemptFailed;
}

// A stop's promise: the window every one of its shipments allows (latest start, earliest end);
// when those do not overlap, the first shipment's window.
std::optional<domain::TimeWindow> stop_window(const domain::Stop& stop,
                                              const std::unordered_map<core::ShipmentId, domain::TimeWindow>& promised) {
  std::optional<domain::TimeWindow> w, first;
  for (const auto& id : stop.shipment_ids) {
    auto it = promised.find(id);
    if (it == promised.end()) continue;
    if (!first) first = it->second;
    if (!w) {
      w = it->second;
      continue;
    }
    w->start = std::max(w->start, it->second.start);
    w->end = std::min(w->end, it->second.end);
  }
  if (w && w->start > w->end) return first;
  return w;
}

domain::Event make_event(const Device& d, const core::ShipmentId& shipment, std::string type, core::Timestamp at,
                         core::Timestamp now, std::optional<core::LatLon> where, json::object payload) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = d.tenant;
  e.shipment_id = shipment;
  e.type = std::move(type);
  e.at = at;
  e.recorded_at = now;
  e.actor = "driver:" + d.driver.str();
  e.source = "eta";
  e.location = where;
  e.payload_json = core::to_json(payload);
  return e;
}

// The first estimate of a stop is the baseline; later ones are announced when they moved enough.
template <typename Writer>
void announce_change(const tracking::RouteView& view, const domain::Stop& stop, const eta::StopEstimate& e,
                     const Device& device, const EtaOptions& options, const ingest::Ping& ping, core::Timestamp now,
                     std::optional<core::Timestamp>& announced, Writer&& writer) {
  if (options.announce_change_s <= 0) return;
  if (!announced) {
    announced = e.arrival;
    return;
  }
  if (!moved(announced, e.arrival, options.announce_change_s)) return;
  const double shift_min = (e.arrival.ms - announced->ms) / 60000.0;
  json::object payload{{"route_id", view.route.id.str()},
                       {"stop_id", stop.id.str()},
                       {"previous_eta", core::format_iso8601(*announced)},
                       {"eta", core::format_iso8601(e.arrival)},
                       {"earliest", core::format_iso8601(e.earliest)},
                       {"latest", core::format_iso8601(e.latest)},
                       {"shift_minutes", std::round(shift_min)}};
  announced = e.arrival;
  for (const auto& id : stop.shipment_ids) {
    if (!open_shipment(view, id)) continue;
    writer().events.emplace_back(make_event(device, id, "eta_changed", ping.t, now, ping.position, payload),
                                 domain::Milestone::kCreated);
  }
}

// The route's breaks not yet taken, placed among the open stops (domain::breaks_pending); one before
// the first stop is behind once the driver left the depot.
std::vector<eta::BreakAhead> breaks_ahead(const tracking::RouteView& view, size_t open_count) {
  std::vector<eta::BreakAhead> out;
  const auto& breaks = view.route.breaks;
  for (const auto& p : domain::breaks_pending(breaks, view.route.stops.size() - open_count, view.depot_departed)) {
    eta::BreakAhead ahead;
    ahead.before = p.before;
    ahead.duration_s = breaks[p.index].duration_s;
    if (breaks[p.index].window) ahead.earliest_start = breaks[p.index].window->start;
    out.push_back(ahead);
  }
  return out;
}

}  // namespace

void EtaMonitor::clear() { *this = EtaMonitor(); }

void EtaMonitor::load(const tracking::RouteView& view,
                      const std::unordered_map<core::ShipmentId, domain::TimeWindow>& promised) {
  std::vector<core::StopId> ids;
  for (const auto& s : view.route.stops) ids.push_back(s.id);
  if (route_ && *route_ == view.route.id && ids == stop_ids_ && eta_) return;
  clear();
  route_ = view.route.id;
  stop_ids_ = std::move(ids);
  std::vector<eta::StopPlan> plans;
  for (const auto& s : view.route.stops) {
    eta::StopPlan p;
    p.id = s.id;
    p.location = s.location;
    p.planned_service_s = s.service_s;
    p.window = stop_window(s, promised);
    if (s.location) p.place = eta::place_key(*s.location);
    plans.push_back(std::move(p));
  }
  const size_t n = plans.size();
  eta_.emplace(view.route.depot, std::move(plans));
  pushed_.assign(n, std::nullopt);
  stored_.assign(n, std::nullopt);
  announced_.assign(n, std::nullopt);
  late_.assign(n, {});
}

void EtaMonitor::on_position(const tracking::RouteView& view, const ingest::Ping& ping, const Device& device,
                             const EtaOptions& options, core::Timestamp now, bool near_site, TrackerOutput& out) {
  if (!options.legs || !eta_ || !route_ || view.route.id != *route_) return;
  if (last_ms_ && ping.t.ms - *last_ms_ < options.min_interval_ms) return;
  last_ms_ = ping.t.ms;

  std::vector<size_t> open = tracking::open_stops(view);
  std::optional<core::Timestamp> at_stop_since;
  for (size_t k = 0; k < open.size(); ++k) {
    const auto& s = view.route.stops[open[k]];
    if (s.arrived_at && !s.departed_at) {  // the driver is there: it comes first
      at_stop_since = s.arrived_at;
      std::rotate(open.begin(), open.begin() + static_cast<std::ptrdiff_t>(k), open.begin() + static_cast<std::ptrdiff_t>(k) + 1);
      break;
    }
  }
  const auto model = options.models ? options.models->get(device.tenant) : std::make_shared<const eta::Corrections>();
  const auto breaks = breaks_ahead(view, open.size());
  eta::RouteEstimate est = eta_->estimate(ping.position, ping.t, open, at_stop_since, device.driver, *options.legs,
                                          *model, options.params, breaks);

  std::optional<ProgressWrite> write;
  auto writer = [&]() -> ProgressWrite& {
    if (!write) write = ProgressWrite{device.tenant, std::nullopt, {}, std::nullopt, {}, {}};
    return *write;
  };
  bool push_staff = false;
  for (const auto& e : est.stops) {
    const auto& stop = view.route.stops[e.stop];
    if (moved(stored_[e.stop], e.arrival, options.store_change_s)) {
      stored_[e.stop] = e.arrival;
      writer().etas.push_back({stop.id, e.arrival, e.earliest, e.latest});
    }
    if (moved(pushed_[e.stop], e.arrival, options.push_change_s)) {
      pushed_[e.stop] = e.arrival;
      push_staff = true;
      std::vector<core::ShipmentId> audience;
      for (const auto& id : stop.shipment_ids)
        if (open_shipment(view, id)) audience.push_back(id);
      if (!audience.empty()) out.live.push_back(stop_eta_update(device, view.route.id, e, std::move(audience)));
    }
    if (!e.at_stop) announce_change(view, stop, e, device, options, ping, now, announced_[e.stop], writer);
    const auto& window = eta_->stops()[e.stop].window;
    if (!window || e.at_stop) continue;
    const auto change = eta::update_late_risk(late_[e.stop], e.arrival, *window, options.late_risk);
    if (change == eta::LateRiskChange::kNone) continue;
    const bool raised = change == eta::LateRiskChange::kRaised;
    if (raised) ++out.exceptions;
    const double late_by = (e.arrival.ms - window->end.ms) / 1000.0;
    for (const auto& id : stop.shipment_ids) {
      if (!open_shipment(view, id)) continue;
      json::object payload{{"route_id", view.route.id.str()},
                           {"stop_id", stop.id.str()},
                           {"predicted_arrival", core::format_iso8601(e.arrival)},
                           {"window_end", core::format_iso8601(window->end)},
                           {"late_by_s", std::round(late_by)}};
      writer().events.emplace_back(make_event(device, id, raised ? "late_risk" : "late_risk_cleared", ping.t, now,
                                              ping.position, std::move(payload)),
                                   domain::Milestone::kCreated);
    }
    out.live.push_back(late_risk_update(device, view.route.id, stop.id, raised, e.arrival, window->end));
  }
  if (push_staff) out.live.push_back(route_eta_update(device, view.route.id, est, stop_ids_));
  detect_off_route(view, ping, device, options, now, near_site, open, out);
  if (write) {
    write->eta_route = view.route.id;
    out.writes.push_back(std::move(*write));
  }
  last_ = std::move(est);
}

void EtaMonitor::detect_off_route(const tracking::RouteView& view, const ingest::Ping& ping, const Device& device,
                                  const EtaOptions& options, core::Timestamp now, bool near_site,
                                  std::span<const size_t> open, TrackerOutput& out) {
  if (!view.depot_departed || open.empty() || near_site) return;
  const auto& next = view.route.stops[open.front()];
  if (!next.location || (next.arrived_at && !next.departed_at)) return;
  // The leg being driven: from the stop left last (or the depot) to the next open stop.
  std::optional<size_t> from;
  for (size_t i = 0; i < view.route.stops.size(); ++i) {
    const auto& s = view.route.stops[i];
    if (s.departed_at && s.location && (!from || *s.departed_at > *view.route.stops[*from].departed_at)) from = i;
  }
  const std::pair<int64_t, size_t> leg{from ? static_cast<int64_t>(*from) : -1, open.front()};
  auto emit = [&](std::string type, double distance_m) {
    json::object payload{{"route_id", view.route.id.str()},
                         {"distance_m", std::round(distance_m)},
                         {"since", off_.away_since ? json::value(core::format_iso8601(*off_.away_since))
                                                   : json::value(nullptr)}};
    ProgressWrite w{device.tenant, std::nullopt, {}, std::nullopt, {}, {}};
    for (size_t i : open)  // the stops still ahead: their customers wait on this drive
      for (const auto& id : view.route.stops[i].shipment_ids)
        if (open_shipment(view, id))
          w.events.emplace_back(make_event(device, id, type, ping.t, now, ping.position, payload),
                                domain::Milestone::kCreated);
    out.live.push_back(off_route_update(device, view.route.id, type == "off_route", distance_m, ping));
    if (!w.events.empty()) out.writes.push_back(std::move(w));
  };
  if (leg_ != leg) {
    if (off_.raised) emit("back_on_route", 0);
    off_ = {};
    leg_ = leg;
  }
  const eta::Leg& planned = eta_->planned_leg(from, open.front(), *options.legs);
  if (!planned.road_network) return;  // a straight line is no path to stay on
  const double d = eta::distance_to_path_m(ping.position, planned.path);
  const double accuracy = ping.accuracy_m.value_or(0);
  const eta::OffRouteState before = off_;
  const auto change = eta::update_off_route(off_, d, accuracy, ping.t, options.off_route);
  if (change == eta::OffRouteChange::kOffRoute) {
    ++out.exceptions;
    emit("off_route", off_.max_distance_m);
  } else if (change == eta::OffRouteChange::kBackOnRoute) {
    const eta::OffRouteState after = off_;
    off_ = before;  // the payload names the run that ended
    emit("back_on_route", d);
    off_ = after;
  }
}

}  // namespace lastmile::pipeline
