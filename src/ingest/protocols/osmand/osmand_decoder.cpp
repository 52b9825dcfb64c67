#include "ingest/protocols/osmand/osmand_decoder.hpp"

#include <limits>

#include "core/json_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace lastmile::ingest::osmand {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;
using core::Timestamp;

namespace {

constexpr double kMpsPerKnot = 0.514444;
constexpr double kSecondsLimit = 2147483648.0;  // 2^31: below it a numeric timestamp is seconds
constexpr double kMillisLimit = 1e15;           // ~ year 33658; keeps the int64 conversion defined

// ---- shared helpers -------------------------------------------------------------------------

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// "application/json; charset=utf-8" → "application/json" (surrounding spaces trimmed).
std::string_view media_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return t;
}

Error invalid(std::string_view field, std::string_view what) {
  return Error::invalid_field(std::string(field),
                              "field '" + std::string(field) + "' must be " + std::string(what));
}

Error too_large(std::string what) { return Error{ErrorCode::kTooLarge, std::move(what), ""}; }

// A finite decimal number, the whole text; nullopt otherwise ("", "abc", "1e999", "nan", "inf").
std::optional<double> parse_number(std::string_view text) {
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// Shortest text that reads back as `d` (attributes are kept as text).
std::string number_text(double d) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  return ec == std::errc{} ? std::string(buf.data(), end) : std::string();
}

// ---- form variant ---------------------------------------------------------------------------

struct Param {
  std::string key;
  std::string value;
};

// Appends the decoded parameters of `text` to `out`. `where` names the source in errors.
Status collect_params(std::string_view text, std::string_view where, std::vector<Param>& out) {
  if (text.empty()) return {};
  // parse_query may read its input up to a NUL (strlen inside the library; boostorg/url#946): give
  // it a NUL-terminated copy, alive while the parsed view is used.
  const std::string terminated(text);
  auto parsed = boost::urls::parse_query(terminated);
  if (!parsed) return invalid(where, "valid URL-encoded parameters");
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto p : *parsed) {
    if (p.key.empty() && !p.has_value) continue;  // "a=1&&b=2"
    if (out.size() >= kMaxParams)
      return too_large("more than " + std::to_string(kMaxParams) + " parameters");
    out.push_back({p.key.decode(opts), p.has_value ? p.value.decode(opts) : std::string()});
  }
  return {};
}

Result<double> form_number(const Param& p) {
  auto d = parse_number(p.value);
  if (!d) return invalid(p.key, "a finite number");
  return *d;
}

Result<bool> form_bool(const Param& p) {
  if (iequals(p.value, "true") || p.value == "1") return true;
  if (iequals(p.value, "false") || p.value == "0") return false;
  return invalid(p.key, "true, false, 1 or 0");
}

// Seconds below 2^31, else milliseconds; 'T' → ISO 8601; else "yyyy-MM-dd HH:mm:ss" UTC.
Result<Timestamp> form_timestamp(std::string_view text) {
  if (auto d = parse_number(text)) {
    double abs = std::fabs(*d);
    if (abs < kSecondsLimit) return Timestamp{static_cast<int64_t>(std::llround(*d * 1000.0))};
    if (abs < kMillisLimit) return Timestamp{static_cast<int64_t>(std::llround(*d))};
    return invalid("timestamp", "a time in seconds or milliseconds since 1970");
  }
  bool iso = text.find('T') != std::string_view::npos;
  // Without 'T' the only accepted form is exactly "yyyy-MM-dd HH:mm:ss" (no zone: UTC).
  if (!iso && (text.size() != 19 || text[10] != ' '))
    return invalid("timestamp", "a number, ISO 8601 or 'yyyy-MM-dd HH:mm:ss'");
  auto t = core::parse_iso8601(text);
  if (!t) return invalid("timestamp", "a number, ISO 8601 or 'yyyy-MM-dd HH:mm:ss'");
  return *t;
}

