#include "api/scan_parser.hpp"

#include <boost/json.hpp>

#include <cctype>

#include "api/json_io.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::Error;

namespace {

bool valid_scan_id(std::string_view id) {
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':') return false;
  return !id.empty();
}

bool printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

core::Result<ScanDraft> parse_scan_create(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj) return obj.error();
  JsonReader r(*obj);
  ScanDraft d;
  d.id = r.string("id", {.required = true, .max_len = domain::kMaxScanIdChars});
  d.barcode = r.string("barcode", {.required = true, .max_len = domain::kMaxBarcodeChars});
  auto kind = r.string("kind", {.required = true, .max_len = 40});
  auto at = r.timestamp("at", true);
  d.location = r.lat_lon();
  d.accuracy_m = r.number("accuracy", 0, 100'000);
  d.route_id = r.optional_string("route_id", 64);
  d.to_carrier_id = r.optional_string("to_carrier_id", 64);
  if (r.error()) return *r.error();
  if (!valid_scan_id(d.id))
    return Error::invalid_field("id", "id may contain letters, digits, '-', '_', '.' and ':' only");
  if (!printable(d.barcode)) return Error::invalid_field("barcode", "barcode has control characters");
  auto k = domain::parse_scan_kind(kind);
  if (!k)
    return Error::invalid_field("kind", "kind must be dc_processed, loaded, handoff, delivered or returned");
  d.kind = *k;
  d.at = *at;
  if (d.kind == domain::ScanKind::kHandoff && !d.to_carrier_id) return Error::missing_field("to_carrier_id");
  if (d.kind != domain::ScanKind::kHandoff && d.to_carrier_id)
    return Error::invalid_field("to_carrier_id", "to_carrier_id is for handoff scans only");
  return d;
}

std::string canonical_scan(const ScanDraft& d) {
  json::object o;
  o["id"] = d.id;
  o["barcode"] = d.barcode;
  o["kind"] = domain::scan_kind_name(d.kind);
  o["at"] = d.at.ms;
  if (d.location) {
    o["lat"] = d.location->lat();
    o["lon"] = d.location->lon();
  }
  if (d.accuracy_m) o["accuracy"] = *d.accuracy_m;
  if (d.route_id) o["route_id"] = *d.route_id;
  if (d.to_carrier_id) o["to_carrier_id"] = *d.to_carrier_id;
  return json::serialize(o);
}

}  // namespace lastmile::api
