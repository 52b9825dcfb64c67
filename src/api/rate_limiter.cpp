#include "api/rate_limiter.hpp"

#include <algorithm>
#include <functional>

namespace lastmile::api {

RateLimiter::Bucket& RateLimiter::bucket(Shard& s, std::string_view key, int64_t now_ms) {
  auto it = s.buckets.find(std::string(key));
  if (it == s.buckets.end()) {
    make_room(s, now_ms);
    it = s.buckets.emplace(std::string(key), Bucket{params_.burst, now_ms}).first;
  }
  Bucket& b = it->second;
  if (now_ms > b.at_ms) {
    b.tokens = std::min(params_.burst, b.tokens + (now_ms - b.at_ms) / 1000.0 * params_.per_s);
    b.at_ms = now_ms;
  }
  return b;
}

void RateLimiter::make_room(Shard& s, int64_t now_ms) {
  const size_t cap = std::max<size_t>(1, params_.max_keys / shards_.size());
  if (s.buckets.size() < cap) return;
  std::erase_if(s.buckets, [&](const auto& kv) {
    const Bucket& b = kv.second;
    return b.tokens + std::max<int64_t>(0, now_ms - b.at_ms) / 1000.0 * params_.per_s >= params_.burst;
  });
  if (s.buckets.size() >= cap) s.buckets.clear();
}

std::optional<double> RateLimiter::use(std::string_view key, int64_t now_ms, bool consume) {
  if (!enabled()) return std::nullopt;
  Shard& s = shards_[std::hash<std::string_view>{}(key) % shards_.size()];
  std::lock_guard lock(s.mu);
  if (!consume && !s.buckets.contains(std::string(key))) return std::nullopt;  // a new bucket is full
  Bucket& b = bucket(s, key, now_ms);
  if (b.tokens >= 1.0) {
    if (consume) b.tokens -= 1.0;
    return std::nullopt;
  }
  return (1.0 - b.tokens) / params_.per_s;
}

std::optional<double> RateLimiter::take(std::string_view key, int64_t now_ms) { return use(key, now_ms, true); }
std::optional<double> RateLimiter::check(std::string_view key, int64_t now_ms) { return use(key, now_ms, false); }

size_t RateLimiter::size() {
  size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

}  // namespace lastmile::api
