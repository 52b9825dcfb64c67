#include "api/live_subscription.hpp"

#include <boost/url/parse.hpp>

#include <charconv>

#include "api/auth.hpp"
#include "api/live_messages.hpp"
#include "domain/tracking_number.hpp"

namespace lastmile::api {
namespace {

using core::Error;
using core::ErrorCode;


std::optional<std::string> query_value(const boost::urls::url_view& url, std::string_view key) {
  auto params = url.params();
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

core::Result<std::optional<int64_t>> cursor_from(std::optional<std::string_view> text, std::string_view field) {
  if (!text) return std::optional<int64_t>{};
  int64_t v = -1;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || end != text->data() + text->size() || v < 0)
    return Error::invalid_field(std::string(field), std::string(field) + " must be an event id (an integer >= 0)");
  return std::optional<int64_t>{v};
}

core::Result<Principal> authenticate_live(const Services& s, const Request& req, const boost::urls::url_view& url) {
  if (auto it = req.find(http::field::authorization); it != req.end())
    return authenticate(s.store, std::string_view(it->value()));
  if (auto token = query_value(url, "access_token")) return authenticate(s.store, "Bearer " + *token);
  return Error{ErrorCode::kUnauthenticated,
               "credentials required: Authorization: Bearer <token>, or ?access_token=<token>, or ?token=<tracking token>",
               ""};
}

Error forbidden(const Principal& p, std::string_view what) {
  return Error{ErrorCode::kForbidden,
               "role '" + std::string(domain::role_name(p.role)) + "' may not subscribe to " + std::string(what), ""};
}

}  // namespace

core::Result<LiveSubscription> resolve_live_subscription(const Services& s, const Request& req, bool sse) {
  const std::string target(req.target());  // NUL-terminated: see Router::dispatch
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return Error{ErrorCode::kInvalidField, "malformed request target", ""};
  const auto token = query_value(*url, "token");
  const auto route = query_value(*url, "route");
  if (token && route) return Error::invalid_field("token", "give either token or route, not both");

  LiveSubscription sub;
  auto after = cursor_from(query_value(*url, "after"), "after");
  if (!after) return after.error();
  sub.after = *after;
  if (auto it = req.find("Last-Event-ID"); sse && it != req.end()) {
    auto last = cursor_from(std::string_view(it->value()), "Last-Event-ID");
    if (!last) return last.error();
    sub.after = *last;
  }

  if (token) {
    if (!domain::is_plausible_tracking_token(*token)) return Error::not_found("tracking token");
    auto shipment = s.store.find_shipment_by_token(*token);
    if (!shipment) {
      if (shipment.error().code == ErrorCode::kNotFound) return Error::not_found("tracking token");
      return shipment.error();
    }
    sub.audience = push::Audience::kPublic;
    sub.tenant = shipment->tenant_id;
    sub.shipments.push_back(shipment->id);
    sub.who = "public";
    return sub;
  }

  auto principal = authenticate_live(s, req, *url);
  if (!principal) return principal.error();
  const auto role = principal->role;
  sub.who = std::string(domain::role_name(role));
  if (!principal->tenant_id) return forbidden(*principal, "live updates");
  sub.tenant = *principal->tenant_id;
  if (route) {
    if (role != domain::Role::kTenantAdmin && role != domain::Role::kDispatcher && role != domain::Role::kDriver)
      return forbidden(*principal, "a route");
    auto r = s.store.get_route(sub.tenant, core::RouteId(*route));
    if (!r) return r.error();
    if (role == domain::Role::kDriver && (!principal->driver_id || r->driver_id != *principal->driver_id))
      return Error::not_found("route");
    sub.route = r->id;
    for (const auto& stop : r->stops)
      for (const auto& id : stop.shipment_ids) sub.shipments.push_back(id);
    return sub;
  }
  if (role != domain::Role::kTenantAdmin && role != domain::Role::kDispatcher)
    return forbidden(*principal, "the whole tenant (subscribe by route)");
  return sub;
}

std::vector<push::Topic> live_topics(const LiveSubscription& sub) {
  std::vector<push::Topic> topics;
  if (sub.route) {
    topics.push_back(push::Topic::route(*sub.route));
  } else if (sub.shipments.empty()) {
    topics.push_back(push::Topic::tenant(sub.tenant));
  }
  for (const auto& id : sub.shipments) topics.push_back(push::Topic::shipment(id));
  return topics;
}

LiveEventFilter::LiveEventFilter(const LiveSubscription& sub)
    : tenant_(sub.tenant),
      whole_tenant_(!sub.route && sub.shipments.empty()),
      public_only_(sub.audience == push::Audience::kPublic) {
  for (const auto& id : sub.shipments) shipments_.insert(id.str());
}

bool LiveEventFilter::covers(const domain::Event& e) const {
  if (e.tenant_id != tenant_) return false;
  if (public_only_ && !e.milestone) return false;
  return whole_tenant_ || shipments_.contains(e.shipment_id.str());
}

core::Result<ReplayPage> read_replay_page(storage::Store& store, const LiveEventFilter& filter, int64_t after,
                                          int page_size) {
  auto events = store.tenant_events_after(filter.tenant(), after, page_size);
  if (!events) return events.error();
  ReplayPage page;
  page.last_read = after;
  page.exhausted = static_cast<int>(events->size()) < page_size;
  for (const auto& e : *events) {
    page.last_read = e.global_seq;
    if (filter.covers(e)) page.messages.push_back(std::make_shared<const push::LiveMessage>(live_event_message(e)));
  }
  return page;
}

core::Result<int64_t> newest_event_seq(storage::Store& store) {
  // Invariant: an event exists with global_seq > lo, none with global_seq > hi.
  auto exists_after = [&store](int64_t seq) -> core::Result<bool> {
    auto e = store.events_after(seq, 1);
    if (!e) return e.error();
    return !e->empty();
  };
  auto any = exists_after(0);
  if (!any) return any.error();
  if (!*any) return int64_t{0};
  int64_t lo = 0;
  int64_t hi = 1;
  for (;;) {
    auto more = exists_after(hi);
    if (!more) return more.error();
    if (!*more) break;
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    auto more = exists_after(mid);
    if (!more) return more.error();
    (*more ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace lastmile::api
