// Chain of custody: parcel scans (POST /v1/scans) and a shipment's custody log
// (GET /v1/shipments/{id}/custody). See docs/chain-of-custody.md.
#include <boost/json.hpp>

#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shipment_access.hpp"
#include "api/json_io.hpp"
#include "api/scan_parser.hpp"
#include "core/crypto.hpp"
#include "core/new_id.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr int64_t kMaxFutureSkewMs = 10 * 60 * 1000;

json::object scan_json(const domain::Scan& s) {
  json::array warnings;
  for (auto w : s.warnings)
    warnings.push_back(json::object{{"code", domain::scan_warning_name(w)}, {"message", domain::scan_warning_message(w)}});
  json::value location = nullptr;
  if (s.location) {
    json::object l{{"lat", s.location->lat()}, {"lon", s.location->lon()}};
    l["accuracy"] = s.accuracy_m ? json::value(*s.accuracy_m) : json::value(nullptr);
    location = std::move(l);
  }
  return json::object{{"id", s.id},
                      {"barcode", s.barcode},
                      {"shipment_id", s.shipment_id.str()},
                      {"parcel_index", s.parcel_index},
                      {"kind", domain::scan_kind_name(s.kind)},
                      {"at", core::format_iso8601(s.at)},
                      {"recorded_at", core::format_iso8601(s.recorded_at)},
                      {"actor", s.actor},
                      {"driver_id", s.driver_id ? json::value(s.driver_id->str()) : json::value(nullptr)},
                      {"route_id", s.route_id ? json::value(s.route_id->str()) : json::value(nullptr)},
                      {"to_carrier_id", s.to_carrier_id ? json::value(s.to_carrier_id->str()) : json::value(nullptr)},
                      {"location", std::move(location)},
                      {"warnings", std::move(warnings)}};
}

// A replay of a stored scan: the first answer when the body is the same, 409 otherwise.
Result<Reply> replay(const storage::StoredScan& stored, const std::string& request_hash) {
  if (!core::constant_time_equal(stored.request_hash, request_hash))
    return Error{ErrorCode::kIdempotencyMismatch, "a different scan was already sent with this id", "id"};
  return json_reply(200, stored.response);
}

// Whether the shipment is on the scanning driver's route: the route named by the scan (which must be
// the driver's own), else the driver's route the shipment is on. nullopt: no check (office roles
// without route_id).
Result<std::optional<bool>> on_drivers_route(const Services& s, const RequestContext& ctx, const ScanDraft& d,
                                             const domain::Shipment& sh, std::optional<core::RouteId>& route_out) {
  using R = std::optional<bool>;
  if (d.route_id) {
    auto route = s.store.get_route(ctx.tenant(), core::RouteId(*d.route_id));
    if (!route || (ctx.role() == domain::Role::kDriver && route->driver_id != *ctx.principal->driver_id))
      return Error{ErrorCode::kNotFound, "route not found", "route_id"};
    if (ctx.role() == domain::Role::kCarrier) {  // a route of one of its own drivers only (issue 12)
      auto driver = s.store.get_driver(ctx.tenant(), route->driver_id);
      if (!driver || driver->carrier_id != ctx.principal->carrier_id)
        return Error{ErrorCode::kNotFound, "route not found", "route_id"};
    }
    route_out = route->id;
    return R(sh.route_id == route->id);
  }
  if (ctx.role() != domain::Role::kDriver) return R{};
  if (sh.route_id) {
    auto route = s.store.get_route(ctx.tenant(), *sh.route_id);
    if (!route) return route.error();
    if (route->driver_id == *ctx.principal->driver_id) {
      route_out = route->id;
      return R(true);
    }
  }
  auto active = s.store.active_route(ctx.tenant(), *ctx.principal->driver_id);
  if (!active) return active.error();
  if (*active) route_out = (*active)->id;
  return R(false);
}

domain::Event scan_event(const RequestContext& ctx, const domain::Scan& scan) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = scan.tenant_id;
  e.shipment_id = scan.shipment_id;
  e.type = "scan";
  e.at = scan.at;
  e.recorded_at = ctx.now;
  e.actor = ctx.actor();
  e.source = ctx.role() == domain::Role::kDriver ? "driver_app" : ctx.role() == domain::Role::kCarrier ? "carrier" : "api";
  e.location = scan.location;
  json::array warnings;
  for (auto w : scan.warnings) warnings.push_back(json::string(domain::scan_warning_name(w)));
  json::object payload{{"scan_id", scan.id},
                       {"barcode", scan.barcode},
                       {"parcel_index", scan.parcel_index},
                       {"kind", domain::scan_kind_name(scan.kind)},
                       {"warnings", std::move(warnings)}};
  if (scan.accuracy_m) payload["accuracy"] = *scan.accuracy_m;
  if (scan.route_id) payload["route_id"] = scan.route_id->str();
  if (scan.to_carrier_id) payload["to_carrier_id"] = scan.to_carrier_id->str();
  e.payload_json = to_json(payload);
  return e;
}

}  // namespace

