// The device directory against a real SQLite store: which driver a tracker id is, the device-secret
// rule per tenant, and the caches that keep busy and unknown trackers off the database (counted
// through the store's own timing hook).
#include "pipeline/device_directory.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/crypto.hpp"
#include "storage/settings_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::pipeline {
namespace {

using core::ErrorCode;
using storage::testing::fails_with;

struct IssuedToken {
  domain::Credential credential;
  std::string token;
};

// A credential as api::issue_credential makes it: "lmd_<prefix>_<secret>", stored as its hash.
IssuedToken issue(const domain::Driver& d, std::string_view head = "lmd_",
                  domain::Role role = domain::Role::kDriver) {
  IssuedToken out;
  auto& c = out.credential;
  c.id = core::new_id<core::ApiKeyId>();
  c.tenant_id = d.tenant_id;
  c.role = role;
  c.name = "device";
  c.prefix = core::random_alnum(core::kCredentialPrefixLen);
  if (role == domain::Role::kDriver) c.driver_id = d.id;
  out.token = std::string(head) + c.prefix + "_" + core::random_token(32);
  c.secret_hash = core::sha256_hex(out.token);
  c.created_at = storage::testing::kT0;
  return out;
}

class DeviceDirectoryTest : public ::testing::Test {
 protected:
  DeviceDirectoryTest() : clock_(storage::testing::kT0) {
    storage::StoreOptions options;
    options.on_timing = [this](std::string_view op, double) {
      std::lock_guard lock(reads_mu_);
      ++reads_[std::string(op)];
    };
    store_ = storage::open_store("sqlite::memory:", std::move(options));
    directory_ = std::make_unique<DeviceDirectory>(*store_, clock_, DeviceDirectoryOptions{});
  }

  int reads(const std::string& op) {
    std::lock_guard lock(reads_mu_);
    return reads_[op];
  }

  core::TenantId add_tenant(bool require_secret = true) {
    auto t = storage::testing::make_tenant("Tenant " + core::random_alnum(8));
    t.require_device_secret = require_secret;
    EXPECT_TRUE(
        store_->create_tenant(t, storage::testing::make_credential(t.id, domain::Role::kTenantAdmin)).ok());
    return t.id;
  }

  // A driver with tracker id `device_id`; returns its device token.
  std::string add_driver(const core::TenantId& tenant, const std::string& device_id,
                         domain::Driver* out = nullptr) {
    auto d = storage::testing::make_driver(tenant, device_id);
    auto token = issue(d);
    EXPECT_TRUE(store_->create_driver(d, token.credential, nullptr).ok());
    if (out) *out = d;
    return token.token;
  }

