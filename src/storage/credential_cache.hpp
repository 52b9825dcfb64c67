#pragma once
// A short-lived cache of credentials by prefix, so that authenticating a request (every API call,
// every tracker ping) does not cost a database read each time. The secret is still checked on every
// request (core::secret_matches); only the row is cached.
//
// Revocation: the store calls invalidate() after committing a change to credentials; a lookup that
// read the database before such a change never stores its (stale) row afterwards (a generation
// counter). Changes made by another process on the same database (a second node) are seen after at
// most kTtl.
//
// Threading: every method may be called from any thread.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/entities.hpp"

namespace lastmile::storage {

class CredentialCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kTtl{5};
  static constexpr size_t kMaxEntries = 100'000;  // emptied when full

  // The cached row for `prefix` when fresh.
  std::optional<domain::Credential> find(std::string_view prefix, Clock::time_point now);
  // The generation to pass to put() for a database read that starts now.
  uint64_t generation();
  // Stores the row read under `generation` unless credentials changed since.
  void put(const domain::Credential& credential, uint64_t generation, Clock::time_point now);
  // Forgets every row (after a committed change to credentials).
  void invalidate();

 private:
  struct Entry {
    domain::Credential credential;
    Clock::time_point expires;
  };
  std::mutex mu_;
  uint64_t generation_ = 0;                          // GUARDED_BY(mu_)
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
};

}  // namespace lastmile::storage
