#pragma once
// Credentials: API keys ("lm_<prefix>_<secret>"), device tokens ("lmd_<prefix>_<secret>") and the
// root token (any other string, matched against the stored root hash). Only SHA-256 hashes are
// stored; comparison is constant-time; a revoked credential is refused.

#include <string>
#include <string_view>

#include "api/context.hpp"
#include "domain/entities.hpp"

namespace lastmile::api {

struct IssuedSecret {
  domain::Credential credential;  // to store
  std::string token;              // to show once
};

// A new credential for `role` with a fresh random secret. `device` selects the "lmd_" form.
IssuedSecret issue_credential(domain::Role role, std::optional<core::TenantId> tenant, std::string name,
                              core::Timestamp now, bool device = false);
// A fresh token for an existing credential (rotation), in its form: "lmd_" for role driver.
// Sets `prefix` and `secret_hash` to store; returns the token to show once.
std::string reissue_secret(const domain::Credential& current, std::string& prefix, std::string& secret_hash);
// The root credential for a token chosen by the operator (LASTMILE_ADMIN_TOKEN).
domain::Credential root_credential(std::string_view token, core::Timestamp now);
// Resolves "Authorization: Bearer <token>". kUnauthenticated when absent, malformed, unknown or revoked.
core::Result<Principal> authenticate(storage::Store& store, std::string_view authorization_header);

}  // namespace lastmile::api
