#include "api/carrier_events_parser.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "api/json_io.hpp"
#include "domain/chat.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::Error;
using domain::CarrierEventInput;

namespace {

bool id_ok(std::string_view id) {
  if (id.empty() || id.size() > domain::kMaxCarrierEventIdLen) return false;
  for (unsigned char c : id)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

// The checks every event passes, whichever format it came in. `path` prefixes field names.
core::Status check_event(CarrierEventInput& e, const std::string& path) {
  if (!id_ok(e.event_id))
    return Error::invalid_field(path + "event_id", "event_id is 1–128 printable characters without spaces");
  if (e.code.empty()) return Error::missing_field(path + "code");
  if (e.code.size() > domain::kMaxCarrierCodeLen || !id_ok(e.code))
    return Error::invalid_field(path + "code", "code is 1–64 printable characters without spaces");
  if (e.tracking_number.empty() && e.order_id.empty())
    return Error::missing_field(path + "tracking_number");
  if (e.tracking_number.size() > 64 || e.order_id.size() > 128)
    return Error::invalid_field(path + (e.tracking_number.size() > 64 ? "tracking_number" : "order_id"), "too long");
  auto text = domain::validate_text(e.description, 500, path + "description", false);
  if (!text) return text.error();
  e.description = std::move(*text);
  return {};
}

std::variant<CarrierEventInput, Error> event_from_json(const json::value& v, size_t i) {
  const std::string path = "events[" + std::to_string(i) + "].";
  if (!v.is_object()) return Error{core::ErrorCode::kWrongType, "each event is an object", path.substr(0, path.size() - 1)};
  core::JsonReader r(v.get_object(), path.substr(0, path.size() - 1));
  CarrierEventInput e;
  e.event_id = r.string("event_id", {.required = true, .max_len = domain::kMaxCarrierEventIdLen});
  e.tracking_number = r.string("tracking_number", {.max_len = 64});
  e.order_id = r.string("order_id", {.max_len = 128});
  e.code = r.string("code", {.required = true, .max_len = domain::kMaxCarrierCodeLen});
  auto at = r.timestamp("occurred_at", true);
  e.location = r.lat_lon();
  e.description = r.string("description", {.max_len = 2000});
  if (r.error()) return *r.error();
  e.occurred_at = *at;
  if (auto st = check_event(e, path); !st) return st.error();
  return e;
}

// ---- CSV ----------------------------------------------------------------------------------------

// Splits RFC 4180 records. Returns the records (each a list of fields, with the 1-based line where
// it starts) or an error for an unterminated quote.
struct Record {
  size_t line = 0;
  std::vector<std::string> fields;
};

core::Result<std::vector<Record>> split_csv(std::string_view text, size_t max_records) {
  std::vector<Record> out;
  Record cur;
  std::string field;
  bool quoted = false, field_started = false;
  size_t line = 1;
  cur.line = 1;
  auto end_field = [&] {
    cur.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&]() -> core::Status {
    end_field();
    const bool blank = cur.fields.size() == 1 && cur.fields[0].empty();
    if (!blank) {
      if (out.size() >= max_records)
        return Error{core::ErrorCode::kTooLarge,
                     "at most " + std::to_string(max_records - 1) + " rows per upload", "body"};
      out.push_back(std::move(cur));
    }
    cur = Record{};
    cur.line = line;
    return {};
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started && field.empty()) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      if (auto st = end_record(); !st) return st.error();
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) return Error::invalid_field("body", "a quoted field is not closed (from line " + std::to_string(cur.line) + ")");
  if (!field.empty() || !cur.fields.empty()) {
    if (auto st = end_record(); !st) return st.error();
  }
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::variant<CarrierEventInput, Error> event_from_row(const Record& rec, const std::map<std::string, size_t>& col,
                                                      size_t row) {
  const std::string path = "rows[" + std::to_string(row) + "].";
  auto get = [&](const char* name) -> std::string {
    auto it = col.find(name);
    return it == col.end() || it->second >= rec.fields.size() ? std::string() : trim(rec.fields[it->second]);
  };
  CarrierEventInput e;
  e.event_id = get("event_id");
  e.tracking_number = get("tracking_number");
  e.order_id = get("order_id");
  e.code = get("code");
  e.description = get("description");
  if (e.event_id.empty()) return Error::missing_field(path + "event_id");
  const std::string at = get("occurred_at");
  if (at.empty()) return Error::missing_field(path + "occurred_at");
  auto ts = core::parse_iso8601(at);
  if (!ts) return Error::invalid_field(path + "occurred_at", "occurred_at is not an ISO 8601 time: " + at.substr(0, 40));
  e.occurred_at = *ts;
  const std::string lat = get("lat"), lon = get("lon");
  if (!lat.empty() || !lon.empty()) {
    auto a = number(lat), o = number(lon);
    if (!a || !o) return Error::invalid_field(path + "lat", "lat and lon are numbers, both or neither");
    auto ll = core::LatLon::from_unsafe(core::UnsafeLatLon{*a, *o});
    if (!ll) return Error::invalid_field(path + "lat", "lat/lon out of range");
    e.location = *ll;
  }
  if (auto st = check_event(e, path); !st) return st.error();
  return e;
}

}  // namespace

core::Result<std::vector<CarrierEventItem>> parse_carrier_events_json(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj) return obj.error();
  core::JsonReader r(*obj);
  const json::array* events = r.array("events", domain::kMaxCarrierEventsPerRequest, true);
  if (r.error()) return *r.error();
  std::vector<CarrierEventItem> out;
  out.reserve(events->size());
  for (size_t i = 0; i < events->size(); ++i) out.push_back({i, event_from_json((*events)[i], i)});
  return out;
}

