#include "api/order_csv.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace lastmile::api {

namespace json = boost::json;
using C = OrderColumn;

namespace {

constexpr size_t kColumns = static_cast<size_t>(C::kCount);
constexpr std::array<std::string_view, kColumns> kNames = {
    "external_order_id", "carrier_id", "service_level", "recipient_name", "recipient_email", "recipient_phone",
    "recipient_time_zone", "address_line1", "address_line2", "city", "postal_code", "country", "lat", "lon",
    "window_start", "window_end", "parcels", "weight_kg", "notes", "gate_code", "safe_place"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<C> column_named(std::string_view raw) {
  std::string name(trim(raw));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name == "parcel_barcodes") return C::kParcels;
  if (name == "note") return C::kNotes;
  for (size_t i = 0; i < kColumns; ++i)
    if (kNames[i] == name) return static_cast<C>(i);
  return std::nullopt;
}

std::optional<double> to_number(std::string_view s) {
  s = trim(s);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The JSON path prefixes of the shipment object and their CSV columns.
constexpr std::pair<std::string_view, std::string_view> kPaths[] = {
    {"recipient.name", "recipient_name"},   {"recipient.email", "recipient_email"},
    {"recipient.phone", "recipient_phone"}, {"recipient.time_zone", "recipient_time_zone"},
    {"recipient", "recipient_name"},        {"address.line1", "address_line1"},
    {"address.line2", "address_line2"},     {"address.city", "city"},
    {"address.postal_code", "postal_code"}, {"address.country", "country"},
    {"address.lat", "lat"},                 {"address.lon", "lon"},
    {"address", "address_line1"},           {"promised.start", "window_start"},
    {"promised.end", "window_end"},         {"promised", "window_start"},
    {"instructions.note", "notes"},         {"instructions.gate_code", "gate_code"},
    {"instructions.safe_place", "safe_place"}};

}  // namespace

const std::array<std::string_view, kColumns>& order_column_names() { return kNames; }

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

std::string csv_column_of(std::string_view path) {
  if (path.substr(0, 7) == "parcels") {
    return path.find("weight_kg") != std::string_view::npos ? "weight_kg" : "parcels";
  }
  for (const auto& [prefix, column] : kPaths)
    if (path == prefix) return std::string(column);
  return std::string(path);
}

RowError row_error_of(const core::Error& e) {
  const std::string column = csv_column_of(e.field);
  std::string message = e.message;
  auto replace_all = [&](std::string_view from, std::string_view to) {
    for (size_t at = message.find(from); at != std::string::npos; at = message.find(from, at + to.size()))
      message.replace(at, from.size(), to);
  };
  if (!e.field.empty() && column != e.field) replace_all(e.field, column);
  for (const auto& [path, name] : kPaths)  // other fields the message names ("… after promised.start")
    if (path.find('.') != std::string_view::npos) replace_all(path, name);
  return RowError{column, std::string(core::code_name(e.code)), std::move(message)};
}

core::Result<OrderCsvColumns> OrderCsvColumns::from_header(const CsvRecord& header) {
  OrderCsvColumns cols;
  cols.position_.fill(-1);
  for (size_t i = 0; i < header.fields.size(); ++i) {
    auto col = column_named(header.fields[i]);
    if (!col) {
      std::string known;
      for (auto n : kNames) known += (known.empty() ? "" : ", ") + std::string(n);
      std::string shown(header.fields[i].substr(0, 64));
      if (!valid_utf8(shown)) shown = "(not UTF-8)";
      return core::Error::invalid_field("header", "unknown column '" + shown + "' (columns: " + known + ")");
    }
    auto& pos = cols.position_[static_cast<size_t>(*col)];
    if (pos >= 0)
      return core::Error::invalid_field("header", "column '" + std::string(kNames[static_cast<size_t>(*col)]) +
                                                      "' appears twice");
    pos = static_cast<int>(i);
    cols.index_.push_back(*col);
  }
  for (C required : {C::kRecipientName, C::kAddressLine1})
    if (cols.position_[static_cast<size_t>(required)] < 0)
      return core::Error{core::ErrorCode::kMissingField,
                         "the header has no column '" + std::string(kNames[static_cast<size_t>(required)]) + "'",
                         "header"};
  return cols;
}

std::string OrderCsvColumns::external_order_id(const CsvRecord& row) const {
  const int pos = position_[static_cast<size_t>(C::kExternalOrderId)];
  if (pos < 0 || static_cast<size_t>(pos) >= row.fields.size()) return {};
  std::string_view id = trim(row.fields[pos]).substr(0, 128);
  return valid_utf8(id) ? std::string(id) : std::string();
}

std::variant<ShipmentDraft, RowError> OrderCsvColumns::to_draft(const CsvRecord& row) const {
  if (!row.malformed.empty()) return RowError{"", "malformed_row", std::string(row.malformed)};
  if (row.fields.size() != index_.size())
    return RowError{"", "column_count",
                    "the row has " + std::to_string(row.fields.size()) + " fields, the header " +
                        std::to_string(index_.size())};
  std::array<std::string_view, kColumns> v{};
  for (size_t i = 0; i < index_.size(); ++i) {
    std::string_view f = trim(row.fields[i]);
    const auto col = static_cast<size_t>(index_[i]);
    if (!valid_utf8(f)) return RowError{std::string(kNames[col]), "invalid_encoding", "the value is not valid UTF-8"};
    v[col] = f;
  }
  auto get = [&](C c) { return v[static_cast<size_t>(c)]; };
  auto put = [](json::object& o, std::string_view key, std::string_view value) {
    if (!value.empty()) o[key] = value;
  };
  json::object o;
  put(o, "external_order_id", get(C::kExternalOrderId));
  put(o, "carrier_id", get(C::kCarrierId));
  put(o, "service_level", get(C::kServiceLevel));
  json::object recipient;
  put(recipient, "name", get(C::kRecipientName));
  put(recipient, "email", get(C::kRecipientEmail));
  put(recipient, "phone", get(C::kRecipientPhone));
  put(recipient, "time_zone", get(C::kRecipientTimeZone));
  o["recipient"] = std::move(recipient);
  json::object address;
  put(address, "line1", get(C::kAddressLine1));
  put(address, "line2", get(C::kAddressLine2));
  put(address, "city", get(C::kCity));
  put(address, "postal_code", get(C::kPostalCode));
  put(address, "country", get(C::kCountry));
  for (C c : {C::kLat, C::kLon}) {
    if (get(c).empty()) continue;
    auto n = to_number(get(c));
    const std::string name(kNames[static_cast<size_t>(c)]);
    if (!n) return RowError{name, "invalid_field", name + " must be a number"};
    address[name] = *n;
  }
  o["address"] = std::move(address);
  if (!get(C::kWindowStart).empty() || !get(C::kWindowEnd).empty()) {
    json::object promised;
    put(promised, "start", get(C::kWindowStart));
    put(promised, "end", get(C::kWindowEnd));
    o["promised"] = std::move(promised);
  }
  json::object instructions;
  put(instructions, "note", get(C::kNotes));
  put(instructions, "gate_code", get(C::kGateCode));
  put(instructions, "safe_place", get(C::kSafePlace));
  if (!instructions.empty()) o["instructions"] = std::move(instructions);

  // parcels: barcodes separated by '|'; weight_kg: the order's total, shared equally.
  json::array parcels;
  for (std::string_view rest = get(C::kParcels); !rest.empty();) {
    const size_t bar = rest.find('|');
    std::string_view code = trim(rest.substr(0, bar));
    if (!code.empty()) parcels.push_back(json::object{{"barcode", code}});
    rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
  }
  if (!get(C::kWeightKg).empty()) {
    auto w = to_number(get(C::kWeightKg));
    if (!w || *w < 0) return RowError{"weight_kg", "invalid_field", "weight_kg must be a number of kilograms, >= 0"};
    if (parcels.empty()) return RowError{"weight_kg", "invalid_field", "weight_kg needs at least one parcel barcode"};
    const double each = std::round(*w / static_cast<double>(parcels.size()) * 1000.0) / 1000.0;
    for (auto& p : parcels) p.as_object()["weight_kg"] = each;
  }
  if (!parcels.empty()) o["parcels"] = std::move(parcels);

  auto draft = parse_shipment_object(o);
  if (!draft) return row_error_of(draft.error());
  return std::move(*draft);
}

}  // namespace lastmile::api