Result<Reply> post_scan(const Services& s, RequestContext& ctx) {
  auto draft = parse_scan_create(ctx.req.body());
  if (!draft) return draft.error();
  if (draft->at.ms > ctx.now.ms + kMaxFutureSkewMs) return Error::invalid_field("at", "at is in the future");
  const std::string request_hash = core::sha256_hex(canonical_scan(*draft));

  auto seen = s.store.find_scan(ctx.tenant(), draft->id);
  if (!seen) return seen.error();
  if (*seen) return replay(**seen, request_hash);

  auto parcel = s.store.find_parcel_by_barcode(ctx.tenant(), draft->barcode);
  if (!parcel && parcel.error().code == ErrorCode::kNotFound)
    return Error{ErrorCode::kUnknownParcel, "no parcel has this barcode", "barcode"};
  if (!parcel) return parcel.error();
  // A driver may scan any parcel of its tenant (a wrong one earns a warning); a carrier only its own.
  auto sh = ctx.role() == domain::Role::kCarrier ? load_visible_shipment(s, ctx, parcel->shipment_id)
                                                 : s.store.get_shipment(ctx.tenant(), parcel->shipment_id);
  if (!sh && sh.error().code == ErrorCode::kNotFound)
    return Error{ErrorCode::kUnknownParcel, "no parcel has this barcode", "barcode"};
  if (!sh) return sh.error();

  domain::Scan scan;
  scan.id = draft->id;
  scan.tenant_id = ctx.tenant();
  scan.barcode = draft->barcode;
  scan.shipment_id = sh->id;
  scan.parcel_index = parcel->parcel_index;
  scan.kind = draft->kind;
  scan.at = draft->at;
  scan.recorded_at = ctx.now;
  scan.actor = ctx.actor();
  if (ctx.role() == domain::Role::kDriver) scan.driver_id = ctx.principal->driver_id;
  scan.location = draft->location;
  scan.accuracy_m = draft->accuracy_m;
  if (draft->to_carrier_id) {
    core::CarrierId carrier(*draft->to_carrier_id);
    if (!s.store.get_carrier(ctx.tenant(), carrier))
      return Error{ErrorCode::kNotFound, "carrier not found", "to_carrier_id"};
    scan.to_carrier_id = carrier;
  }
  auto on_route = on_drivers_route(s, ctx, *draft, *sh, scan.route_id);
  if (!on_route) return on_route.error();
  auto earlier = s.store.list_scans(ctx.tenant(), sh->id);
  if (!earlier) return earlier.error();
  std::vector<domain::ScanKind> kinds;
  for (const auto& e : *earlier)
    if (e.parcel_index == scan.parcel_index) kinds.push_back(e.kind);
  scan.warnings = domain::scan_warnings(scan.kind, kinds, *on_route);

  storage::StoredScan stored{scan, request_hash, to_json(scan_json(scan))};
  auto event = s.store.record_scan(stored, scan_event(ctx, scan));
  if (!event && event.error().code == ErrorCode::kIdempotencyConflict) {
    // A concurrent request with the same id won: answer as its replay.
    auto winner = s.store.find_scan(ctx.tenant(), draft->id);
    if (!winner) return winner.error();
    if (!*winner) return Error::internal();
    return replay(**winner, request_hash);
  }
  if (!event) return event.error();
  return json_reply(201, stored.response);
}

Result<Reply> get_custody(const Services& s, RequestContext& ctx) {
  const core::ShipmentId id(ctx.param(0));
  auto sh = load_visible_shipment(s, ctx, id);
  if (!sh) return sh.error();
  auto scans = s.store.list_scans(ctx.tenant(), id);
  if (!scans) return scans.error();
  json::array items;
  for (const auto& scan : *scans) items.push_back(scan_json(scan));
  return json_reply(200, to_json(json::object{{"shipment_id", id.str()}, {"items", std::move(items)}}));
}

}  // namespace lastmile::api::handlers
