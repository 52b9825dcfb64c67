#include "api/shipment_parser.hpp"

#include <boost/json.hpp>

#include "api/json_io.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

constexpr size_t kMaxParcels = 100;

void read_recipient(JsonReader& top, domain::Recipient& out) {
  const json::object* o = top.object("recipient", true);
  if (!o) return;
  JsonReader r(*o, "recipient");
  out.name = r.string("name", {.required = true, .max_len = 200});
  out.phone = r.string("phone", {.max_len = 32});
  out.email = r.string("email", {.max_len = 254});
  out.time_zone = r.string("time_zone", {.max_len = 64});
  if (r.error()) return top.fail(*r.error());
  if (!out.email.empty() && out.email.find('@') == std::string::npos)
    top.fail(Error::invalid_field("recipient.email", "recipient.email is not an email address"));
}

void read_address(JsonReader& top, domain::Address& out) {
  const json::object* o = top.object("address", true);
  if (!o) return;
  JsonReader r(*o, "address");
  out.line1 = r.string("line1", {.required = true, .max_len = 200});
  out.line2 = r.string("line2", {.max_len = 200});
  out.city = r.string("city", {.max_len = 100});
  out.postal_code = r.string("postal_code", {.max_len = 20});
  out.country = r.string("country", {.max_len = 2});
  out.location = r.lat_lon();
  if (r.error()) return top.fail(*r.error());
  if (!out.country.empty() && (out.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(out.country[0])) ||
                               !std::isalpha(static_cast<unsigned char>(out.country[1]))))
    top.fail(Error::invalid_field("address.country", "address.country must be an ISO 3166-1 alpha-2 code"));
}

void read_instructions(JsonReader& top, domain::Instructions& out) {
  const json::object* o = top.object("instructions");
  if (!o) return;
  JsonReader r(*o, "instructions");
  out.gate_code = r.string("gate_code", {.max_len = 50});
  out.safe_place = r.string("safe_place", {.max_len = 200});
  out.note = r.string("note", {.max_len = 1000});
  if (r.error()) top.fail(*r.error());
}

void read_promised(JsonReader& top, std::optional<domain::TimeWindow>& out) {
  const json::object* o = top.object("promised");
  if (!o) return;
  JsonReader r(*o, "promised");
  auto start = r.timestamp("start", true);
  auto end = r.timestamp("end", true);
  if (r.error()) return top.fail(*r.error());
  if (end->ms <= start->ms)
    return top.fail(Error::invalid_field("promised.end", "promised.end must be after promised.start"));
  out = domain::TimeWindow{*start, *end};
}

void read_parcels(JsonReader& top, std::vector<domain::Parcel>& out) {
  const json::array* a = top.array("parcels", kMaxParcels);
  if (!a) return;
  for (size_t i = 0; i < a->size(); ++i) {
    std::string path = "parcels[" + std::to_string(i) + "]";
    if (!(*a)[i].is_object()) return top.fail(Error::wrong_type(path, "an object"));
    JsonReader r((*a)[i].as_object(), path);
    domain::Parcel p;
    p.barcode = r.string("barcode", {.required = true, .max_len = 64});
    p.weight_kg = r.number("weight_kg", 0, 10000).value_or(0);
    p.description = r.string("description", {.max_len = 200});
    if (r.error()) return top.fail(*r.error());
    out.push_back(std::move(p));
  }
}

}  // namespace

core::Result<ShipmentDraft> parse_shipment_create(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj) return obj.error();
  return parse_shipment_object(*obj);
}

core::Result<ShipmentDraft> parse_shipment_object(const json::object& obj) {
  JsonReader r(obj);
  ShipmentDraft d;
  auto& s = d.shipment;
  s.external_order_id = r.string("external_order_id", {.max_len = 128});
  d.carrier_id = r.optional_string("carrier_id", 64);
  s.service_level = r.string("service_level", {.max_len = 32});
  read_recipient(r, s.recipient);
  read_address(r, s.address);
  read_instructions(r, s.instructions);
  read_promised(r, s.promised);
  read_parcels(r, s.parcels);
  if (r.error()) return *r.error();
  if (s.service_level.empty()) s.service_level = "standard";
  return d;
}

core::Result<EventDraft> parse_event_create(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj) return obj.error();
  JsonReader r(*obj);
  EventDraft d;
  auto type = r.string("type", {.required = true, .max_len = 40});
  d.at = r.timestamp("at");
  d.location = r.lat_lon();
  d.note = r.string("note", {.max_len = 1000});
  d.reason = r.string("reason", {.max_len = 200});
  if (r.error()) return *r.error();
  auto m = domain::parse_milestone(type);
  if (!m || *m == domain::Milestone::kCreated)
    return Error::invalid_field("type", "type '" + type +
                                            "' is not a milestone (processed, shipped, out_for_delivery, arriving, "
                                            "delivered, attempt_failed, exception, returned, cancelled, "
                                            "available_for_pickup)");
  d.milestone = *m;
  return d;
}

}  // namespace lastmile::api
