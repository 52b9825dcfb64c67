// GET /v1/live and /v1/live/sse as the router sees them. With push enabled, the server hands every
// WebSocket upgrade of /v1/live and every GET of /v1/live/sse to api::LiveStreamHandler before
// routing; what is left here are refusals with the usual error body.
#include "api/handlers/handlers.hpp"

namespace lastmile::api::handlers {

Result<Reply> live_without_upgrade(const Services&, RequestContext&) {
  return core::Error::invalid_field(
      "Upgrade", "GET /v1/live is a WebSocket: send 'Connection: Upgrade' and 'Upgrade: websocket' "
                 "(or use GET /v1/live/sse for Server-Sent Events)");
}

Result<Reply> live_sse_unavailable(const Services&, RequestContext&) {
  return core::Error{core::ErrorCode::kUnavailable, "live updates are not enabled on this server", ""};
}

}  // namespace lastmile::api::handlers
