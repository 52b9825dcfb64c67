// Tenants and credentials through the Store interface.
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Role;

class TenantsTest : public StoreTest {};

TEST_F(TenantsTest, CreateThenGetReturnsEveryField) {
  auto t = make_tenant("Acme Retail");
  t.brand_logo_url = "/brand/acme.svg";
  ASSERT_OK(store_->create_tenant(t, make_credential(t.id, Role::kTenantAdmin)));
  auto got = store_->get_tenant(t.id);
  ASSERT_OK(got);
  EXPECT_GT(got->seq, 0);
  EXPECT_EQ(got->id, t.id);
  EXPECT_EQ(got->name, "Acme Retail");
  EXPECT_EQ(got->brand_color, "#0a7d5a");
  EXPECT_EQ(got->brand_logo_url, "/brand/acme.svg");
  EXPECT_EQ(got->show_driver_within_stops, 2);
  EXPECT_EQ(got->created_at, kT0);
}

TEST_F(TenantsTest, UnknownTenantIsNotFound) {
  EXPECT_TRUE(fails_with(store_->get_tenant(core::TenantId("ten_nope")), ErrorCode::kNotFound));
}

TEST_F(TenantsTest, CreateStoresTheAdminCredential) {
  auto t = make_tenant("Acme");
  auto key = make_credential(t.id, Role::kTenantAdmin);
  ASSERT_OK(store_->create_tenant(t, key));
  auto found = store_->find_credential(key.prefix);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, key.id);
  EXPECT_EQ((*found)->tenant_id, t.id);
  EXPECT_EQ((*found)->role, Role::kTenantAdmin);
  EXPECT_EQ((*found)->secret_hash, key.secret_hash);
  EXPECT_FALSE((*found)->revoked);
}

TEST_F(TenantsTest, DuplicateNameIsConflictOnNameAndWritesNothing) {
  add_tenant("Acme");
  auto again = make_tenant("Acme");
  auto key = make_credential(again.id, Role::kTenantAdmin);
  EXPECT_TRUE(fails_with(store_->create_tenant(again, key), ErrorCode::kConflict, "name"));
  EXPECT_TRUE(fails_with(store_->get_tenant(again.id), ErrorCode::kNotFound));
  auto found = store_->find_credential(key.prefix);
  ASSERT_OK(found);
  EXPECT_FALSE(found->has_value());
}

TEST_F(TenantsTest, AdminKeyPrefixCollisionRollsBackTheTenant) {
  auto first = make_tenant("First");
  auto key = make_credential(first.id, Role::kTenantAdmin);
  ASSERT_OK(store_->create_tenant(first, key));
  auto second = make_tenant("Second");
  auto clash = make_credential(second.id, Role::kTenantAdmin);
  clash.prefix = key.prefix;
  EXPECT_TRUE(fails_with(store_->create_tenant(second, clash), ErrorCode::kConflict, "prefix"));
  EXPECT_TRUE(fails_with(store_->get_tenant(second.id), ErrorCode::kNotFound));
}

TEST_F(TenantsTest, ListIsNewestFirst) {
  auto a = add_tenant("A");
  auto b = add_tenant("B");
  auto c = add_tenant("C");
  auto page = store_->list_tenants({10, std::nullopt});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].id, c);
  EXPECT_EQ(page->items[1].id, b);
  EXPECT_EQ(page->items[2].id, a);
  EXPECT_FALSE(page->next_before.has_value());
}

class CredentialsTest : public StoreTest {};

TEST_F(CredentialsTest, FindByPrefixReturnsTheStoredCredential) {
  auto tenant = add_tenant();
  auto carrier = add_carrier(tenant);
  auto key = make_credential(tenant, Role::kCarrier);
  key.carrier_id = carrier.id;
  ASSERT_OK(store_->create_credential(key));
  auto found = store_->find_credential(key.prefix);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  const auto& c = **found;
  EXPECT_GT(c.seq, 0);
  EXPECT_EQ(c.id, key.id);
  EXPECT_EQ(c.tenant_id, tenant);
  EXPECT_EQ(c.role, Role::kCarrier);
  EXPECT_EQ(c.name, key.name);
  EXPECT_EQ(c.prefix, key.prefix);
  EXPECT_EQ(c.secret_hash, key.secret_hash);
  EXPECT_EQ(c.carrier_id, carrier.id);
  EXPECT_FALSE(c.driver_id.has_value());
  EXPECT_EQ(c.created_at, kT0);
  EXPECT_FALSE(c.revoked);
}

