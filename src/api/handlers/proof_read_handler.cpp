// Reading proofs of delivery and their images: staff and the route's driver by shipment id, the
// customer by tracking token once the shipment is delivered (docs/proof-of-delivery.md).
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/proof_json.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "domain/tracking_number.hpp"
#include "storage/privacy_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

Error no_proof() { return Error{ErrorCode::kNoProof, "the shipment has no proof of delivery", ""}; }

Result<Reply> blob_reply(const Services& s, const storage::BlobRecord& b) {
  if (!s.blobs) return Error{ErrorCode::kUnavailable, "the blob store is not configured", ""};
  auto bytes = s.blobs->get(b.sha256);
  if (!bytes) return Error::not_found("blob");
  Reply r{200, std::move(*bytes), b.content_type, {}};
  r.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // A signature may be SVG: never let it run anything, even opened directly.
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  return r;
}

// The delivered shipment of a tracking token with its proof; kNotFound / kNoProof otherwise.
Result<std::pair<domain::Shipment, storage::StoredProof>> public_proof(const Services& s, const std::string& token) {
  if (!domain::is_plausible_tracking_token(token)) return Error::not_found("tracking token");
  auto sh = s.store.find_shipment_by_token(token);
  if (!sh) return sh.error().code == ErrorCode::kNotFound ? Error::not_found("tracking token") : sh.error();
  if (sh->status != domain::Milestone::kDelivered) return no_proof();
  auto proof = s.store.latest_proof(sh->tenant_id, sh->id, "delivery");
  if (!proof) return proof.error();
  if (!*proof) return no_proof();
  return std::pair{std::move(*sh), std::move(**proof)};
}

// Images a retention pass or an erasure removed (docs/privacy.md) keep their digest, size and
// dimensions in the proof (the hash chain covers them) but lose their URL and say why:
// "expired": "retention" | "erasure". Nothing else changes, so verification still passes.
core::Status mark_expired_images(const Services& s, const core::TenantId& tenant, const core::ShipmentId& shipment,
                           json::object& proof) {
  auto* privacy = s.store.privacy();
  if (!privacy) return {};
  auto expired = privacy->expired_blobs(tenant, shipment);
  if (!expired) return expired.error();
  if (expired->empty()) return {};
  auto mark = [&](json::value& v) {
    if (!v.is_object()) return;
    auto& o = v.as_object();
    const auto* sha = o.if_contains("sha256");
    if (!sha || !sha->is_string()) return;
    for (const auto& b : *expired) {
      if (b.sha256 != sha->as_string()) continue;
      o.erase("url");
      o["expired"] = b.reason;
      o["expired_at"] = core::format_iso8601(b.at);
      return;
    }
  };
  if (auto* photos = proof.if_contains("photos"); photos && photos->is_array())
    for (auto& p : photos->as_array()) mark(p);
  if (auto* sig = proof.if_contains("signature")) mark(*sig);
  return {};
}

}  // namespace

Result<Reply> get_proof(const Services& s, RequestContext& ctx) {
  const core::ShipmentId id(ctx.param(0));
  auto sh = load_visible_shipment(s, ctx, id);
  if (!sh) return sh.error();
  auto proof = s.store.latest_proof(ctx.tenant(), id, "delivery");
  if (!proof) return proof.error();
  if (!*proof) return no_proof();
  auto check = s.store.verify_shipment(ctx.tenant(), id);
  if (!check) return check.error();
  json::array problems;
  for (const auto& [event_id, reason] : check->problems)
    problems.push_back(json::object{{"event_id", event_id}, {"reason", reason}});
  auto out = proof_json((*proof)->event, "/v1/blobs/");
  if (auto st = mark_expired_images(s, ctx.tenant(), id, out); !st) return st.error();
  out["verification"] = json::object{{"ok", check->problems.empty()},
                                     {"events_checked", check->events_checked},
                                     {"problems", std::move(problems)}};
  return json_reply(200, to_json(out));
}

Result<Reply> get_blob(const Services& s, RequestContext& ctx) {
  const std::string& sha = ctx.param(0);
  if (!storage::is_sha256_hex(sha)) return Error::not_found("blob");
  auto blob = s.store.find_blob(ctx.tenant(), sha);
  if (!blob) return blob.error();
  if (!*blob) return Error::not_found("blob");
  if (ctx.role() == domain::Role::kDriver || ctx.role() == domain::Role::kCarrier) {
    // Only the images of proofs of shipments this caller may see.
    bool visible = false;
    for (const auto& shipment : (*blob)->shipments)
      if (load_visible_shipment(s, ctx, shipment)) visible = true;
    if (!visible) return Error::not_found("blob");
  }
  return blob_reply(s, **blob);
}

Result<Reply> track_proof(const Services& s, RequestContext& ctx) {
  const std::string& token = ctx.param(0);
  auto found = public_proof(s, token);
  if (!found) return found.error();
  auto check = s.store.verify_shipment(found->first.tenant_id, found->first.id);
  if (!check) return check.error();
  auto out = proof_json(found->second.event, "/v1/track/" + token + "/blobs/");
  if (auto st = mark_expired_images(s, found->first.tenant_id, found->first.id, out); !st) return st.error();
  out.erase("shipment_id");
  out.erase("event_id");
  out.erase("location");  // the customer's door is theirs to know; the position adds nothing for them
  out.erase("accuracy_m");
  out.erase("distance_m");
  out.erase("location_mismatch");
  out["verification"] = json::object{{"ok", check->problems.empty()}};
  return json_reply(200, to_json(out));
}

Result<Reply> track_blob(const Services& s, RequestContext& ctx) {
  auto found = public_proof(s, ctx.param(0));
  if (!found) return found.error();
  const std::string& sha = ctx.param(1);
  for (const auto& pb : found->second.blobs)
    if (pb.blob.sha256 == sha) return blob_reply(s, pb.blob);
  return Error::not_found("blob");
}

}  // namespace lastmile::api::handlers
