#pragma once
// The analytics aggregator (docs/analytics.md): a background thread that folds new events of the
// log into delivery facts and daily rollups (storage/analytics_store.hpp), batch by batch, once at
// start and then every `interval`, until it has caught up. Each batch moves the stored cursor in
// the same transaction as its rollups, so a crash (even kill -9) neither loses nor double-counts.
//
// Threading: owns one thread; the destructor stops it (waiting for at most one batch).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "core/error.hpp"
#include "pipeline/periodic_job.hpp"
#include "storage/analytics_store.hpp"

namespace lastmile::pipeline {

struct AnalyticsWorkerOptions {
  std::chrono::milliseconds interval{1000};
  int batch = 500;                               // events per transaction
  std::function<void(int64_t folded)> on_folded;  // after each pass that folded events
};

class AnalyticsWorker {
 public:
  // `store` must outlive the worker. A null store (a backend without analytics) runs nothing.
  AnalyticsWorker(storage::AnalyticsStore* store, AnalyticsWorkerOptions options);
  ~AnalyticsWorker();
  AnalyticsWorker(const AnalyticsWorker&) = delete;
  AnalyticsWorker& operator=(const AnalyticsWorker&) = delete;

  // Folds batches on the caller's thread until caught up (or `stopping` is set). Returns how many
  // events were folded; the first failing batch's error (nothing of that batch is kept).
  core::Result<int64_t> catch_up(const std::atomic<bool>* stopping = nullptr);

 private:
  storage::AnalyticsStore* store_;
  AnalyticsWorkerOptions options_;
  std::unique_ptr<PeriodicJob> job_;  // last: its thread uses the members above
};

}  // namespace lastmile::pipeline