TEST_F(CredentialsTest, UnknownPrefixIsNullopt) {
  auto found = store_->find_credential("nosuchprefix");
  ASSERT_OK(found);
  EXPECT_FALSE(found->has_value());
}

TEST_F(CredentialsTest, TakenPrefixIsConflict) {
  auto tenant = add_tenant();
  auto key = make_credential(tenant, Role::kDispatcher);
  ASSERT_OK(store_->create_credential(key));
  auto other = make_credential(tenant, Role::kIntegration);
  other.prefix = key.prefix;
  EXPECT_TRUE(fails_with(store_->create_credential(other), ErrorCode::kConflict, "prefix"));
}

TEST_F(CredentialsTest, RootCredentialHasNoTenant) {
  auto has = store_->has_root_credential();
  ASSERT_OK(has);
  EXPECT_FALSE(*has);
  auto root = make_credential(std::nullopt, Role::kRoot);
  root.prefix = "root";
  ASSERT_OK(store_->create_credential(root));
  has = store_->has_root_credential();
  ASSERT_OK(has);
  EXPECT_TRUE(*has);
  auto found = store_->find_credential("root");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_FALSE((*found)->tenant_id.has_value());
  EXPECT_EQ((*found)->role, Role::kRoot);
}

TEST_F(CredentialsTest, TenantAdminIsNotRoot) {
  add_tenant();
  auto has = store_->has_root_credential();
  ASSERT_OK(has);
  EXPECT_FALSE(*has);
}

TEST_F(CredentialsTest, RevokeMarksRevokedAndFindStillReturnsIt) {
  auto tenant = add_tenant();
  auto key = make_credential(tenant, Role::kDispatcher);
  ASSERT_OK(store_->create_credential(key));
  ASSERT_OK(store_->revoke_credential(tenant, key.id));
  auto found = store_->find_credential(key.prefix);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->revoked);
  EXPECT_OK(store_->revoke_credential(tenant, key.id));  // revoking twice is harmless
}

TEST_F(CredentialsTest, ARevocationIsSeenAtOnceEvenByAKeyJustLookedUp) {
  // Lookups are cached (storage/credential_cache.hpp); a revocation must not wait for the cache.
  auto tenant = add_tenant();
  auto key = make_credential(tenant, Role::kDispatcher);
  ASSERT_OK(store_->create_credential(key));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE((*store_->find_credential(key.prefix))->revoked);
  ASSERT_OK(store_->revoke_credential(tenant, key.id));
  EXPECT_TRUE((*store_->find_credential(key.prefix))->revoked);
}

TEST_F(CredentialsTest, AnUnknownPrefixIsNotRememberedAsUnknown) {
  auto tenant = add_tenant();
  auto key = make_credential(tenant, Role::kDispatcher);
  EXPECT_FALSE(*store_->find_credential(key.prefix));
  ASSERT_OK(store_->create_credential(key));
  EXPECT_TRUE(*store_->find_credential(key.prefix)) << "a key created after a failed lookup works at once";
}

TEST_F(CredentialsTest, RevokeOfAnotherTenantsKeyIsNotFoundAndChangesNothing) {
  auto mine = add_tenant();
  auto theirs = add_tenant();
  auto key = make_credential(theirs, Role::kDispatcher);
  ASSERT_OK(store_->create_credential(key));
  EXPECT_TRUE(fails_with(store_->revoke_credential(mine, key.id), ErrorCode::kNotFound));
  auto found = store_->find_credential(key.prefix);
  ASSERT_OK(found);
  EXPECT_FALSE((*found)->revoked);
}

