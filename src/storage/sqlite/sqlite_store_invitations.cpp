// Carrier invitations (storage/invitation_store.hpp, docs/carriers.md "Onboarding").
#include "storage/sqlite/sqlite_queries.hpp"
#include "storage/sqlite/sqlite_rows.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace lastmile::storage {

std::string_view invitation_status(const CarrierInvitation& inv, core::Timestamp now) {
  if (inv.accepted_at) return "accepted";
  if (inv.revoked_at) return "revoked";
  if (inv.expires_at <= now) return "expired";
  return "pending";
}

}  // namespace lastmile::storage

namespace lastmile::storage::sqlite {
namespace {

using core::Error;

constexpr std::string_view kInvitationColumns =
    "id, code_hash, tenant_id, carrier_id, email, created_by, created_at, expires_at, accepted_at, revoked_at, "
    "api_key_id";

CarrierInvitation invitation_from_row(const Statement& s) {
  CarrierInvitation inv;
  inv.id = s.text(0);
  inv.code_hash = s.text(1);
  inv.tenant_id = core::TenantId(s.text(2));
  inv.carrier_id = core::CarrierId(s.text(3));
  inv.email = s.text(4);
  inv.created_by = s.text(5);
  inv.created_at = core::Timestamp{s.int64(6)};
  inv.expires_at = core::Timestamp{s.int64(7)};
  if (auto v = s.optional_int64(8)) inv.accepted_at = core::Timestamp{*v};
  if (auto v = s.optional_int64(9)) inv.revoked_at = core::Timestamp{*v};
  if (std::string key = s.text(10); !key.empty()) inv.api_key_id = core::ApiKeyId(key);
  return inv;
}

Error invalid_invitation() {
  return Error{core::ErrorCode::kInvalidCode, "this invitation is not valid (unknown, used, revoked or expired)",
               "code"};
}

// The pending invitation of `code_hash` with its tenant's name and carrier, or kInvalidCode.
Result<InvitationView> pending_view(Connection& db, const std::string& code_hash, core::Timestamp now) {
  auto stmt = db.prepare(sql({"SELECT ", kInvitationColumns, " FROM carrier_invitations WHERE code_hash = ?"}));
  if (!stmt) return stmt.error();
  auto row = stmt->bind_all(code_hash).step();
  if (!row) return row.error();
  if (!*row) return invalid_invitation();
  InvitationView view{invitation_from_row(*stmt), "", {}};
  if (invitation_status(view.invitation, now) != "pending") return invalid_invitation();
  auto tenant = db.prepare("SELECT name FROM tenants WHERE id = ?");
  if (!tenant) return tenant.error();
  auto t = tenant->bind_all(view.invitation.tenant_id.str()).step();
  if (!t) return t.error();
  if (!*t) return invalid_invitation();
  view.tenant_name = tenant->text(0);
  auto carrier = db.prepare(sql({"SELECT ", kCarrierColumns, " FROM carriers WHERE tenant_id = ? AND id = ?"}));
  if (!carrier) return carrier.error();
  carrier->bind_all(view.invitation.tenant_id.str(), view.invitation.carrier_id.str());
  auto c = fetch_one<domain::Carrier>(*carrier, carrier_from_row, "carrier");
  if (!c) return c.error().code == core::ErrorCode::kNotFound ? invalid_invitation() : c.error();
  view.carrier = std::move(*c);
  return view;
}

}  // namespace

Status SqliteStore::create_carrier_invitation(const CarrierInvitation& inv) {
  return write("create_carrier_invitation", [&](Connection& db, Events&) -> Status {
    auto exists = db.prepare("SELECT 1 FROM carriers WHERE tenant_id = ? AND id = ?");
    if (!exists) return exists.error();
    auto row = exists->bind_all(inv.tenant_id.str(), inv.carrier_id.str()).step();
    if (!row) return row.error();
    if (!*row) return Error{core::ErrorCode::kNotFound, "carrier not found", "carrier_id"};
    auto stmt = db.prepare(
        "INSERT INTO carrier_invitations (id, code_hash, tenant_id, carrier_id, email, created_by, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    return stmt->bind_all(inv.id, inv.code_hash, inv.tenant_id.str(), inv.carrier_id.str(), inv.email,
                          inv.created_by, inv.created_at.ms, inv.expires_at.ms)
        .run();
  });
}

Result<std::vector<CarrierInvitation>> SqliteStore::list_carrier_invitations(const core::TenantId& tenant,
                                                                             const core::CarrierId& carrier) {
  return read<std::vector<CarrierInvitation>>(
      "list_carrier_invitations", [&](Connection& db) -> Result<std::vector<CarrierInvitation>> {
        auto stmt = db.prepare(sql({"SELECT ", kInvitationColumns,
                                    " FROM carrier_invitations WHERE tenant_id = ? AND carrier_id = ? "
                                    "ORDER BY created_at DESC, id DESC LIMIT 200"}));
        if (!stmt) return stmt.error();
        stmt->bind_all(tenant.str(), carrier.str());
        std::vector<CarrierInvitation> out;
        for (;;) {
          auto row = stmt->step();
          if (!row) return row.error();
          if (!*row) break;
          out.push_back(invitation_from_row(*stmt));
        }
        return out;
      });
}

Status SqliteStore::revoke_carrier_invitation(const core::TenantId& tenant, const core::CarrierId& carrier,
                                              const std::string& id, core::Timestamp now) {
  return write("revoke_carrier_invitation", [&](Connection& db, Events&) -> Status {
    auto stmt = db.prepare(sql({"SELECT ", kInvitationColumns,
                                " FROM carrier_invitations WHERE tenant_id = ? AND carrier_id = ? AND id = ?"}));
    if (!stmt) return stmt.error();
    auto row = stmt->bind_all(tenant.str(), carrier.str(), id).step();
    if (!row) return row.error();
    if (!*row) return Error::not_found("invitation");
    const CarrierInvitation inv = invitation_from_row(*stmt);
    if (inv.accepted_at || inv.revoked_at)
      return Error{core::ErrorCode::kConflict, "the invitation is already " + std::string(invitation_status(inv, now)),
                   "status"};
    auto upd = db.prepare("UPDATE carrier_invitations SET revoked_at = ? WHERE id = ?");
    if (!upd) return upd.error();
    return upd->bind_all(now.ms, id).run();
  });
}

Result<InvitationView> SqliteStore::find_carrier_invitation(const std::string& code_hash, core::Timestamp now) {
  return read<InvitationView>("find_carrier_invitation",
                              [&](Connection& db) { return pending_view(db, code_hash, now); });
}

Result<InvitationView> SqliteStore::accept_carrier_invitation(const std::string& code_hash, core::Timestamp now,
                                                              const domain::Credential& key) {
  std::optional<InvitationView> out;
  Status st = write("accept_carrier_invitation", [&](Connection& db, Events&) -> Status {
    auto view = pending_view(db, code_hash, now);
    if (!view) return view.error();
    domain::Credential c = key;
    c.tenant_id = view->invitation.tenant_id;
    c.carrier_id = view->invitation.carrier_id;
    c.role = domain::Role::kCarrier;
    // Consume with a conditional UPDATE: the single-use guarantee.
    auto use = db.prepare(
        "UPDATE carrier_invitations SET accepted_at = ?, api_key_id = ? WHERE code_hash = ? AND accepted_at IS NULL "
        "AND revoked_at IS NULL AND expires_at > ?");
    if (!use) return use.error();
    if (auto st = use->bind_all(now.ms, c.id.str(), code_hash, now.ms).run(); !st) return st;
    if (db.changes() != 1) return invalid_invitation();
    if (auto st = insert_credential(db, c); !st) return st;
    view->invitation.accepted_at = now;
    view->invitation.api_key_id = c.id;
    out = std::move(*view);
    return {};
  });
  if (!st) return st.error();
  return std::move(*out);
}

}  // namespace lastmile::storage::sqlite
