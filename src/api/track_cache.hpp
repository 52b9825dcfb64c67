#pragma once
// Cache of rendered public tracking views (GET /v1/track/{token}), the hottest read of the product.
//
// Correctness rule: a view is a function of committed state. Every commit that writes events calls
// invalidate_all() synchronously (from the store's on_commit hook, before the writer's HTTP reply),
// so a client never reads a view older than a change it was told about. A reader that raced a
// commit does not store its (possibly stale) view: put() is refused when the generation moved
// since begin_read(). Writes that emit no event are bounded by the TTL (default 2 s).
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time.hpp"

namespace lastmile::api {

class TrackViewCache {
 public:
  TrackViewCache(size_t max_entries = 100'000, int64_t ttl_ms = 2'000)
      : max_entries_(max_entries), ttl_ms_(ttl_ms) {}

  // The generation to pass to put() for a view rendered from reads that start now.
  uint64_t begin_read() const;
  std::optional<std::string> get(std::string_view token, core::Timestamp now) const;
  // Stores `body` unless an invalidation happened since `generation` was read.
  void put(std::string_view token, std::string body, core::Timestamp now, uint64_t generation);
  void invalidate_all();
  size_t size() const;

 private:
  struct Entry {
    std::string body;
    int64_t expires_ms;
  };
  const size_t max_entries_;
  const int64_t ttl_ms_;
  mutable std::mutex mu_;
  uint64_t generation_ = 0;                         // GUARDED_BY(mu_)
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
};

}  // namespace lastmile::api