core::Result<std::vector<CarrierEventItem>> parse_carrier_events_csv(std::string_view body) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  auto records = split_csv(body, domain::kMaxCarrierEventsPerRequest + 1);
  if (!records) return records.error();
  if (records->empty()) return Error::missing_field("header");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < (*records)[0].fields.size(); ++i) col.emplace(lower(trim((*records)[0].fields[i])), i);
  for (const char* required : {"event_id", "code", "occurred_at"})
    if (!col.contains(required)) return Error::missing_field(std::string("header.") + required);
  if (!col.contains("tracking_number") && !col.contains("order_id")) return Error::missing_field("header.tracking_number");
  std::vector<CarrierEventItem> out;
  for (size_t i = 1; i < records->size(); ++i) out.push_back({i, event_from_row((*records)[i], col, i)});
  return out;
}

core::Result<std::vector<domain::CarrierCodeMapping>> parse_code_mappings(std::string_view body) {
  auto obj = parse_object(body);
  if (!obj) return obj.error();
  core::JsonReader r(*obj);
  const json::array* items = r.array("mappings", domain::kMaxCarrierMappings, true);
  if (r.error()) return *r.error();
  std::vector<domain::CarrierCodeMapping> out;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string path = "mappings[" + std::to_string(i) + "]";
    if (!(*items)[i].is_object()) return Error{core::ErrorCode::kWrongType, "each mapping is an object", path};
    core::JsonReader m((*items)[i].get_object(), path);
    domain::CarrierCodeMapping mapping;
    mapping.code = m.string("code", {.required = true, .max_len = domain::kMaxCarrierCodeLen});
    const std::string milestone = m.string("milestone", {.required = true, .max_len = 40});
    mapping.reason = m.string("reason", {.max_len = 64});
    mapping.description = m.string("description", {.max_len = 200});
    if (m.error()) return *m.error();
    auto ms = domain::parse_milestone(milestone);
    if (!ms) return Error::invalid_field(path + ".milestone", "unknown milestone '" + milestone + "'");
    mapping.milestone = *ms;
    out.push_back(std::move(mapping));
  }
  if (auto st = domain::validate_code_mappings(out); !st) return st.error();
  return out;
}

}  // namespace lastmile::api
