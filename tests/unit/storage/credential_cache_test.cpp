// The credential cache: fresh rows only, and never a row read before a revocation.
#include "storage/credential_cache.hpp"

#include <gtest/gtest.h>

namespace lastmile::storage {
namespace {

using namespace std::chrono_literals;

domain::Credential key(std::string prefix) {
  domain::Credential c;
  c.id = core::ApiKeyId("key_" + prefix);
  c.prefix = std::move(prefix);
  return c;
}

TEST(CredentialCache, ARowIsServedUntilItExpires) {
  CredentialCache cache;
  const auto t0 = CredentialCache::Clock::time_point{} + 1h;
  cache.put(key("lm_abc"), cache.generation(), t0);
  ASSERT_TRUE(cache.find("lm_abc", t0 + CredentialCache::kTtl - 1ms));
  EXPECT_EQ(cache.find("lm_abc", t0)->id.str(), "key_lm_abc");
  EXPECT_FALSE(cache.find("lm_abc", t0 + CredentialCache::kTtl));
  EXPECT_FALSE(cache.find("lm_other", t0));
}

TEST(CredentialCache, ARowReadBeforeAnInvalidationIsNotStored) {
  CredentialCache cache;
  const auto now = CredentialCache::Clock::time_point{} + 1h;
  const uint64_t before = cache.generation();  // a lookup starts reading the database…
  cache.invalidate();                          // …the key is revoked meanwhile…
  cache.put(key("lm_abc"), before, now);       // …and its stale row arrives: dropped
  EXPECT_FALSE(cache.find("lm_abc", now));
  cache.put(key("lm_abc"), cache.generation(), now);
  EXPECT_TRUE(cache.find("lm_abc", now));
  cache.invalidate();
  EXPECT_FALSE(cache.find("lm_abc", now));
}

}  // namespace
}  // namespace lastmile::storage
