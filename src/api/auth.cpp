#include "api/auth.hpp"

#include <algorithm>
#include <cctype>

#include "core/crypto.hpp"
#include "core/new_id.hpp"

namespace lastmile::api {
namespace {

constexpr std::string_view kRootPrefix = "root";

core::Error unauthenticated(std::string message) {
  return core::Error{core::ErrorCode::kUnauthenticated, std::move(message), ""};
}

}  // namespace

IssuedSecret issue_credential(domain::Role role, std::optional<core::TenantId> tenant, std::string name,
                              core::Timestamp now, bool device) {
  IssuedSecret out;
  auto& c = out.credential;
  c.id = core::new_id<core::ApiKeyId>();
  c.tenant_id = std::move(tenant);
  c.role = role;
  c.name = std::move(name);
  c.prefix = core::random_alnum(core::kCredentialPrefixLen);
  out.token = std::string(device ? "lmd_" : "lm_") + c.prefix + "_" + core::random_token(32);
  c.secret_hash = core::sha256_hex(out.token);
  c.created_at = now;
  return out;
}

std::string reissue_secret(const domain::Credential& current, std::string& prefix, std::string& secret_hash) {
  prefix = core::random_alnum(core::kCredentialPrefixLen);
  std::string token =
      std::string(current.role == domain::Role::kDriver ? "lmd_" : "lm_") + prefix + "_" + core::random_token(32);
  secret_hash = core::sha256_hex(token);
  return token;
}

domain::Credential root_credential(std::string_view token, core::Timestamp now) {
  domain::Credential c;
  c.id = core::new_id<core::ApiKeyId>();
  c.role = domain::Role::kRoot;
  c.name = "root";
  c.prefix = std::string(kRootPrefix);
  c.secret_hash = core::sha256_hex(token);
  c.created_at = now;
  return c;
}

core::Result<Principal> authenticate(storage::Store& store, std::string_view header) {
  if (header.empty()) return unauthenticated("missing Authorization header (use 'Bearer <token>')");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || !std::equal(kBearer.begin(), kBearer.end(), header.begin(),
                                                     [](unsigned char a, unsigned char b) {
                                                       return std::tolower(a) == std::tolower(b);
                                                     }))
    return unauthenticated("Authorization header must be 'Bearer <token>'");
  std::string_view token = header.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty() || token.size() > 512) return unauthenticated("invalid token");

  std::string_view prefix = core::credential_prefix(token);
  auto found = store.find_credential(prefix.empty() ? kRootPrefix : prefix);
  if (!found) return found.error();
  const auto& cred = found.value();
  if (!cred || cred->revoked || !core::secret_matches(token, cred->secret_hash))
    return unauthenticated("invalid or revoked token");

  Principal p;
  p.role = cred->role;
  p.tenant_id = cred->tenant_id;
  p.carrier_id = cred->carrier_id;
  p.driver_id = cred->driver_id;
  p.credential_id = cred->id.str();
  p.credential_name = cred->name;
  return p;
}

}  // namespace lastmile::api
