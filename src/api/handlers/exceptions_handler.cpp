// The dispatcher's exception queue (docs/api.md, "Exception queue"): list, read, acknowledge,
// resolve, add a note. Cases are opened and auto-resolved by events in the store; these routes are
// what people do with them. Carrier keys read the cases of their shipments and drivers only. Every
// change is pushed live to the tenant's staff.
#include <boost/json.hpp>

#include "api/exception_messages.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "core/json_reader.hpp"
#include "push/hub.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;

namespace {

// Characters (code points) of UTF-8 text: the bytes that do not continue a sequence.
size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// `note` of the body: at most kMaxExceptionNoteChars characters; required for a note alone.
Result<std::string> read_note(const json::object& body, bool required) {
  core::JsonReader r(body);
  auto note = r.string("note", {.required = required, .max_len = 4 * domain::kMaxExceptionNoteChars});
  if (r.error()) return *r.error();
  if (code_points(note) > domain::kMaxExceptionNoteChars)
    return Error::invalid_field("note", "field 'note' is longer than " +
                                            std::to_string(domain::kMaxExceptionNoteChars) + " characters");
  return note;
}

Result<storage::ExceptionFilter> exception_filter(const RequestContext& ctx) {
  storage::ExceptionFilter f;
  if (auto v = ctx.query("status")) {
    f.status = domain::parse_exception_status(*v);
    if (!f.status) return Error::invalid_field("status", "status must be open, acknowledged or resolved");
  }
  if (auto v = ctx.query("kind")) {
    f.kind = domain::parse_exception_kind(*v);
    if (!f.kind) {
      std::string names;
      for (auto k : domain::all_exception_kinds())
        names += (names.empty() ? "" : ", ") + std::string(domain::exception_kind_name(k));
      return Error::invalid_field("kind", "kind must be one of " + names);
    }
  }
  if (auto v = ctx.query("driver_id")) f.driver_id = core::DriverId(*v);
  if (auto v = ctx.query("shipment_id")) f.shipment_id = core::ShipmentId(*v);
  if (auto v = ctx.query("route_id")) f.route_id = core::RouteId(*v);
  if (ctx.role() == domain::Role::kCarrier) f.carrier_id = ctx.principal->carrier_id;
  return f;
}

// Whether a carrier key may read `c`: a shipment case of its shipment, a driver case of its driver.
// Office roles see every case of the tenant.
Result<bool> visible(const Services& s, const RequestContext& ctx, const domain::ExceptionCase& c) {
  if (ctx.role() != domain::Role::kCarrier) return true;
  std::optional<core::CarrierId> owner;
  if (domain::is_driver_exception(c.kind) && c.driver_id) {
    auto d = s.store.get_driver(ctx.tenant(), *c.driver_id);
    if (!d) return d.error();
    owner = d->carrier_id;
  } else if (c.shipment_id) {
    auto sh = s.store.get_shipment(ctx.tenant(), *c.shipment_id);
    if (!sh) return sh.error();
    owner = sh->carrier_id;
  }
  return owner && owner == ctx.principal->carrier_id;
}

// The body of a change of `kind`: `note` (required for a note alone), and for a resolution the
// optional `resolution` (handled, the default, or false_alarm).
Result<storage::ExceptionUpdate> read_update(const RequestContext& ctx, storage::ExceptionUpdate::Kind kind) {
  using Kind = storage::ExceptionUpdate::Kind;
  auto body = body_object(ctx);
  if (!body) return body.error();
  auto note = read_note(*body, kind == Kind::kNote);
  if (!note) return note.error();
  storage::ExceptionUpdate u;
  u.kind = kind;
  u.note = std::move(*note);
  if (kind != Kind::kResolve) return u;
  core::JsonReader r(*body);
  auto resolution = r.string("resolution", {.max_len = 40});
  if (r.error()) return *r.error();
  if (!resolution.empty()) {
    auto parsed = domain::parse_resolution(resolution);
    if (!parsed || *parsed == domain::Resolution::kAuto)
      return Error::invalid_field("resolution", "resolution must be handled or false_alarm");
    u.resolution = *parsed;
  }
  return u;
}

// Applies `update` (actor and time from the request) and answers with the case; pushes it live.
Result<Reply> change(const Services& s, RequestContext& ctx, storage::ExceptionUpdate update) {
  update.at = ctx.now;
  update.actor = ctx.actor();
  update.role = std::string(domain::role_name(ctx.role()));
  auto after = s.store.update_exception(ctx.tenant(), core::ExceptionId(ctx.param(0)), update);
  if (!after) return after.error();
  if (s.live_hub) s.live_hub->publish(live_exception_message(*after));
  return json_reply(200, to_json(exception_json(*after)));
}

}  // namespace

Result<Reply> list_exceptions(const Services& s, RequestContext& ctx) {
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto filter = exception_filter(ctx);
  if (!filter) return filter.error();
  auto res = s.store.list_exceptions(ctx.tenant(), *filter, *page);
  if (!res) return res.error();
  json::array items;
  for (const auto& c : res->items) items.push_back(exception_json(c));
  return json_reply(200, page_body(std::move(items), res->next_before));
}

Result<Reply> get_exception(const Services& s, RequestContext& ctx) {
  auto d = s.store.get_exception(ctx.tenant(), core::ExceptionId(ctx.param(0)));
  if (!d) return d.error();
  auto shown = visible(s, ctx, d->exception);
  if (!shown) return shown.error();
  if (!*shown) return Error::not_found("exception");
  return json_reply(200, to_json(exception_detail_json(*d)));
}

Result<Reply> acknowledge_exception(const Services& s, RequestContext& ctx) {
  auto u = read_update(ctx, storage::ExceptionUpdate::Kind::kAcknowledge);
  if (!u) return u.error();
  return change(s, ctx, std::move(*u));
}

Result<Reply> resolve_exception(const Services& s, RequestContext& ctx) {
  auto u = read_update(ctx, storage::ExceptionUpdate::Kind::kResolve);
  if (!u) return u.error();
  return change(s, ctx, std::move(*u));
}

Result<Reply> add_exception_note(const Services& s, RequestContext& ctx) {
  auto u = read_update(ctx, storage::ExceptionUpdate::Kind::kNote);
  if (!u) return u.error();
  return change(s, ctx, std::move(*u));
}

}  // namespace lastmile::api::handlers
