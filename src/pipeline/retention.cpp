#include "pipeline/retention.hpp"

#include <spdlog/spdlog.h>

namespace lastmile::pipeline {

Retention::Retention(storage::Store& store, const core::Clock& clock, RetentionOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  if (options_.keep_days > 0) thread_ = std::thread([this] { run(); });
}

Retention::~Retention() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

core::Result<int64_t> Retention::purge_once() {
  const core::Timestamp cutoff{clock_.now().ms - int64_t{options_.keep_days} * 24 * 3600 * 1000};
  int64_t total = 0;
  for (;;) {
    auto n = store_.delete_track_points_before(cutoff, options_.chunk);
    if (!n) return n.error();
    total += *n;
    if (*n < options_.chunk) break;
    std::lock_guard lock(mu_);
    if (stopping_) break;
  }
  if (total > 0 && options_.on_purged) options_.on_purged(total);
  return total;
}

void Retention::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto n = purge_once();
    if (!n) spdlog::warn("track point retention failed: {}", n.error().message);
    else if (*n > 0) spdlog::info("retention: deleted {} track points older than {} days", *n, options_.keep_days);
    lock.lock();
    cv_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

}  // namespace lastmile::pipeline
