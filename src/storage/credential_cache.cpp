#include "storage/credential_cache.hpp"

namespace lastmile::storage {

std::optional<domain::Credential> CredentialCache::find(std::string_view prefix, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(prefix));
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.credential;
}

uint64_t CredentialCache::generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

void CredentialCache::put(const domain::Credential& credential, uint64_t generation, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(credential.prefix, Entry{credential, now + kTtl});
}

void CredentialCache::invalidate() {
  std::lock_guard lock(mu_);
  ++generation_;
  entries_.clear();
}

}  // namespace lastmile::storage
