#include "tracking/geofence.hpp"

#include <algorithm>
#include <stdexcept>

namespace lastmile::tracking {
namespace {

using Phase = SiteTrack::Phase;

bool imprecise(const ingest::Ping& p, const GeofenceParams& params) {
  return p.accuracy_m && *p.accuracy_m > params.max_accuracy_m;
}

void begin_stay(SiteTrack& s, const ingest::Ping& p, Phase phase) {
  s.phase = phase;
  s.stay_since = p.t;
  s.stay_at = p.position;
}

// Ends the stay at `p`; the depot's departure is emitted once per state.
void depart(SiteTrack& s, const GeofenceSite& site, size_t index, const ingest::Ping& p,
            std::vector<GeofenceEvent>& out) {
  s.phase = Phase::kOutside;
  if (site.kind == SiteKind::kDepot && s.departed) return;
  s.departed = true;
  out.push_back({GeofenceEventKind::kDeparture, index, p.t, p.position});
}

// Moves one site's track by one good fix.
void step(SiteTrack& s, const GeofenceSite& site, size_t index, const ingest::Ping& p,
          const GeofenceParams& params, std::vector<GeofenceEvent>& out) {
  const double d = core::haversine_m(site.center, p.position);
  const bool inside = d <= site.radius_m;
  const bool beyond = d > site.radius_m + params.exit_margin_m;

  if (s.phase == Phase::kUnknown) {
    if (site.kind == SiteKind::kDepot) {  // the driver starts at the depot, or has already left it
      if (beyond) {
        depart(s, site, index, p, out);
      } else {
        begin_stay(s, p, Phase::kArrived);
      }
      return;
    }
    s.phase = Phase::kOutside;
  }

  switch (s.phase) {
    case Phase::kOutside:
      if (inside) begin_stay(s, p, Phase::kStaying);
      break;
    case Phase::kStaying:
      if (beyond) s.phase = Phase::kOutside;
      break;
    case Phase::kArrived:
      if (beyond) depart(s, site, index, p, out);
      return;
    case Phase::kUnknown:
      return;
  }
  if (s.phase == Phase::kStaying && inside && p.t.ms - s.stay_since.ms >= params.dwell_ms) {
    s.phase = Phase::kArrived;
    out.push_back({GeofenceEventKind::kArrival, index, s.stay_since, s.stay_at});
  }
}

}  // namespace

std::string_view geofence_event_kind_name(GeofenceEventKind k) {
  switch (k) {
    case GeofenceEventKind::kArrival:
      return "arrival";
    case GeofenceEventKind::kDeparture:
      return "departure";
  }
  return "arrival";
}

std::vector<GeofenceEvent> update_geofence(GeofenceState& state, std::span<const GeofenceSite> sites,
                                           const ingest::Ping& ping, const GeofenceParams& params) {
  if (!state.started) {
    state.sites.assign(sites.size(), SiteTrack{});
  } else if (state.sites.size() != sites.size()) {
    throw std::invalid_argument("update_geofence: the sites changed during the life of a GeofenceState");
  }
  if (state.started && ping.t <= state.last_t) return {};  // late, out of order or duplicate
  state.started = true;
  state.last_t = ping.t;
  if (imprecise(ping, params)) return {};

  std::vector<GeofenceEvent> events;
  for (size_t i = 0; i < sites.size(); ++i) step(state.sites[i], sites[i], i, ping, params, events);
  std::stable_sort(events.begin(), events.end(), [](const GeofenceEvent& a, const GeofenceEvent& b) {
    const bool a_first = a.kind == GeofenceEventKind::kDeparture;
    const bool b_first = b.kind == GeofenceEventKind::kDeparture;
    return a.at != b.at ? a.at < b.at : a_first && !b_first;
  });
  return events;
}

bool arrived_at(const GeofenceState& state, size_t site) {
  return site < state.sites.size() && state.sites[site].phase == Phase::kArrived;
}

bool near_any_site(const GeofenceState& state) {
  return std::any_of(state.sites.begin(), state.sites.end(), [](const SiteTrack& s) {
    return s.phase == Phase::kStaying || s.phase == Phase::kArrived;
  });
}

}  // namespace lastmile::tracking
