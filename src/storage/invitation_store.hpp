#pragma once
// Carrier onboarding (docs/carriers.md, "Onboarding"): a shipper invites a carrier organisation with
// a one-time link; accepting it issues the carrier's own API key (role carrier).
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp: another
// tenant's carrier or invitation is kNotFound.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"
#include "storage/store.hpp"

namespace lastmile::storage {

struct CarrierInvitation {
  std::string id;                 // "cin_…"
  std::string code_hash;          // sha256_hex of the one-time code; the code itself is never stored
  core::TenantId tenant_id;
  core::CarrierId carrier_id;
  std::string email;              // whom the shipper sent it to (may be empty)
  std::string created_by;         // credential id
  core::Timestamp created_at;
  core::Timestamp expires_at;
  std::optional<core::Timestamp> accepted_at;
  std::optional<core::Timestamp> revoked_at;
  std::optional<core::ApiKeyId> api_key_id;  // the carrier key issued at acceptance
};

// "pending", "accepted", "revoked" or "expired" at `now`.
std::string_view invitation_status(const CarrierInvitation& inv, core::Timestamp now);

// What the invited carrier sees of a pending invitation.
struct InvitationView {
  CarrierInvitation invitation;
  std::string tenant_name;
  domain::Carrier carrier;
};

class InvitationStore {
 public:
  virtual ~InvitationStore() = default;
  // kNotFound (field "carrier_id") when the carrier is not the tenant's.
  virtual Status create_carrier_invitation(const CarrierInvitation& inv) = 0;
  // Newest first, at most 200.
  virtual Result<std::vector<CarrierInvitation>> list_carrier_invitations(const core::TenantId& tenant,
                                                                          const core::CarrierId& carrier) = 0;
  // kNotFound when unknown for this tenant and carrier; kConflict (field "status") when it is no
  // longer pending (accepted, or already revoked). Nothing changes on error.
  virtual Status revoke_carrier_invitation(const core::TenantId& tenant, const core::CarrierId& carrier,
                                           const std::string& id, core::Timestamp now) = 0;
  // The pending invitation with that code hash; kInvalidCode (one answer for all) when the code is
  // unknown, used, revoked or expired at `now`.
  virtual Result<InvitationView> find_carrier_invitation(const std::string& code_hash, core::Timestamp now) = 0;
  // Consumes the invitation and creates `key` (role carrier) for its tenant and carrier, atomically:
  // of two concurrent accepts one succeeds. kInvalidCode as find_carrier_invitation; then nothing is
  // written. Returns the invitation as accepted.
  virtual Result<InvitationView> accept_carrier_invitation(const std::string& code_hash, core::Timestamp now,
                                                           const domain::Credential& key) = 0;
};

// The store's invitations; null for a store without them.
inline InvitationStore* invitations_of(Store& store) { return dynamic_cast<InvitationStore*>(&store); }

}  // namespace lastmile::storage
