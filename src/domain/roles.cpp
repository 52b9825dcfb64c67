#include "domain/roles.hpp"

namespace lastmile::domain {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::kRoot: return "root";
    case Role::kTenantAdmin: return "tenant_admin";
    case Role::kDispatcher: return "dispatcher";
    case Role::kIntegration: return "integration";
    case Role::kCarrier: return "carrier";
    case Role::kDriver: return "driver";
  }
  return "driver";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : {Role::kRoot, Role::kTenantAdmin, Role::kDispatcher, Role::kIntegration, Role::kCarrier,
                 Role::kDriver})
    if (role_name(r) == name) return r;
  return std::nullopt;
}

}  // namespace lastmile::domain