  std::mutex reads_mu_;
  std::map<std::string, int> reads_;  // GUARDED_BY(reads_mu_)
  core::ManualClock clock_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<DeviceDirectory> directory_;
};

TEST_F(DeviceDirectoryTest, AKnownDeviceWithItsOwnTokenResolvesToItsDriver) {
  auto tenant = add_tenant();
  domain::Driver d;
  auto token = add_driver(tenant, "4711", &d);
  auto device = directory_->resolve("4711", token);
  ASSERT_TRUE(device.ok()) << device.error().message;
  EXPECT_EQ(device->tenant, tenant);
  EXPECT_EQ(device->driver, d.id);
}

TEST_F(DeviceDirectoryTest, UnknownEmptyAndOverlongIdsAreUnknownDevices) {
  add_driver(add_tenant(), "4711");
  for (std::string id :
       {std::string("4712"), std::string(), std::string(DeviceDirectory::kMaxDeviceIdLen + 1, '7')}) {
    auto r = directory_->resolve(id, "");
    EXPECT_TRUE(fails_with(r, ErrorCode::kNotFound)) << id;
    if (!r.ok()) {
      EXPECT_EQ(r.error().message, "unknown device");
    }
    EXPECT_TRUE(fails_with(directory_->resolve_trusted(id), ErrorCode::kNotFound)) << id;
  }
  EXPECT_EQ(reads("find_driver_by_device"), 1);  // empty and overlong ids need no read
}

TEST_F(DeviceDirectoryTest, ARequiredSecretMustBeTheDriversOwnValidDeviceToken) {
  auto tenant = add_tenant();
  domain::Driver d;
  auto token = add_driver(tenant, "4711", &d);
  auto other_token = add_driver(tenant, "4712");
  auto api_key = issue(d, "lm_", domain::Role::kTenantAdmin);
  ASSERT_TRUE(store_->create_credential(api_key.credential).ok());
  auto wrong_secret = token.substr(0, token.size() - 1) + (token.back() == 'A' ? "B" : "A");

  for (const std::string& secret :
       {std::string(), std::string("4711"), std::string("lmd_short_x"), other_token, api_key.token,
        wrong_secret, "lmd_" + core::random_alnum(12) + "_unknownprefix"}) {
    EXPECT_TRUE(fails_with(directory_->resolve("4711", secret), ErrorCode::kUnauthenticated)) << secret;
  }
  EXPECT_TRUE(directory_->resolve("4711", token).ok());
}

TEST_F(DeviceDirectoryTest, ARevokedTokenIsRefused) {
  auto tenant = add_tenant();
  auto d = storage::testing::make_driver(tenant, "4711");
  auto token = issue(d);
  ASSERT_TRUE(store_->create_driver(d, token.credential, nullptr).ok());
  ASSERT_TRUE(store_->revoke_credential(tenant, token.credential.id).ok());
  EXPECT_TRUE(fails_with(directory_->resolve("4711", token.token), ErrorCode::kUnauthenticated));
}

TEST_F(DeviceDirectoryTest, WithoutTheTenantSettingTheIdAloneIsTrusted) {
  auto tenant = add_tenant(/*require_secret=*/false);
  add_driver(tenant, "4711");
  EXPECT_TRUE(directory_->resolve("4711", "").ok());
  EXPECT_TRUE(directory_->resolve("4711", "anything at all").ok());
}

TEST_F(DeviceDirectoryTest, AChangedTenantSettingAppliesOnceTheTenantIsForgotten) {
  auto tenant = add_tenant(/*require_secret=*/false);
  add_driver(tenant, "4711");
  ASSERT_TRUE(directory_->resolve("4711", "").ok());  // cached: the id alone is trusted
  auto* settings = store_->settings();
  ASSERT_NE(settings, nullptr);
  auto next = settings->get_tenant_settings(tenant);
  ASSERT_TRUE(next.ok());
  next->tenant.require_device_secret = true;
  storage::SettingsAuditEntry audit{0, 0, clock_.now(), "key", "admin", "tenant/settings", "[]"};
  ASSERT_TRUE(settings->put_tenant_settings(tenant, *next, 0, audit).ok());
  EXPECT_TRUE(directory_->resolve("4711", "").ok()) << "still the cached setting";
  directory_->forget_tenant(tenant);
  EXPECT_TRUE(fails_with(directory_->resolve("4711", ""), ErrorCode::kUnauthenticated));
}

TEST_F(DeviceDirectoryTest, TrustedTransportsNeedNoSecret) {
  add_driver(add_tenant(), "alice/phone");
  EXPECT_TRUE(directory_->resolve_trusted("alice/phone").ok());
  EXPECT_TRUE(fails_with(directory_->resolve("alice/phone", ""), ErrorCode::kUnauthenticated));
}

TEST_F(DeviceDirectoryTest, ABusyDeviceIsReadOncePerTtl) {
  auto token = add_driver(add_tenant(), "4711");
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(directory_->resolve("4711", token).ok());
  EXPECT_EQ(reads("find_driver_by_device"), 1);
  EXPECT_EQ(reads("get_tenant"), 1);
  EXPECT_EQ(reads("find_credential"), 1);

  clock_.advance_ms(DeviceDirectoryOptions{}.positive_ttl_ms);
  ASSERT_TRUE(directory_->resolve("4711", token).ok());
  EXPECT_EQ(reads("find_driver_by_device"), 2);
  // The token is checked again after the TTL; the store may answer that from its own short cache
  // (storage/credential_cache.hpp), so at most one more read.
  EXPECT_LE(reads("find_credential"), 2);
  EXPECT_EQ(directory_->cached_devices(), 1u);
}

TEST_F(DeviceDirectoryTest, AWrongSecretWithTheVerifiedPrefixNeedsNoRead) {
  auto token = add_driver(add_tenant(), "4711");
  ASSERT_TRUE(directory_->resolve("4711", token).ok());
  const int before = reads("find_credential");
  auto forged = token.substr(0, token.size() - 2) + "zz";
  EXPECT_TRUE(fails_with(directory_->resolve("4711", forged), ErrorCode::kUnauthenticated));
  EXPECT_EQ(reads("find_credential"), before);
}

// Issue 12: the token is checked against the store's credential cache on every request, which a
// revocation or a rotation empties, so neither waits for this directory's TTL.
TEST_F(DeviceDirectoryTest, ARevocationTakesEffectAtOnce) {
  auto tenant = add_tenant();
  auto d = storage::testing::make_driver(tenant, "4711");
  auto token = issue(d);
  ASSERT_TRUE(store_->create_driver(d, token.credential, nullptr).ok());
  ASSERT_TRUE(directory_->resolve("4711", token.token).ok());
  ASSERT_TRUE(store_->revoke_credential(tenant, token.credential.id).ok());
  EXPECT_TRUE(fails_with(directory_->resolve("4711", token.token), ErrorCode::kUnauthenticated));
}

TEST_F(DeviceDirectoryTest, ARotatedTokenStopsAtOnceAndTheNewOneWorks) {
  auto tenant = add_tenant();
  auto d = storage::testing::make_driver(tenant, "4711");
  auto token = issue(d);
  ASSERT_TRUE(store_->create_driver(d, token.credential, nullptr).ok());
  ASSERT_TRUE(directory_->resolve("4711", token.token).ok());
  auto fresh = issue(d);
  auto rotated = store_->rotate_credential(tenant, token.credential.id, [&](const domain::Credential&) {
    return storage::Store::CredentialSecret{fresh.credential.prefix, fresh.credential.secret_hash};
  });
  ASSERT_TRUE(rotated.ok());
  EXPECT_TRUE(fails_with(directory_->resolve("4711", token.token), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(directory_->resolve("4711", fresh.token).ok());
}

TEST_F(DeviceDirectoryTest, ARevocationTakesEffectWithinTheTtl) {
  auto tenant = add_tenant();
  auto d = storage::testing::make_driver(tenant, "4711");
  auto token = issue(d);
  ASSERT_TRUE(store_->create_driver(d, token.credential, nullptr).ok());
  ASSERT_TRUE(directory_->resolve("4711", token.token).ok());
  ASSERT_TRUE(store_->revoke_credential(tenant, token.credential.id).ok());
  clock_.advance_ms(DeviceDirectoryOptions{}.positive_ttl_ms);
  EXPECT_TRUE(fails_with(directory_->resolve("4711", token.token), ErrorCode::kUnauthenticated));
}

TEST_F(DeviceDirectoryTest, AFloodOfOneUnknownIdIsReadOncePerTtl) {
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(fails_with(directory_->resolve("no-such-device", ""), ErrorCode::kNotFound));
  EXPECT_EQ(reads("find_driver_by_device"), 1);
  clock_.advance_ms(DeviceDirectoryOptions{}.negative_ttl_ms);
  EXPECT_TRUE(fails_with(directory_->resolve("no-such-device", ""), ErrorCode::kNotFound));
  EXPECT_EQ(reads("find_driver_by_device"), 2);
}

TEST_F(DeviceDirectoryTest, ADriverCreatedForACachedUnknownIdIsFoundAfterTheNegativeTtl) {
  EXPECT_TRUE(fails_with(directory_->resolve_trusted("4711"), ErrorCode::kNotFound));
  add_driver(add_tenant(false), "4711");
  EXPECT_TRUE(fails_with(directory_->resolve_trusted("4711"), ErrorCode::kNotFound));  // still cached
  clock_.advance_ms(DeviceDirectoryOptions{}.negative_ttl_ms);
  EXPECT_TRUE(directory_->resolve_trusted("4711").ok());
  EXPECT_EQ(directory_->cached_unknown(), 0u);
}

TEST_F(DeviceDirectoryTest, TheUnknownCacheIsBounded) {
  DeviceDirectory small(*store_, clock_, DeviceDirectoryOptions{.max_negative = 3});
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(fails_with(small.resolve_trusted("ghost-" + std::to_string(i)), ErrorCode::kNotFound));
  EXPECT_EQ(small.cached_unknown(), 3u);
  const int before = reads("find_driver_by_device");
  EXPECT_TRUE(fails_with(small.resolve_trusted("ghost-9"), ErrorCode::kNotFound));  // newest kept
  EXPECT_EQ(reads("find_driver_by_device"), before);
  EXPECT_TRUE(fails_with(small.resolve_trusted("ghost-0"), ErrorCode::kNotFound));  // oldest forgotten
  EXPECT_EQ(reads("find_driver_by_device"), before + 1);
}

TEST_F(DeviceDirectoryTest, TheKnownCacheIsBounded) {
  auto tenant = add_tenant(false);
  for (int i = 0; i < 5; ++i) add_driver(tenant, "dev-" + std::to_string(i));
  DeviceDirectory small(*store_, clock_, DeviceDirectoryOptions{.max_positive = 2});
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(small.resolve("dev-" + std::to_string(i), "").ok());
  EXPECT_LE(small.cached_devices(), 2u);
}

}  // namespace
}  // namespace lastmile::pipeline
