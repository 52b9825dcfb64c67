#pragma once
// Retention of raw track points: a background thread deletes points whose fix time is older than
// `keep_days`, in bounded chunks (so the writer is never held for long), once at start and then
// every `interval`. keep_days = 0 keeps everything (no thread).
//
// Threading: owns one thread; the destructor stops it (waiting for at most one chunk).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "core/time.hpp"
#include "pipeline/periodic_job.hpp"
#include "storage/store.hpp"

namespace lastmile::pipeline {

struct RetentionOptions {
  int keep_days = 90;
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  int chunk = 10'000;
  std::function<void(int64_t deleted)> on_purged;  // called after each pass that deleted points
};

class Retention {
 public:
  Retention(storage::Store& store, const core::Clock& clock, RetentionOptions options);
  ~Retention();
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  // One pass now, on the caller's thread: deletes every point older than the cutoff (stopping
  // between chunks when `stopping` is set). Returns how many, or the store's error.
  core::Result<int64_t> purge_once(const std::atomic<bool>* stopping = nullptr);

 private:
  storage::Store& store_;
  const core::Clock& clock_;
  RetentionOptions options_;
  std::unique_ptr<PeriodicJob> job_;  // last: stopped first
};

}  // namespace lastmile::pipeline
