#include "api/track_cache.hpp"

namespace lastmile::api {

uint64_t TrackViewCache::begin_read() const {
  std::lock_guard lock(mu_);
  return generation_;
}

std::optional<std::string> TrackViewCache::get(std::string_view token, core::Timestamp now) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(token));
  if (it == entries_.end() || it->second.expires_ms <= now.ms) return std::nullopt;
  return it->second.body;
}

void TrackViewCache::put(std::string_view token, std::string body, core::Timestamp now, uint64_t generation) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (entries_.size() >= max_entries_) entries_.clear();  // simple bound; views are cheap to rebuild
  entries_.insert_or_assign(std::string(token), Entry{std::move(body), now.ms + ttl_ms_});
}

void TrackViewCache::invalidate_all() {
  std::lock_guard lock(mu_);
  ++generation_;
  entries_.clear();
}

size_t TrackViewCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace lastmile::api
