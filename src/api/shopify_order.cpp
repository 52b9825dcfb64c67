#include "api/shopify_order.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "core/json_reader.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::Error;

namespace {

constexpr size_t kMaxParcels = 100;

// A string member, "" when absent or null; kWrongType (recorded in `err`) for another type.
std::string text(const json::object& o, std::string_view key, const std::string& path,
                 std::optional<Error>& err) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return {};
  if (!it->value().is_string()) {
    if (!err) err = Error::wrong_type(path + std::string(key), "a string");
    return {};
  }
  return std::string(it->value().as_string());
}

// An id as decimal text: Shopify sends 64-bit integers (some clients quote them).
std::string id_text(const json::value* v) {
  if (!v) return {};
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_uint64()) return std::to_string(v->as_uint64());
  if (v->is_string()) return std::string(v->as_string());
  return {};
}

std::optional<double> number(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  const auto& v = it->value();
  if (v.is_number()) return v.to_number<double>();
  if (v.is_string()) {
    try {
      size_t used = 0;
      std::string s(v.as_string());
      double d = std::stod(s, &used);
      if (used == s.size() && std::isfinite(d)) return d;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

// At most `max` bytes of `s`, not cutting a UTF-8 sequence.
std::string clip(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

void put(json::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}

}  // namespace

core::Result<ShipmentDraft> map_shopify_order(std::string_view body) {
  auto parsed = core::parse_object(body);
  if (!parsed) return parsed.error();
  const json::object& order = *parsed;
  std::optional<Error> err;

  const std::string id = id_text(order.if_contains("id"));
  if (id.empty() || id.size() > 40) return Error::missing_field("id");
  const json::object* ship = nullptr;
  if (auto* v = order.if_contains("shipping_address"); v && v->is_object()) ship = &v->as_object();
  if (!ship) return Error::missing_field("shipping_address");

  json::object out;
  out["external_order_id"] = "shopify:" + id;

  json::object recipient;
  std::string name = text(*ship, "name", "shipping_address.", err);
  if (name.empty()) {
    name = text(*ship, "first_name", "shipping_address.", err);
    const std::string last = text(*ship, "last_name", "shipping_address.", err);
    if (!last.empty()) name += (name.empty() ? "" : " ") + last;
  }
  if (err) return *err;
  if (name.empty()) return Error::missing_field("shipping_address.name");
  recipient["name"] = clip(name, 200);
  put(recipient, "email", clip(text(order, "email", "", err), 254));
  std::string phone = text(*ship, "phone", "shipping_address.", err);
  if (phone.empty()) phone = text(order, "phone", "", err);
  put(recipient, "phone", clip(phone, 32));
  out["recipient"] = std::move(recipient);

  json::object address;
  const std::string line1 = text(*ship, "address1", "shipping_address.", err);
  if (line1.empty() && !err) return Error::missing_field("shipping_address.address1");
  put(address, "line1", clip(line1, 200));
  put(address, "line2", clip(text(*ship, "address2", "shipping_address.", err), 200));
  put(address, "city", clip(text(*ship, "city", "shipping_address.", err), 100));
  put(address, "postal_code", clip(text(*ship, "zip", "shipping_address.", err), 20));
  put(address, "country", text(*ship, "country_code", "shipping_address.", err));
  auto lat = number(*ship, "latitude");
  auto lon = number(*ship, "longitude");
  if (lat && lon) {  // Shopify geocodes most addresses; both or none
    address["lat"] = *lat;
    address["lon"] = *lon;
  }
  out["address"] = std::move(address);

  std::string note = "Shopify order " + clip(text(order, "name", "", err), 64);
  if (const std::string n = text(order, "note", "", err); !n.empty()) note += "\n" + n;
  out["instructions"] = json::object{{"note", clip(note, 1000)}};

  if (auto* lines = order.if_contains("shipping_lines"); lines && lines->is_array() && !lines->as_array().empty()) {
    const auto& first = lines->as_array()[0];
    if (first.is_object()) {
      std::string code = text(first.as_object(), "code", "shipping_lines[0].", err);
      if (code.empty()) code = text(first.as_object(), "title", "shipping_lines[0].", err);
      put(out, "service_level", clip(code, 32));
    }
  }

  json::array parcels;
  if (auto* items = order.if_contains("line_items"); items && items->is_array()) {
    const auto& arr = items->as_array();
    for (size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_object()) return Error::wrong_type("line_items[" + std::to_string(i) + "]", "an object");
      const auto& item = arr[i].as_object();
      if (auto* rs = item.if_contains("requires_shipping"); rs && rs->is_bool() && !rs->as_bool()) continue;
      if (parcels.size() >= kMaxParcels)
        return Error{core::ErrorCode::kTooLarge, "more than 100 shippable line items", "line_items"};
      const double quantity = std::clamp(number(item, "quantity").value_or(1), 1.0, 1e6);
      const double grams = std::clamp(number(item, "grams").value_or(0), 0.0, 1e7);
      const double kg = std::round(grams * quantity) / 1000.0;
      const std::string title = text(item, "title", "line_items[" + std::to_string(i) + "].", err);
      json::object p{{"barcode", id + "-" + std::to_string(parcels.size() + 1)},
                     {"weight_kg", std::min(kg, 10000.0)}};
      put(p, "description", clip(std::to_string(static_cast<long long>(quantity)) + " x " + title, 200));
      parcels.push_back(std::move(p));
    }
  }
  if (!parcels.empty()) out["parcels"] = std::move(parcels);
  if (err) return *err;
  return parse_shipment_object(out);
}

}  // namespace lastmile::api
