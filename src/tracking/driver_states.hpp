#pragma once
// The filter state of every driver, in memory. Each driver's state has its own mutex, held for a
// whole batch (filter + durable write), so one driver's batches apply in order while different
// drivers proceed in parallel (and share group commits). A sharded, lock-free design replaces this
// when the ingest pipeline gets its shards (issue 3). Thread-safe.

#include <memory>
#include <mutex>
#include <unordered_map>

#include "tracking/ping_filter.hpp"

namespace lastmile::tracking {

class DriverStates {
 public:
  struct Entry {
    std::mutex mu;
    DriverTrackState state;  // GUARDED_BY(mu)
  };
  // The entry of `driver`, created empty on first use. The pointer stays valid for the process.
  std::shared_ptr<Entry> entry(const core::DriverId& driver);

 private:
  std::mutex mu_;
  std::unordered_map<core::DriverId, std::shared_ptr<Entry>> entries_;  // GUARDED_BY(mu_)
};

}  // namespace lastmile::tracking
