#include "pipeline/retention.hpp"

#include <spdlog/spdlog.h>

namespace lastmile::pipeline {

Retention::Retention(storage::Store& store, const core::Clock& clock, RetentionOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  if (options_.keep_days <= 0) return;
  job_ = std::make_unique<PeriodicJob>(options_.interval, [this](const std::atomic<bool>& stopping) {
    auto n = purge_once(&stopping);
    if (!n) spdlog::warn("track point retention failed: {}", n.error().message);
    else if (*n > 0) spdlog::info("retention: deleted {} track points older than {} days", *n, options_.keep_days);
  });
}

Retention::~Retention() = default;

core::Result<int64_t> Retention::purge_once(const std::atomic<bool>* stopping) {
  const core::Timestamp cutoff{clock_.now().ms - int64_t{options_.keep_days} * 24 * 3600 * 1000};
  int64_t total = 0;
  for (;;) {
    auto n = store_.delete_track_points_before(cutoff, options_.chunk);
    if (!n) return n.error();
    total += *n;
    if (*n < options_.chunk) break;
    if (stopping && stopping->load()) break;
  }
  if (total > 0 && options_.on_purged) options_.on_purged(total);
  return total;
}

}  // namespace lastmile::pipeline
