#pragma once
// GET /v1/live (WebSocket) and GET /v1/live/sse: who a request subscribes to, and what of the event
// log it may see. The transport lives in push/; the socket glue in api/live_stream.hpp.
//
//   ?token=<tracking token>   no credentials; one shipment; audience public
//   ?route=<route id>         tenant_admin, dispatcher, or the route's own driver; the route and
//                             the shipments on it when subscribing; audience staff
//   (neither)                 tenant_admin or dispatcher; the whole tenant; audience staff
//   ?after=<event id>         resume: replay events with a greater id first (SSE: the
//                             Last-Event-ID header, when present, wins over `after`)
//   ?access_token=<token>     credentials for clients that cannot set Authorization (browsers'
//                             WebSocket); the Authorization header wins when both are given
//
// Thread-safe: everything here may run on any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "api/context.hpp"
#include "push/live_message.hpp"

namespace lastmile::api {

struct LiveSubscription {
  push::Audience audience = push::Audience::kStaff;
  core::TenantId tenant;
  std::optional<core::RouteId> route;
  std::vector<core::ShipmentId> shipments;  // token: its shipment; route: those on it when subscribing
  std::optional<int64_t> after;             // the resume cursor
  std::string who;                          // for logs: "public" or the caller's role
};

// Resolves a live request. `sse` selects whether Last-Event-ID is read. Errors, in this order:
// kInvalidField ("token"/"route" both given, "after" or "Last-Event-ID" not an integer >= 0);
// kNotFound for an unknown tracking token; kUnauthenticated without valid credentials (token-less
// requests); kForbidden for a role that may not subscribe so (root, integration, carrier; a
// driver without `route`); kNotFound for a route that is not the tenant's or, for a driver, not
// its own; the store's errors.
core::Result<LiveSubscription> resolve_live_subscription(const Services& services, const Request& req, bool sse);

// The hub topics of a subscription: tenant:<id>, or route:<id> + shipment:<each>, or shipment:<id>.
std::vector<push::Topic> live_topics(const LiveSubscription& sub);

// Which stored events a subscription covers (for the replay; the hub matches live ones by topic).
class LiveEventFilter {
 public:
  explicit LiveEventFilter(const LiveSubscription& sub);
  bool covers(const domain::Event& e) const;
  const core::TenantId& tenant() const { return tenant_; }

 private:
  core::TenantId tenant_;
  bool whole_tenant_;
  bool public_only_;  // customers see milestone events only
  std::unordered_set<std::string> shipments_;
};

// One page of the replay: the covered events with global_seq > after, oldest first, as messages
// (api/live_messages.hpp: the same text as the live ones).
struct ReplayPage {
  std::vector<push::LiveMessagePtr> messages;
  int64_t last_read = 0;   // global_seq of the last event read (covered or not); `after` when none
  bool exhausted = false;  // fewer than `page_size` events were left
};
core::Result<ReplayPage> read_replay_page(storage::Store& store, const LiveEventFilter& filter, int64_t after,
                                          int page_size);

// The newest stored event's global_seq, 0 when there is none (a few indexed reads).
core::Result<int64_t> newest_event_seq(storage::Store& store);

}  // namespace lastmile::api
