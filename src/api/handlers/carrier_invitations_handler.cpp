// Carrier onboarding (docs/carriers.md, "Onboarding"): a shipper's tenant admin invites a carrier
// organisation with a one-time link; the carrier opens it (GET, public, nothing consumed) and
// accepts it (POST, public), which issues the carrier's own API key — shown once. The carrier then
// invites its drivers with their one-time sign-in links (POST /v1/drivers/{id}/login-links).
#include <boost/json.hpp>

#include <cctype>

#include "api/auth.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "core/crypto.hpp"
#include "core/json_reader.hpp"
#include "storage/invitation_store.hpp"

namespace lastmile::api::handlers {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::JsonReader;

constexpr size_t kInvitationCodeBytes = 24;  // 192 bits
constexpr int kDefaultTtlHours = 7 * 24;
constexpr int kMaxTtlHours = 30 * 24;

Result<storage::InvitationStore*> invitation_store(const Services& s) {
  if (auto* store = storage::invitations_of(s.store)) return store;
  return Error{ErrorCode::kUnavailable, "carrier invitations are not available with this store", ""};
}

json::object invitation_json(const storage::CarrierInvitation& inv, core::Timestamp now) {
  json::object o{{"id", inv.id},
                 {"carrier_id", inv.carrier_id.str()},
                 {"email", inv.email},
                 {"status", std::string(storage::invitation_status(inv, now))},
                 {"created_by", inv.created_by},
                 {"created_at", core::format_iso8601(inv.created_at)},
                 {"expires_at", core::format_iso8601(inv.expires_at)}};
  o["accepted_at"] = inv.accepted_at ? json::value(core::format_iso8601(*inv.accepted_at)) : json::value(nullptr);
  o["revoked_at"] = inv.revoked_at ? json::value(core::format_iso8601(*inv.revoked_at)) : json::value(nullptr);
  o["api_key_id"] = inv.api_key_id ? json::value(inv.api_key_id->str()) : json::value(nullptr);
  return o;
}

// What the invited organisation sees: who invites it, as what, until when.
json::object view_json(const storage::InvitationView& v, core::Timestamp now) {
  return json::object{{"tenant_name", v.tenant_name},
                      {"carrier", json::object{{"id", v.carrier.id.str()}, {"name", v.carrier.name},
                                               {"code", v.carrier.code}}},
                      {"status", std::string(storage::invitation_status(v.invitation, now))},
                      {"expires_at", core::format_iso8601(v.invitation.expires_at)}};
}

// A code as it appears in a link: base64url of kInvitationCodeBytes; anything else is not one.
bool plausible_code(const std::string& code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

Error invalid_invitation() {
  return Error{ErrorCode::kInvalidCode, "this invitation is not valid (unknown, used, revoked or expired)", "code"};
}

}  // namespace

Result<Reply> create_carrier_invitation(const Services& s, RequestContext& ctx) {
  auto store = invitation_store(s);
  if (!store) return store.error();
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  auto email = r.string("email", {.max_len = 254});
  auto ttl = r.integer("expires_in_hours", 1, kMaxTtlHours);
  if (r.error()) return *r.error();
  if (!email.empty() && email.find('@') == std::string::npos)
    return Error::invalid_field("email", "email must be an e-mail address");
  const std::string code = core::random_token(kInvitationCodeBytes);
  storage::CarrierInvitation inv;
  inv.id = "cin_" + core::random_token(12);
  inv.code_hash = core::sha256_hex(code);
  inv.tenant_id = ctx.tenant();
  inv.carrier_id = core::CarrierId(ctx.param(0));
  inv.email = email;
  inv.created_by = ctx.actor();
  inv.created_at = ctx.now;
  inv.expires_at = core::Timestamp{ctx.now.ms + int64_t{ttl.value_or(kDefaultTtlHours)} * 3'600'000};
  if (auto st = (*store)->create_carrier_invitation(inv); !st) {
    if (st.error().code == ErrorCode::kNotFound) return Error::not_found("carrier");
    return st.error();
  }
  json::object out = invitation_json(inv, ctx.now);
  out["code"] = code;
  out["url"] = s.public_url + "/v1/carrier-invitations/" + code;
  return json_reply(201, to_json(out));
}

Result<Reply> list_carrier_invitations(const Services& s, RequestContext& ctx) {
  auto store = invitation_store(s);
  if (!store) return store.error();
  const core::CarrierId carrier(ctx.param(0));
  if (auto c = s.store.get_carrier(ctx.tenant(), carrier); !c) return c.error();
  auto list = (*store)->list_carrier_invitations(ctx.tenant(), carrier);
  if (!list) return list.error();
  json::array items;
  for (const auto& inv : *list) items.push_back(invitation_json(inv, ctx.now));
  return json_reply(200, to_json(json::object{{"items", std::move(items)}}));
}

Result<Reply> revoke_carrier_invitation(const Services& s, RequestContext& ctx) {
  auto store = invitation_store(s);
  if (!store) return store.error();
  if (auto st = (*store)->revoke_carrier_invitation(ctx.tenant(), core::CarrierId(ctx.param(0)), ctx.param(1), ctx.now);
      !st)
    return st.error();
  Reply r;
  r.status = 204;
  return r;
}

Result<Reply> get_carrier_invitation(const Services& s, RequestContext& ctx) {
  auto store = invitation_store(s);
  if (!store) return store.error();
  if (!plausible_code(ctx.param(0))) return invalid_invitation();
  auto view = (*store)->find_carrier_invitation(core::sha256_hex(ctx.param(0)), ctx.now);
  if (!view) return view.error();
  return json_reply(200, to_json(view_json(*view, ctx.now)));
}

Result<Reply> accept_carrier_invitation(const Services& s, RequestContext& ctx) {
  auto store = invitation_store(s);
  if (!store) return store.error();
  if (!plausible_code(ctx.param(0))) return invalid_invitation();
  auto body = body_object(ctx);  // optional: {"name": "…"} names the key
  std::string name = "carrier invitation";
  if (body) {
    JsonReader r(*body);
    auto given = r.string("name", {.max_len = 200});
    if (r.error()) return *r.error();
    if (!given.empty()) name = given;
  } else if (!ctx.req.body().empty()) {
    return body.error();
  }
  auto issued = issue_credential(domain::Role::kCarrier, std::nullopt, name, ctx.now);
  auto view = (*store)->accept_carrier_invitation(core::sha256_hex(ctx.param(0)), ctx.now, issued.credential);
  if (!view) return view.error();
  json::object out = view_json(*view, ctx.now);
  out["api_key"] = issued.token;
  out["api_key_id"] = issued.credential.id.str();
  return json_reply(201, to_json(out));
}

}  // namespace lastmile::api::handlers
