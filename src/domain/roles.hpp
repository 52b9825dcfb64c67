#pragma once
// Who may call the API. Root administers tenants; the other roles live inside one tenant.

#include <optional>
#include <string_view>

namespace lastmile::domain {

enum class Role { kRoot, kTenantAdmin, kDispatcher, kIntegration, kCarrier, kDriver };

// Stable names: "root", "tenant_admin", "dispatcher", "integration", "carrier", "driver".
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);

// A bit set of roles, used by the route table to say who may call what.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= bit(r);
  }
  constexpr bool contains(Role r) const { return (bits_ & bit(r)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }

 private:
  static constexpr unsigned bit(Role r) { return 1u << static_cast<unsigned>(r); }
  unsigned bits_ = 0;
};

}  // namespace lastmile::domain