Result<UnsafePing> decode_form(std::string_view query, std::string_view body, bool body_is_form,
                               Timestamp now, const Options& options) {
  std::vector<Param> params;
  if (Status s = collect_params(query, "query", params); !s) return s.error();
  if (body_is_form) {
    if (Status s = collect_params(body, "body", params); !s) return s.error();
  }

  UnsafePing ping;
  ping.t = now;
  std::optional<double> lat, lon;
  for (const Param& p : params) {
    const std::string& k = p.key;
    auto number_into = [&](std::optional<double>& slot) -> Status {
      auto d = form_number(p);
      if (!d) return d.error();
      slot = *d;
      return {};
    };
    auto bool_into = [&](std::optional<bool>& slot) -> Status {
      auto b = form_bool(p);
      if (!b) return b.error();
      slot = *b;
      return {};
    };
    Status s;
    if (k == "id" || k == "deviceid") {
      ping.device_id = p.value;
    } else if (k == "token") {
      ping.device_secret = p.value;
    } else if (k == "lat") {
      s = number_into(lat);
    } else if (k == "lon") {
      s = number_into(lon);
    } else if (k == "location") {
      size_t comma = p.value.find(',');
      auto la = comma == std::string::npos ? std::nullopt : parse_number(std::string_view(p.value).substr(0, comma));
      auto lo = comma == std::string::npos ? std::nullopt : parse_number(std::string_view(p.value).substr(comma + 1));
      if (!la || !lo) return invalid("location", "'<lat>,<lon>' with finite numbers");
      lat = la, lon = lo;
    } else if (k == "timestamp") {
      auto t = form_timestamp(p.value);
      if (!t) return t.error();
      ping.t = *t;
    } else if (k == "speed") {
      s = number_into(ping.speed_mps);
      if (s && options.speed_in_knots) *ping.speed_mps *= kMpsPerKnot;
    } else if (k == "bearing" || k == "heading") {
      s = number_into(ping.heading_deg);
    } else if (k == "altitude") {
      s = number_into(ping.altitude_m);
    } else if (k == "accuracy") {
      s = number_into(ping.accuracy_m);
    } else if (k == "batt") {
      s = number_into(ping.battery_pct);
    } else if (k == "charge") {
      s = bool_into(ping.charging);
    } else if (k == "valid") {
      s = bool_into(ping.valid);
    } else {
      ping.attributes.emplace_back(p.key, p.value);
    }
    if (!s) return s.error();
  }
  if (ping.device_id.empty()) return Error::missing_field("id");
  if (!lat) return Error::missing_field("lat");
  if (!lon) return Error::missing_field("lon");
  ping.position = {*lat, *lon};
  return ping;
}

// ---- JSON variant ---------------------------------------------------------------------------

// JSON numbers with no range of their own: only finiteness is checked here (NaN/Inf never leave).
constexpr double kAnyFinite = std::numeric_limits<double>::max();
// A number where a negative value means "unknown" (the app sends -1): absent.
std::optional<double> known_number(core::JsonReader& r, std::string_view key) {
  auto d = r.number(key, -kAnyFinite, kAnyFinite);
  return d && *d >= 0 ? d : std::nullopt;
}

Result<UnsafePing> decode_json(std::string_view body, Timestamp now) {
  auto root = core::parse_json(body);
  if (!root) return root.error();
  if (!root->is_object()) return Error{ErrorCode::kInvalidJson, "body must be a JSON object", ""};

  UnsafePing ping;
  ping.t = now;
  core::JsonReader top(root->as_object());
  ping.device_id = top.string("device_id", {.required = true, .max_len = kMaxBytes});  // empty: kInvalidField
  const json::object* location = top.object("location", true);
  if (top.error()) return *top.error();

  core::JsonReader loc(*location, "location");
  auto timestamp = loc.optional_string("timestamp", kMaxBytes);
  const json::object* coords = loc.object("coords", true);
  if (loc.error()) return *loc.error();
  if (timestamp) {
    auto t = core::parse_iso8601(*timestamp);
    if (!t) return invalid("location.timestamp", "an ISO 8601 time");
    ping.t = *t;
  }

  core::JsonReader c(*coords, "location.coords");
  auto lat = c.number("latitude", -kAnyFinite, kAnyFinite, true);
  auto lon = c.number("longitude", -kAnyFinite, kAnyFinite, true);
  ping.accuracy_m = known_number(c, "accuracy");
  ping.speed_mps = known_number(c, "speed");
  ping.heading_deg = known_number(c, "heading");
  ping.altitude_m = c.number("altitude", -kAnyFinite, kAnyFinite);
  if (c.error()) return *c.error();
  ping.position = {*lat, *lon};

  auto is_moving = loc.boolean("is_moving");
  auto odometer = loc.number("odometer", -kAnyFinite, kAnyFinite);
  const json::object* battery = loc.object("battery");
  const json::object* activity = loc.object("activity");
  if (loc.error()) return *loc.error();
  if (is_moving) ping.attributes.emplace_back("is_moving", *is_moving ? "true" : "false");
  if (odometer) ping.attributes.emplace_back("odometer", number_text(*odometer));

  if (battery) {
    core::JsonReader b(*battery, "location.battery");
    auto level = known_number(b, "level");
    ping.charging = b.boolean("is_charging");
    if (b.error()) return *b.error();
    if (level) ping.battery_pct = *level * 100.0;
  }
  if (activity) {
    core::JsonReader a(*activity, "location.activity");
    auto type = a.optional_string("type", kMaxBytes);
    if (a.error()) return *a.error();
    if (type) ping.attributes.emplace_back("activity.type", std::move(*type));
  }
  return ping;
}

}  // namespace

Result<UnsafePing> decode(std::string_view query, std::string_view content_type, std::string_view body,
                          Timestamp now, const Options& options) {
  if (body.size() > kMaxBytes) return too_large("body is larger than " + std::to_string(kMaxBytes) + " bytes");
  if (query.size() > kMaxBytes) return too_large("query is larger than " + std::to_string(kMaxBytes) + " bytes");
  std::string_view type = media_type(content_type);
  if (iequals(type, "application/json")) return decode_json(body, now);
  return decode_form(query, body, iequals(type, "application/x-www-form-urlencoded"), now, options);
}

}  // namespace lastmile::ingest::osmand
