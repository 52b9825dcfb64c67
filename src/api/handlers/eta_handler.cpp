// GET /v1/eta/model: what the tenant's ETA model learned from its delivery history (docs/eta.md).
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "eta/model_registry.hpp"

namespace lastmile::api::handlers {

Result<Reply> get_eta_model(const Services& s, RequestContext& ctx) {
  if (!s.eta_models) return core::Error{core::ErrorCode::kUnavailable, "no ETA model on this server", ""};
  return json_reply(200, s.eta_models->get(ctx.tenant())->to_json());
}

}  // namespace lastmile::api::handlers
