#pragma once
// Learns each tenant's ETA model (eta/corrections.hpp) from its stored history: the stops drivers
// arrived at and left (the geofence's times) over the last `history_days`. Consecutive visits of
// a route give a leg (free-flow estimate from the LegSource vs the real drive from departure to
// arrival) and each visit a service time. The result replaces the tenant's model in the registry.
// Runs once at start and then every `interval` on its own thread.
//
// Threading: owns one thread; the destructor stops it (waiting for the tenant being learned).

#include <atomic>
#include <chrono>
#include <memory>

#include "core/time.hpp"
#include "eta/corrections.hpp"
#include "eta/legs.hpp"
#include "eta/model_registry.hpp"
#include "pipeline/periodic_job.hpp"
#include "storage/store.hpp"

namespace lastmile::pipeline {

struct EtaLearnerOptions {
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  int history_days = 28;
  int max_visits = 20'000;  // per tenant and run (the most recent routes win when there are more)
  int utc_offset_s = 0;
  eta::LearnOptions learn;
  bool background = true;   // false: no thread (tests call learn_tenant)
};

// The observations of a list of visits (ordered by route, then visit order), as learn() takes them.
struct EtaHistory {
  std::vector<eta::LegObservation> legs;
  std::vector<eta::ServiceObservation> services;
};
EtaHistory history_from_visits(const std::vector<storage::StopVisitRecord>& visits, const eta::LegSource& legs,
                               int utc_offset_s);

class EtaLearner {
 public:
  EtaLearner(storage::Store& store, const core::Clock& clock, const eta::LegSource& legs,
             eta::ModelRegistry& models, EtaLearnerOptions options);
  ~EtaLearner();
  EtaLearner(const EtaLearner&) = delete;
  EtaLearner& operator=(const EtaLearner&) = delete;

  // Learns one tenant's model now and installs it. Returns it, or the store's error.
  core::Result<std::shared_ptr<const eta::Corrections>> learn_tenant(const core::TenantId& tenant);
  // Every tenant (stopping between tenants when `stopping` is set); errors are logged and the
  // tenant keeps its previous model.
  void learn_all(const std::atomic<bool>* stopping = nullptr);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  const eta::LegSource& legs_;
  eta::ModelRegistry& models_;
  EtaLearnerOptions options_;
  std::unique_ptr<PeriodicJob> job_;  // last: stopped first
};

}  // namespace lastmile::pipeline
