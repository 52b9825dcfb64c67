// PUT /v1/track/{token}/instructions: the recipient gives the driver a gate code, a safe place and a
// note from the tracking page. The tracking token is the credential (public route); the instructions
// may change until the shipment is out for delivery (domain/instructions.hpp), then 409.
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/serializers.hpp"
#include "api/json_io.hpp"
#include "domain/instructions.hpp"
#include "domain/tracking_number.hpp"

namespace lastmile::api::handlers {

using core::Error;
using core::ErrorCode;

Result<Reply> put_track_instructions(const Services& s, RequestContext& ctx) {
  const std::string& token = ctx.param(0);
  if (!domain::is_plausible_tracking_token(token)) return Error::not_found("tracking token");
  auto body = body_object(ctx);
  if (!body) return body.error();
  JsonReader r(*body);
  auto gate_code = r.optional_string("gate_code", domain::kGateCodeMaxLen);
  auto safe_place = r.optional_string("safe_place", domain::kSafePlaceMaxLen);
  auto note = r.optional_string("note", domain::kNoteMaxLen);
  if (r.error()) return *r.error();
  if (!gate_code && !safe_place && !note)
    return Error{ErrorCode::kMissingField, "give at least one of gate_code, safe_place and note", "note"};

  auto shipment = s.store.find_shipment_by_token(token);
  if (!shipment) {
    if (shipment.error().code == ErrorCode::kNotFound) return Error::not_found("tracking token");
    return shipment.error();
  }
  if (!domain::recipient_may_edit_instructions(shipment->status))
    return Error{ErrorCode::kIllegalTransition,
                 "delivery instructions cannot change once the shipment is " +
                     std::string(domain::milestone_name(shipment->status)),
                 ""};
  domain::Instructions updated = shipment->instructions;  // a field left out keeps its value
  if (gate_code) updated.gate_code = *gate_code;
  if (safe_place) updated.safe_place = *safe_place;
  if (note) updated.note = *note;
  // Written only if the status is still the one checked above: a shipment that went out for delivery
  // meanwhile refuses the change (409), as it would have a moment later.
  if (auto st = s.store.update_instructions(shipment->tenant_id, shipment->id, updated, shipment->status); !st) {
    if (st.error().code == ErrorCode::kIllegalTransition)
      return Error{ErrorCode::kIllegalTransition, "delivery instructions cannot change: the shipment just moved on", ""};
    return st.error();
  }
  if (s.track_cache) s.track_cache->invalidate_all();  // the tracking view shows them; no event is written

  shipment->instructions = updated;
  return json_reply(200, to_json(boost::json::object{{"instructions", public_instructions_json(*shipment)}}));
}

}  // namespace lastmile::api::handlers
