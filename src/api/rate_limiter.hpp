#pragma once
// Token buckets keyed by a string (a credential id, a client address): `burst` tokens, refilled at
// `per_s` a second. A request takes one token; an empty bucket answers how long until the next one
// (the Retry-After of a 429). Pure apart from its mutexes: time is passed in.
//
// Memory is bounded: each of the 16 shards keeps at most max_keys / 16 buckets; when a shard is
// full, buckets that refilled completely (indistinguishable from new ones) are dropped first, then
// the shard is cleared — a flood of distinct keys can reset limits, never exhaust memory.
//
// Threading: every method may be called from any thread (one mutex per shard, held briefly).

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lastmile::api {

struct RateParams {
  double per_s = 0;   // refill rate; 0 disables the limiter (every take succeeds)
  double burst = 1;   // bucket size: requests allowed at once after a quiet period
  size_t max_keys = 100'000;
};

class RateLimiter {
 public:
  explicit RateLimiter(RateParams params) : params_(params) {}

  bool enabled() const { return params_.per_s > 0; }
  // Takes one token for `key` at `now_ms`. nullopt: allowed; otherwise the seconds (> 0) until a
  // token is available again (nothing was taken).
  std::optional<double> take(std::string_view key, int64_t now_ms);
  // The same test without taking: nullopt when a token is available.
  std::optional<double> check(std::string_view key, int64_t now_ms);
  size_t size();  // buckets held (tests, metrics)

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at_ms = 0;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;  // GUARDED_BY(mu)
  };
  std::optional<double> use(std::string_view key, int64_t now_ms, bool consume);
  Bucket& bucket(Shard& s, std::string_view key, int64_t now_ms);  // REQUIRES: s.mu held
  void make_room(Shard& s, int64_t now_ms);                         // REQUIRES: s.mu held

  const RateParams params_;
  std::array<Shard, 16> shards_;
};

// The limits the router applies (docs/api.md, "Rate limits"):
//  - per_credential: every authenticated request, keyed by the API key or device token id;
//  - per_address: every request to a public route (tracking pages, tracking-token APIs, sign-in),
//    keyed by the client address;
//  - failures: failed credential or token lookups (401, an unknown tracking token or sign-in code)
//    per client address; while its bucket is empty, that address gets 429 before any lookup, so
//    tokens and keys cannot be guessed at speed.
struct RateLimits {
  RateLimiter per_credential;
  RateLimiter per_address;
  RateLimiter failures;
};

// A lookup from `peer` failed (unknown or wrong credential, token, code or device): takes a token
// from its failures bucket. Nothing without limits or without an address.
inline void count_failed_lookup(RateLimits* limits, std::string_view peer, int64_t now_ms) {
  if (limits && !peer.empty()) (void)limits->failures.take(peer, now_ms);
}

}  // namespace lastmile::api
