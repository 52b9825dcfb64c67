#include "tracking/route_progress.hpp"

#include <algorithm>

namespace lastmile::tracking {
namespace {

using domain::Milestone;

bool finished(Milestone m) { return domain::is_terminal(m) || m == Milestone::kAttemptFailed; }

Milestone status_of(const RouteView& v, const core::ShipmentId& id) {
  auto it = v.status.find(id);
  return it == v.status.end() ? Milestone::kCreated : it->second;
}

bool stop_open(const RouteView& v, const domain::Stop& s) {
  if (s.departed_at) return false;
  if (s.status == domain::StopStatus::kCompleted || s.status == domain::StopStatus::kFailed ||
      s.status == domain::StopStatus::kSkipped)
    return false;
  for (const auto& id : s.shipment_ids)
    if (!finished(status_of(v, id))) return true;
  return false;
}

// Moves `id` to `to` when the state machine allows it, recording the change.
void change(RouteView& v, Progress& p, const core::ShipmentId& id, Milestone to, const domain::Stop* stop) {
  const Milestone from = status_of(v, id);
  if (!domain::transition_allowed(from, to)) return;
  p.changes.push_back({id, std::string(domain::milestone_name(to)), to, from,
                       stop ? std::optional<core::StopId>(stop->id) : std::nullopt});
  v.status[id] = to;
}

void note(Progress& p, const core::ShipmentId& id, std::string type, const domain::Stop& stop) {
  p.changes.push_back({id, std::move(type), std::nullopt, Milestone::kCreated, stop.id});
}

// The next stop's shipments that are out for delivery become arriving.
void announce_next(RouteView& v, Progress& p) {
  if (!v.arriving) return;
  auto next = next_stop(v);
  if (!next) return;
  const auto& stop = v.route.stops[*next];
  for (const auto& id : stop.shipment_ids)
    if (status_of(v, id) == Milestone::kOutForDelivery) change(v, p, id, Milestone::kArriving, &stop);
}

}  // namespace

std::vector<size_t> open_stops(const RouteView& view) {
  std::vector<size_t> out;
  for (size_t i = 0; i < view.route.stops.size(); ++i)
    if (stop_open(view, view.route.stops[i])) out.push_back(i);
  std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) {
    return view.route.stops[a].sequence < view.route.stops[b].sequence;
  });
  return out;
}

std::optional<size_t> next_stop(const RouteView& view) {
  std::optional<size_t> best;
  for (size_t i = 0; i < view.route.stops.size(); ++i) {
    const auto& s = view.route.stops[i];
    if (!stop_open(view, s)) continue;
    if (!best || s.sequence < view.route.stops[*best].sequence) best = i;
  }
  return best;
}

Progress on_depot_departure(RouteView& view) {
  Progress p;
  if (view.depot_departed) return p;
  view.depot_departed = true;
  if (view.trigger == domain::OutForDeliveryTrigger::kDepotDeparture) {
    for (const auto& stop : view.route.stops)
      for (const auto& id : stop.shipment_ids) change(view, p, id, Milestone::kOutForDelivery, nullptr);
  }
  announce_next(view, p);
  return p;
}

Progress on_stop_arrival(RouteView& view, size_t stop_index, core::Timestamp at) {
  Progress p;
  if (stop_index >= view.route.stops.size()) return p;
  auto& stop = view.route.stops[stop_index];
  if (stop.arrived_at && !stop.departed_at) return p;  // already there
  stop.arrived_at = at;
  stop.departed_at.reset();
  StopChange sc{stop_index, at, std::nullopt, std::nullopt};
  if (stop.status == domain::StopStatus::kPending) {
    stop.status = domain::StopStatus::kArrived;
    sc.status = stop.status;
  }
  p.stop = sc;
  for (const auto& id : stop.shipment_ids) {
    if (finished(status_of(view, id))) continue;
    note(p, id, "driver_arrived", stop);
    if (view.arriving && status_of(view, id) == Milestone::kOutForDelivery)
      change(view, p, id, Milestone::kArriving, &stop);
  }
  return p;
}

Progress on_stop_departure(RouteView& view, size_t stop_index, core::Timestamp at) {
  Progress p;
  if (stop_index >= view.route.stops.size()) return p;
  auto& stop = view.route.stops[stop_index];
  if (!stop.arrived_at || stop.departed_at) return p;
  stop.departed_at = at;
  StopChange sc{stop_index, std::nullopt, at, std::nullopt};
  bool all_finished = true;
  for (const auto& id : stop.shipment_ids) {
    if (!finished(status_of(view, id))) {
      all_finished = false;
      note(p, id, "driver_departed", stop);
    }
  }
  if (all_finished && stop.status != domain::StopStatus::kCompleted) {
    stop.status = domain::StopStatus::kCompleted;
    sc.status = stop.status;
  }
  p.stop = sc;
  announce_next(view, p);
  return p;
}

Progress on_shipment_status(RouteView& view, const core::ShipmentId& shipment, Milestone status) {
  Progress p;
  auto it = view.status.find(shipment);
  if (it == view.status.end()) return p;
  it->second = status;
  if (!finished(status)) return p;
  for (size_t i = 0; i < view.route.stops.size(); ++i) {
    auto& stop = view.route.stops[i];
    const auto& ids = stop.shipment_ids;
    if (std::find(ids.begin(), ids.end(), shipment) == ids.end()) continue;
    if (!stop.departed_at || stop.status == domain::StopStatus::kCompleted) continue;
    if (!std::all_of(ids.begin(), ids.end(), [&](const auto& id) { return finished(status_of(view, id)); })) continue;
    stop.status = domain::StopStatus::kCompleted;
    p.stop = StopChange{i, std::nullopt, std::nullopt, stop.status};
  }
  return p;
}

std::vector<core::ShipmentId> position_audience(const RouteView& view) {
  std::vector<core::ShipmentId> out;
  if (view.show_driver_within_stops <= 0) return out;
  std::vector<const domain::Stop*> open;
  for (const auto& s : view.route.stops)
    if (stop_open(view, s)) open.push_back(&s);
  std::sort(open.begin(), open.end(), [](auto* a, auto* b) { return a->sequence < b->sequence; });
  const size_t n = std::min(open.size(), static_cast<size_t>(view.show_driver_within_stops));
  for (size_t i = 0; i < n; ++i)
    for (const auto& id : open[i]->shipment_ids) {
      const Milestone m = status_of(view, id);
      if (m == Milestone::kOutForDelivery || m == Milestone::kArriving) out.push_back(id);
    }
  return out;
}

std::optional<int> stops_before(const RouteView& view, const core::ShipmentId& shipment) {
  const domain::Stop* own = nullptr;
  for (const auto& s : view.route.stops)
    for (const auto& id : s.shipment_ids)
      if (id == shipment) own = &s;
  if (!own || !stop_open(view, *own)) return std::nullopt;
  int before = 0;
  for (const auto& s : view.route.stops)
    if (s.sequence < own->sequence && stop_open(view, s)) ++before;
  return before;
}

bool may_see_position(const RouteView& view, const core::ShipmentId& shipment) {
  for (const auto& id : position_audience(view))
    if (id == shipment) return true;
  return false;
}

}  // namespace lastmile::tracking
