// Proof of delivery and failed attempts (docs/proof-of-delivery.md): multipart uploads whose
// images go to the content-addressed blob store first, then one transaction stores the event
// (the proof in its payload, so the hash chain covers it), the proof rows and the idempotency record.
#include <boost/json.hpp>

#include <cmath>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/proof_json.hpp"
#include "api/handlers/serializers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "api/proof_form.hpp"
#include "core/new_id.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxCasRetries = 5;

// The start of both uploads: the key (required for drivers), a replay, the form.
std::optional<Result<Reply>> start_upload(const Services& s, RequestContext& ctx, const Idempotency& idem) {
  if (!s.blobs) return Result<Reply>(Error{ErrorCode::kUnavailable, "the blob store is not configured", ""});
  if (ctx.role() == domain::Role::kDriver && ctx.header("Idempotency-Key").empty())
    return Result<Reply>(Error{ErrorCode::kMissingField, "a driver's upload needs an Idempotency-Key header",
                               "Idempotency-Key"});
  if (auto done = idem.answer_if_seen(s)) {
    if (*done) done->value().status = 200;  // a replay: the same answer, nothing new stored
    return done;
  }
  return std::nullopt;
}

// Writes every image of `form` to the blob store (content-addressed: a retry rewrites nothing).
Result<std::vector<storage::ProofBlob>> store_images(const Services& s, const ProofForm& form) {
  std::vector<storage::ProofBlob> out;
  auto put = [&](const ImageUpload& img, std::string role) -> core::Status {
    auto sha = s.blobs->put(img.bytes);
    if (!sha) return Error::internal();
    storage::BlobRecord b{*sha, img.content_type, static_cast<int64_t>(img.bytes.size()), img.width, img.height, {}};
    out.push_back({std::move(role), std::move(b)});
    return {};
  };
  for (const auto& p : form.photos)
    if (auto st = put(p, "photo"); !st) return st.error();
  if (form.signature)
    if (auto st = put(*form.signature, "signature"); !st) return st.error();
  return out;
}

std::string source_of(const RequestContext& ctx) {
  return ctx.role() == domain::Role::kDriver ? "driver_app" : ctx.role() == domain::Role::kCarrier ? "carrier" : "api";
}

domain::Event proof_event(const RequestContext& ctx, const domain::Shipment& sh, domain::Milestone m,
                          const ProofForm& form) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = sh.tenant_id;
  e.shipment_id = sh.id;
  e.type = std::string(domain::milestone_name(m));
  e.milestone = m;
  e.at = form.captured_at && form.captured_at->ms <= ctx.now.ms ? *form.captured_at : ctx.now;
  e.recorded_at = ctx.now;
  e.actor = ctx.actor();
  e.source = source_of(ctx);
  e.location = form.location;
  return e;
}

Error illegal(const domain::Shipment& sh, domain::Milestone to) {
  return Error{ErrorCode::kIllegalTransition,
               "a shipment cannot go from " + std::string(domain::milestone_name(sh.status)) + " to " +
                   std::string(domain::milestone_name(to)),
               ""};
}

// Validates, stores images, then the event in one transaction with CAS retries; `body_of` builds
// the 201 body from the event about to be stored.
template <typename BodyOf>
Result<Reply> record(const Services& s, RequestContext& ctx, Idempotency& idem, const ProofForm& form,
                     domain::Milestone milestone, std::string kind, BodyOf body_of) {
  const core::ShipmentId id(ctx.param(0));
  auto sh = load_visible_shipment(s, ctx, id);
  if (!sh) return sh.error();
  if (!domain::transition_allowed(sh->status, milestone)) return illegal(*sh, milestone);
  auto blobs = store_images(s, form);
  if (!blobs) return blobs.error();

  std::optional<double> distance;
  bool mismatch = false;
  if (kind == "delivery" && form.location && sh->address.location) {
    auto limit = s.store.pod_max_distance_m(ctx.tenant());
    if (!limit) return limit.error();
    distance = core::haversine_m(*form.location, *sh->address.location);
    mismatch = *distance > *limit;
  }
  for (int attempt = 0; attempt < kMaxCasRetries; ++attempt) {
    if (attempt > 0) {
      sh = load_visible_shipment(s, ctx, id);
      if (!sh) return sh.error();
      if (!domain::transition_allowed(sh->status, milestone)) return illegal(*sh, milestone);
    }
    storage::ProofWrite w;
    w.event = proof_event(ctx, *sh, milestone, form);
    w.event.payload_json = proof_payload(form, *blobs, distance, mismatch);
    w.expected_status = sh->status;
    w.kind = kind;
    w.blobs = *blobs;
    if (mismatch) {
      domain::Event f = proof_event(ctx, *sh, milestone, form);
      f.type = "pod_location_mismatch";
      f.milestone.reset();
      f.source = "system";
      f.payload_json = to_json(json::object{{"proof_event_id", w.event.id.str()},
                                            {"distance_m", std::round(*distance * 10) / 10}});
      w.follow_up = std::move(f);
    }
    std::string body = body_of(w.event);
    auto stored = s.store.record_proof(w, idem.record(201, body));
    if (!stored && stored.error().code == ErrorCode::kConflict) continue;
    if (!stored) return finish_create(s, idem, stored.error(), std::move(body));
    return json_reply(201, std::move(body));
  }
  return Error{ErrorCode::kConflict, "the shipment is being changed concurrently; retry", ""};
}

ProofLimits limits_of(const Services& s) {
  ProofLimits l;
  l.max_photo_bytes = s.max_photo_bytes;
  return l;
}

}  // namespace

Result<Reply> post_proof(const Services& s, RequestContext& ctx) {
  Idempotency idem(ctx, "POST /v1/shipments/" + ctx.param(0) + "/proof");
  if (auto done = start_upload(s, ctx, idem)) return std::move(*done);
  auto form = parse_proof_multipart(ProofKind::kDelivery, ctx.header(http::field::content_type), ctx.req.body(),
                                    limits_of(s));
  if (!form) return form.error();
  const std::string prefix = "/v1/blobs/";
  return record(s, ctx, idem, *form, domain::Milestone::kDelivered, "delivery",
                [&](const domain::Event& e) { return to_json(proof_json(e, prefix)); });
}

Result<Reply> post_attempt(const Services& s, RequestContext& ctx) {
  Idempotency idem(ctx, "POST /v1/shipments/" + ctx.param(0) + "/attempts");
  if (auto done = start_upload(s, ctx, idem)) return std::move(*done);
  const std::string_view type = ctx.header(http::field::content_type);
  const bool is_json = type.substr(0, 16) == "application/json";
  auto form = is_json ? parse_attempt_json(ctx.req.body())
                      : parse_proof_multipart(ProofKind::kAttempt, type, ctx.req.body(), limits_of(s));
  if (!form) return form.error();
  return record(s, ctx, idem, *form, domain::Milestone::kAttemptFailed, "attempt", [&](const domain::Event& e) {
    auto out = event_json(e);
    out["shipment_status"] = domain::milestone_name(domain::Milestone::kAttemptFailed);
    return to_json(out);
  });
}

}  // namespace lastmile::api::handlers