TEST_F(CredentialsTest, RevokeOfUnknownKeyIsNotFound) {
  auto tenant = add_tenant();
  EXPECT_TRUE(fails_with(store_->revoke_credential(tenant, core::ApiKeyId("key_nope")), ErrorCode::kNotFound));
}

// Rotation (issue 12): the id, role and bindings stay; the old prefix is gone at once, even from the
// credential cache; another tenant's key, an unknown key and a revoked key are refused unchanged.
Store::NewCredentialSecret secret_like(const domain::Credential& model, domain::Credential* seen = nullptr) {
  return [model, seen](const domain::Credential& current) {
    if (seen) *seen = current;
    return Store::CredentialSecret{model.prefix, model.secret_hash};
  };
}

TEST_F(CredentialsTest, RotateReplacesPrefixAndHashAtOnce) {
  auto tenant = add_tenant();
  auto key = make_credential(tenant, Role::kDispatcher);
  ASSERT_OK(store_->create_credential(key));
  EXPECT_TRUE(*store_->find_credential(key.prefix));  // now cached
  auto fresh = make_credential(tenant, Role::kDispatcher);
  domain::Credential seen;
  auto rotated = store_->rotate_credential(tenant, key.id, secret_like(fresh, &seen));
  ASSERT_OK(rotated);
  EXPECT_EQ(seen.id, key.id);
  EXPECT_EQ(seen.prefix, key.prefix);
  EXPECT_EQ(rotated->id, key.id);
  EXPECT_EQ(rotated->role, Role::kDispatcher);
  EXPECT_EQ(rotated->prefix, fresh.prefix);
  EXPECT_EQ(rotated->secret_hash, fresh.secret_hash);
  EXPECT_FALSE(*store_->find_credential(key.prefix)) << "the old prefix must not survive in the cache";
  auto found = store_->find_credential(fresh.prefix);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, key.id);
  EXPECT_EQ((*found)->secret_hash, fresh.secret_hash);
}

TEST_F(CredentialsTest, RotateRefusesAnotherTenantsUnknownOrRevokedKeysAndChangesNothing) {
  auto mine = add_tenant();
  auto theirs = add_tenant();
  auto key = make_credential(theirs, Role::kDispatcher);
  ASSERT_OK(store_->create_credential(key));
  auto fresh = make_credential(mine, Role::kDispatcher);
  EXPECT_TRUE(fails_with(store_->rotate_credential(mine, key.id, secret_like(fresh)), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->rotate_credential(mine, core::ApiKeyId("key_nope"), secret_like(fresh)),
                         ErrorCode::kNotFound));
  ASSERT_OK(store_->revoke_credential(theirs, key.id));
  auto refused = store_->rotate_credential(theirs, key.id, secret_like(fresh));
  EXPECT_TRUE(fails_with(refused, ErrorCode::kConflict, "id"));
  EXPECT_TRUE(*store_->find_credential(key.prefix));
  EXPECT_FALSE(*store_->find_credential(fresh.prefix));
}

TEST_F(CredentialsTest, ListShowsOnlyTheTenantsKeysNewestFirst) {
  auto mine = add_tenant();  // with its admin key
  auto theirs = add_tenant();
  auto k1 = make_credential(mine, Role::kDispatcher);
  auto k2 = make_credential(mine, Role::kIntegration);
  ASSERT_OK(store_->create_credential(k1));
  ASSERT_OK(store_->create_credential(make_credential(theirs, Role::kDispatcher)));
  ASSERT_OK(store_->create_credential(k2));
  auto page = store_->list_credentials(mine, {50, std::nullopt});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].id, k2.id);
  EXPECT_EQ(page->items[1].id, k1.id);
  EXPECT_EQ(page->items[2].role, Role::kTenantAdmin);
  for (const auto& c : page->items) EXPECT_EQ(c.tenant_id, mine);
}

TEST_F(CredentialsTest, CredentialForAnUnknownTenantIsNotFound) {
  EXPECT_TRUE(fails_with(store_->create_credential(make_credential(core::TenantId("ten_nope"), Role::kDispatcher)),
                         ErrorCode::kNotFound));
}

}  // namespace
}  // namespace lastmile::storage::testing
