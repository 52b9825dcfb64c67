// Roles of docs/api.md ("Roles") and the RoleSet the route table uses.
#include "domain/roles.hpp"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

namespace lastmile::domain {
namespace {

const std::vector<std::pair<Role, std::string_view>> kRoles = {
    {Role::kRoot, "root"},           {Role::kTenantAdmin, "tenant_admin"}, {Role::kDispatcher, "dispatcher"},
    {Role::kIntegration, "integration"}, {Role::kCarrier, "carrier"},     {Role::kDriver, "driver"},
};

TEST(Role, StableNames) {
  for (auto [role, name] : kRoles) EXPECT_EQ(role_name(role), name);
}

TEST(Role, NamesRoundTrip) {
  std::set<std::string_view> distinct;
  for (auto [role, name] : kRoles) {
    distinct.insert(role_name(role));
    auto back = parse_role(role_name(role));
    ASSERT_TRUE(back) << name;
    EXPECT_EQ(*back, role);
  }
  EXPECT_EQ(distinct.size(), 6u);
}

TEST(Role, ParseIsExact) {
  for (const char* bad : {"", "Root", "ROOT", "admin", "tenant-admin", "tenantAdmin", " dispatcher",
                          "dispatcher ", "drivers", "superuser"})
    EXPECT_FALSE(parse_role(bad)) << '"' << bad << '"';
}

TEST(RoleSet, EmptyByDefault) {
  constexpr RoleSet none;
  static_assert(none.empty());
  for (auto [role, name] : kRoles) EXPECT_FALSE(none.contains(role)) << name;
}

TEST(RoleSet, ContainsExactlyItsMembers) {
  // "office" of the route table: tenant admins and dispatchers.
  const RoleSet office{Role::kTenantAdmin, Role::kDispatcher};
  EXPECT_FALSE(office.empty());
  EXPECT_TRUE(office.contains(Role::kTenantAdmin));
  EXPECT_TRUE(office.contains(Role::kDispatcher));
  EXPECT_FALSE(office.contains(Role::kRoot));
  EXPECT_FALSE(office.contains(Role::kIntegration));
  EXPECT_FALSE(office.contains(Role::kCarrier));
  EXPECT_FALSE(office.contains(Role::kDriver));
}

TEST(RoleSet, EachRoleIsItsOwnBit) {
  for (auto [member, member_name] : kRoles) {
    const RoleSet one{member};
    for (auto [role, name] : kRoles) EXPECT_EQ(one.contains(role), role == member) << member_name << " / " << name;
  }
}

TEST(RoleSet, AllRolesAndDuplicates) {
  constexpr RoleSet all{Role::kRoot, Role::kTenantAdmin, Role::kDispatcher, Role::kIntegration, Role::kCarrier,
                        Role::kDriver, Role::kDriver};
  static_assert(all.contains(Role::kDriver) && all.contains(Role::kRoot));
  for (auto [role, name] : kRoles) EXPECT_TRUE(all.contains(role)) << name;
}

}  // namespace
}  // namespace lastmile::domain
