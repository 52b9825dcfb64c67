// Carriers with their own systems (docs/carriers.md): status events in their codes, the per-carrier
// mapping of those codes to our milestones, and the mapping tasks raised by codes not yet mapped.
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "api/carrier_events_parser.hpp"
#include "api/handlers/common.hpp"
#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "core/new_id.hpp"
#include "storage/carrier_event_store.hpp"

namespace lastmile::api::handlers {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using domain::CarrierEventOutcome;

namespace {

constexpr int kMaxCasRetries = 5;
constexpr int64_t kMaxFutureSkewMs = 10 * 60 * 1000;
constexpr int kReprocessBatch = 500;

using Mappings = std::map<std::string, domain::CarrierCodeMapping, std::less<>>;

// The carrier store, once the path's carrier is known to be the caller's: of its tenant, and for a
// carrier key its own.
Result<storage::CarrierEventStore*> carrier_store(const Services& s, const RequestContext& ctx) {
  if (ctx.role() == domain::Role::kCarrier && ctx.param(0) != ctx.principal->carrier_id->str())
    return Error::not_found("carrier");
  auto* c = s.store.carrier_events();
  if (!c) return Error{ErrorCode::kUnavailable, "carrier events are not available with this store", ""};
  // Before the body is read: another tenant's (or an unknown) carrier is 404 whatever is sent.
  if (auto carrier = s.store.get_carrier(ctx.tenant(), core::CarrierId(ctx.param(0))); !carrier)
    return carrier.error();
  return c;
}

Result<Mappings> load_mappings(storage::CarrierEventStore& store, const RequestContext& ctx) {
  auto list = store.list_code_mappings(ctx.tenant(), core::CarrierId(ctx.param(0)));
  if (!list) return list.error();
  Mappings out;
  for (auto& m : *list) out.emplace(m.code, std::move(m));
  return out;
}

// When the shipment's status last changed (the time its source reported), from its events; the
// epoch while it is only created (a carrier's scan may predate the order's entry here).
Result<core::Timestamp> status_since(const Services& s, const domain::Shipment& sh) {
  auto events = s.store.list_events(sh.tenant_id, sh.id);
  if (!events) return events.error();
  core::Timestamp at{0};
  for (const auto& e : *events)
    if (e.milestone && *e.milestone != domain::Milestone::kCreated && e.at.ms > at.ms) at = e.at;
  return at;
}

domain::Event milestone_event(const RequestContext& ctx, const domain::Shipment& sh,
                              const storage::CarrierEventRecord& rec, const domain::CarrierCodeMapping& m) {
  domain::Event e;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = sh.tenant_id;
  e.shipment_id = sh.id;
  e.type = std::string(domain::milestone_name(m.milestone));
  e.milestone = m.milestone;
  e.at = rec.input.occurred_at;
  e.recorded_at = ctx.now;
  e.actor = ctx.actor();
  e.source = "carrier:" + rec.carrier_id.str();
  e.location = rec.input.location;
  json::object payload{{"carrier_code", rec.input.code}, {"carrier_event_id", rec.input.event_id}};
  if (!m.reason.empty()) payload["reason"] = m.reason;
  if (!rec.input.description.empty()) payload["note"] = rec.input.description;
  e.payload_json = to_json(payload);
  return e;
}

// Decides a record against its shipment and keeps it (`resolve`: it is already kept, as unmapped).
// Retries the compare-and-set when the shipment moved meanwhile.
Result<storage::CarrierEventRecord> settle(const Services& s, const RequestContext& ctx,
                                           storage::CarrierEventStore& store, storage::CarrierEventRecord rec,
                                           const Mappings& mappings, bool resolve) {
  for (int attempt = 0; attempt < kMaxCasRetries; ++attempt) {
    std::optional<domain::Event> event;
    domain::Milestone expected = domain::Milestone::kCreated;
    auto sh = store.find_carrier_shipment(ctx.tenant(), rec.carrier_id, rec.input.tracking_number, rec.input.order_id);
    if (!sh && sh.error().code != ErrorCode::kNotFound) return sh.error();
    auto mapping = mappings.find(rec.input.code);
    if (!sh) {
      rec.shipment_id.reset();
      rec.outcome = CarrierEventOutcome::kUnknownShipment;
    } else if (rec.shipment_id = sh->id, mapping == mappings.end()) {
      rec.outcome = CarrierEventOutcome::kUnmapped;
    } else {
      auto since = status_since(s, *sh);
      if (!since) return since.error();
      const auto d = domain::decide_carrier_event(sh->status, *since, mapping->second, rec.input.occurred_at);
      rec.outcome = d.outcome;
      rec.why = d.why;
      expected = sh->status;
      if (d.outcome == CarrierEventOutcome::kApplied) event = milestone_event(ctx, *sh, rec, mapping->second);
    }
    if (resolve && rec.outcome == CarrierEventOutcome::kUnmapped) return rec;  // still unmapped: nothing to write
    auto kept = resolve ? store.resolve_carrier_event(rec, event, expected)
                        : store.record_carrier_event(rec, event, expected);
    if (!kept && kept.error().code == ErrorCode::kConflict) continue;
    return kept;
  }
  return Error{ErrorCode::kConflict, "the shipment is being changed concurrently; retry", ""};
}

json::object result_json(size_t index, const storage::CarrierEventRecord& r, const Mappings& mappings) {
  json::object o{{"index", index},
                 {"event_id", r.input.event_id},
                 {"outcome", domain::carrier_event_outcome_name(r.outcome)}};
  if (!r.why.empty()) o["why"] = r.why;
  if (r.shipment_id) o["shipment_id"] = r.shipment_id->str();
  if (auto m = mappings.find(r.input.code); m != mappings.end() && r.outcome != CarrierEventOutcome::kUnknownShipment)
    o["milestone"] = domain::milestone_name(m->second.milestone);
  if (r.event_id) o["shipment_event_id"] = r.event_id->str();
  return o;
}

json::object record_json(const storage::CarrierEventRecord& r) {
  json::object o{{"seq", r.seq},
                 {"event_id", r.input.event_id},
                 {"code", r.input.code},
                 {"occurred_at", core::format_iso8601(r.input.occurred_at)},
                 {"received_at", core::format_iso8601(r.received_at)},
                 {"outcome", domain::carrier_event_outcome_name(r.outcome)}};
  if (!r.input.tracking_number.empty()) o["tracking_number"] = r.input.tracking_number;
  if (!r.input.order_id.empty()) o["order_id"] = r.input.order_id;
  if (!r.why.empty()) o["why"] = r.why;
  if (r.shipment_id) o["shipment_id"] = r.shipment_id->str();
  if (r.event_id) o["shipment_event_id"] = r.event_id->str();
  if (!r.input.description.empty()) o["description"] = r.input.description;
  if (r.input.location) o["location"] = json::object{{"lat", r.input.location->lat()}, {"lon", r.input.location->lon()}};
  return o;
}

json::object mapping_json(const domain::CarrierCodeMapping& m) {
  json::object o{{"code", m.code}, {"milestone", domain::milestone_name(m.milestone)}};
  if (!m.reason.empty()) o["reason"] = m.reason;
  if (!m.description.empty()) o["description"] = m.description;
  return o;
}

// Events kept unmapped whose codes are now mapped: decided again, oldest first.
Result<int> reprocess_unmapped(const Services& s, const RequestContext& ctx, storage::CarrierEventStore& store,
                               const Mappings& mappings) {
  auto waiting = store.list_carrier_events(ctx.tenant(), core::CarrierId(ctx.param(0)), std::nullopt,
                                           CarrierEventOutcome::kUnmapped, 0, kReprocessBatch);
  if (!waiting) return waiting.error();
  std::stable_sort(waiting->begin(), waiting->end(), [](const auto& a, const auto& b) {
    return a.input.occurred_at.ms != b.input.occurred_at.ms ? a.input.occurred_at.ms < b.input.occurred_at.ms
                                                            : a.seq < b.seq;
  });
  int done = 0;
  for (auto& rec : *waiting) {
    if (!mappings.contains(rec.input.code)) continue;
    auto settled = settle(s, ctx, store, std::move(rec), mappings, true);
    if (!settled) return settled.error();
    ++done;
  }
  return done;
}

}  // namespace

// POST /v1/carriers/{id}/events — JSON {"events":[…]} or text/csv.
Result<Reply> post_carrier_events(const Services& s, RequestContext& ctx) {
  auto store = carrier_store(s, ctx);
  if (!store) return store.error();
  const std::string type = media_type(ctx.header(http::field::content_type));
  const bool csv = type == "text/csv";
  if (!csv && !type.empty() && type != "application/json")
    return Error{ErrorCode::kUnsupportedMediaType, "send application/json or text/csv", ""};
  auto items = csv ? parse_carrier_events_csv(ctx.req.body()) : parse_carrier_events_json(ctx.req.body());
  if (!items) return items.error();
  auto mappings = load_mappings(**store, ctx);
  if (!mappings) return mappings.error();

  std::map<std::string, int> counts{{"applied", 0},          {"recorded", 0}, {"unmapped", 0},
                                    {"unknown_shipment", 0}, {"duplicate", 0}, {"invalid", 0}};
  json::array results;
  for (auto& item : *items) {
    if (auto* err = std::get_if<core::Error>(&item.value)) {
      ++counts["invalid"];
      results.push_back(json::object{{"index", item.index}, {"outcome", "invalid"},
                                     {"error", json::object{{"code", core::code_name(err->code)},
                                                            {"message", err->message}, {"field", err->field}}}});
      continue;
    }
    auto& input = std::get<domain::CarrierEventInput>(item.value);
    if (input.occurred_at.ms > ctx.now.ms + kMaxFutureSkewMs) {
      ++counts["invalid"];
      results.push_back(json::object{{"index", item.index}, {"event_id", input.event_id}, {"outcome", "invalid"},
                                     {"error", json::object{{"code", "invalid_field"},
                                                            {"message", "occurred_at is in the future"},
                                                            {"field", "occurred_at"}}}});
      continue;
    }
    storage::CarrierEventRecord rec;
    rec.tenant_id = ctx.tenant();
    rec.carrier_id = core::CarrierId(ctx.param(0));
    rec.input = std::move(input);
    rec.received_at = ctx.now;
    auto kept = settle(s, ctx, **store, std::move(rec), *mappings, false);
    if (!kept) return kept.error();  // the store failed: the events before were kept, a retry de-duplicates
    ++counts[std::string(domain::carrier_event_outcome_name(kept->outcome))];
    results.push_back(result_json(item.index, *kept, *mappings));
  }
  json::object count_json;
  for (const auto& [k, v] : counts) count_json[k] = v;
  return json_reply(200, to_json(json::object{{"received", items->size()}, {"counts", std::move(count_json)},
                                              {"results", std::move(results)}}));
}

// GET /v1/carriers/{id}/events?shipment_id=&outcome=&before=&limit=
Result<Reply> list_carrier_events(const Services& s, RequestContext& ctx) {
  auto store = carrier_store(s, ctx);
  if (!store) return store.error();
  std::optional<core::ShipmentId> shipment;
  if (auto v = ctx.query("shipment_id")) shipment = core::ShipmentId(*v);
  std::optional<CarrierEventOutcome> outcome;
  if (auto v = ctx.query("outcome")) {
    outcome = domain::parse_carrier_event_outcome(*v);
    if (!outcome || *outcome == CarrierEventOutcome::kDuplicate)
      return Error::invalid_field("outcome", "outcome is applied, recorded, unmapped or unknown_shipment");
  }
  auto page = page_request(ctx);
  if (!page) return page.error();
  auto rows = (*store)->list_carrier_events(ctx.tenant(), core::CarrierId(ctx.param(0)), shipment, outcome,
                                            page->before_seq.value_or(0), page->limit + 1);
  if (!rows) return rows.error();
  std::optional<int64_t> next;
  if (static_cast<int>(rows->size()) > page->limit) {
    rows->pop_back();
    next = rows->back().seq;
  }
  json::array items;
  for (const auto& r : *rows) items.push_back(record_json(r));
  return json_reply(200, page_body(std::move(items), next));
}

// GET /v1/carriers/{id}/code-mappings
Result<Reply> get_code_mappings(const Services& s, RequestContext& ctx) {
  auto store = carrier_store(s, ctx);
  if (!store) return store.error();
  auto mappings = (*store)->list_code_mappings(ctx.tenant(), core::CarrierId(ctx.param(0)));
  if (!mappings) return mappings.error();
  json::array items;
  for (const auto& m : *mappings) items.push_back(mapping_json(m));
  return json_reply(200, to_json(json::object{{"mappings", std::move(items)}}));
}

// PUT /v1/carriers/{id}/code-mappings — replaces the set, then decides the waiting unmapped events again.
Result<Reply> put_code_mappings(const Services& s, RequestContext& ctx) {
  auto store = carrier_store(s, ctx);
  if (!store) return store.error();
  auto parsed = parse_code_mappings(ctx.req.body());
  if (!parsed) return parsed.error();
  if (auto st = (*store)->put_code_mappings(ctx.tenant(), core::CarrierId(ctx.param(0)), *parsed, ctx.now); !st)
    return st.error();
  Mappings mappings;
  json::array items;
  for (const auto& m : *parsed) {
    items.push_back(mapping_json(m));
    mappings.emplace(m.code, m);
  }
  auto redone = reprocess_unmapped(s, ctx, **store, mappings);
  if (!redone) return redone.error();
  return json_reply(200, to_json(json::object{{"mappings", std::move(items)}, {"reprocessed", *redone}}));
}

// GET /v1/carriers/{id}/mapping-tasks
Result<Reply> list_mapping_tasks(const Services& s, RequestContext& ctx) {
  auto store = carrier_store(s, ctx);
  if (!store) return store.error();
  auto tasks = (*store)->list_mapping_tasks(ctx.tenant(), core::CarrierId(ctx.param(0)));
  if (!tasks) return tasks.error();
  json::array items;
  for (const auto& t : *tasks)
    items.push_back(json::object{{"code", t.code},
                                 {"events", t.events},
                                 {"first_seen", core::format_iso8601(t.first_seen)},
                                 {"last_seen", core::format_iso8601(t.last_seen)},
                                 {"sample_description", t.sample_description}});
  return json_reply(200, to_json(json::object{{"items", std::move(items)}}));
}

}  // namespace lastmile::api::handlers
