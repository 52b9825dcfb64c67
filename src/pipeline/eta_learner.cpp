#include "pipeline/eta_learner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lastmile::pipeline {

EtaHistory history_from_visits(const std::vector<storage::StopVisitRecord>& visits, const eta::LegSource& legs,
                               int utc_offset_s) {
  EtaHistory h;
  size_t i = 0;
  while (i < visits.size()) {
    size_t j = i;
    while (j < visits.size() && visits[j].route_id == visits[i].route_id) ++j;
    // One route: in the order the driver really went (arrival times), not the planned one.
    std::vector<const storage::StopVisitRecord*> route;
    for (size_t k = i; k < j; ++k) route.push_back(&visits[k]);
    std::sort(route.begin(), route.end(), [](const auto* a, const auto* b) { return a->arrived_at < b->arrived_at; });
    for (size_t k = 0; k < route.size(); ++k) {
      const auto& v = *route[k];
      if (v.location && v.departed_at > v.arrived_at)
        h.services.push_back({v.driver_id, eta::place_key(*v.location), static_cast<double>(v.service_s),
                              (v.departed_at.ms - v.arrived_at.ms) / 1000.0});
      if (k == 0) continue;
      const auto& prev = *route[k - 1];
      if (!prev.location || !v.location || v.arrived_at <= prev.departed_at) continue;
      const eta::Leg leg = legs.leg(*prev.location, *v.location);
      eta::LegObservation o;
      o.driver = v.driver_id;
      o.hour_of_week = eta::hour_of_week(prev.departed_at, utc_offset_s);
      o.predicted = leg.class_s;
      o.actual_s = (v.arrived_at.ms - prev.departed_at.ms) / 1000.0;
      h.legs.push_back(std::move(o));
    }
    i = j;
  }
  return h;
}

EtaLearner::EtaLearner(storage::Store& store, const core::Clock& clock, const eta::LegSource& legs,
                       eta::ModelRegistry& models, EtaLearnerOptions options)
    : store_(store), clock_(clock), legs_(legs), models_(models), options_(std::move(options)) {
  if (options_.background)
    job_ = std::make_unique<PeriodicJob>(options_.interval,
                                         [this](const std::atomic<bool>& stopping) { learn_all(&stopping); });
}

EtaLearner::~EtaLearner() = default;

core::Result<std::shared_ptr<const eta::Corrections>> EtaLearner::learn_tenant(const core::TenantId& tenant) {
  const core::Timestamp since{clock_.now().ms - int64_t{options_.history_days} * 24 * 3600 * 1000};
  auto visits = store_.list_stop_visits(tenant, since, options_.max_visits);
  if (!visits) return visits.error();
  const EtaHistory h = history_from_visits(*visits, legs_, options_.utc_offset_s);
  auto model = std::make_shared<const eta::Corrections>(eta::learn(h.legs, h.services, options_.learn));
  models_.put(tenant, model);
  return model;
}

void EtaLearner::learn_all(const std::atomic<bool>* stopping) {
  storage::PageRequest page;
  page.limit = 200;
  for (int pages = 0; pages < 1000; ++pages) {
    auto tenants = store_.list_tenants(page);
    if (!tenants) {
      spdlog::warn("eta learning: cannot list tenants: {}", tenants.error().message);
      return;
    }
    for (const auto& t : tenants->items) {
      if (stopping && stopping->load()) return;
      auto model = learn_tenant(t.id);
      if (!model) spdlog::warn("eta learning failed for a tenant: {}", model.error().message);
      else if ((*model)->learned())
        spdlog::info("eta model learned for tenant {}: {} legs, {} stops", t.id.str(), (*model)->legs(),
                     (*model)->services());
    }
    if (!tenants->next_before) break;
    page.before_seq = tenants->next_before;
  }
}

}  // namespace lastmile::pipeline
