#include "pipeline/analytics_worker.hpp"

#include <spdlog/spdlog.h>

namespace lastmile::pipeline {

AnalyticsWorker::AnalyticsWorker(storage::AnalyticsStore* store, AnalyticsWorkerOptions options)
    : store_(store), options_(std::move(options)) {
  if (!store_) return;
  job_ = std::make_unique<PeriodicJob>(options_.interval, [this](const std::atomic<bool>& stopping) {
    auto folded = catch_up(&stopping);
    if (!folded) {
      spdlog::warn("analytics: aggregation failed: {}", folded.error().message);
      return;
    }
    if (*folded > 0 && options_.on_folded) options_.on_folded(*folded);
  });
}

AnalyticsWorker::~AnalyticsWorker() { job_.reset(); }

core::Result<int64_t> AnalyticsWorker::catch_up(const std::atomic<bool>* stopping) {
  int64_t total = 0;
  if (!store_) return total;
  while (!stopping || !stopping->load()) {
    auto n = store_->aggregate_events(options_.batch);
    if (!n) return n.error();
    total += *n;
    if (*n < options_.batch) break;
  }
  return total;
}

}  // namespace lastmile::pipeline
