#include "api/settings_document.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <cmath>
#include <string>

#include "core/time.hpp"
#include "domain/branding.hpp"

namespace lastmile::api::settings {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;

namespace {

json::value int_or_null(const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object notifications_json(const notify::NotificationSettings& n) {
  json::object o = json::parse(notify::settings_json(n)).as_object();
  o.erase("version");    // the document's version covers it
  o.erase("variables");  // read-only help, not a setting
  return o;
}

bool is_hex_color(std::string_view s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (size_t i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// RFC 7386.
void merge_patch(json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object{};
  auto& t = target.as_object();
  for (const auto& [key, value] : patch.as_object()) {
    if (value.is_null()) {
      t.erase(key);
    } else {
      merge_patch(t[key], value);
    }
  }
}

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Every member of `doc` must exist at the same place in `reference` (the document of the defaults,
// which has every member). Objects in the reference are checked member by member.
core::Status check_members(const json::object& doc, const json::object& reference, const std::string& prefix) {
  for (const auto& [key, value] : doc) {
    const std::string path = join(prefix, key);
    const json::value* ref = reference.if_contains(key);
    if (!ref) return Error::invalid_field(path, "unknown setting '" + path + "'");
    if (ref->is_object() && value.is_object()) {
      if (auto st = check_members(value.as_object(), ref->as_object(), path); !st) return st;
    }
  }
  return {};
}

// Reads the typed members of the merged document; the first error wins.
class Reader {
 public:
  explicit Reader(const json::object& root) : root_(root) {}
  const std::optional<Error>& error() const { return error_; }

  // nullptr when absent (a removed member: its default applies).
  const json::value* at(std::string_view section, std::string_view key) {
    const json::value* s = root_.if_contains(section);
    if (!s || s->is_null()) return nullptr;
    if (!s->is_object()) {
      fail(Error::wrong_type(std::string(section), "an object"));
      return nullptr;
    }
    const json::value* v = s->as_object().if_contains(key);
    return v && !v->is_null() ? v : nullptr;
  }

  double number(std::string_view section, std::string_view key, double def, double min, double max) {
    const json::value* v = at(section, key);
    if (!v) return def;
    const std::string path = join(std::string(section), key);
    double d = 0;
    if (v->is_int64()) d = static_cast<double>(v->as_int64());
    else if (v->is_uint64()) d = static_cast<double>(v->as_uint64());
    else if (v->is_double()) d = v->as_double();
    else return fail(Error::wrong_type(path, "a number")), def;
    if (!std::isfinite(d) || d < min || d > max)
      return fail(Error::invalid_field(path, path + " must be between " + num(min) + " and " + num(max))), def;
    return d;
  }

  std::optional<int> integer(std::string_view section, std::string_view key, std::optional<int> def, int min, int max) {
    const json::value* v = at(section, key);
    if (!v) return def;
    const std::string path = join(std::string(section), key);
    if (!v->is_int64() && !v->is_uint64()) return fail(Error::wrong_type(path, "an integer or null")), def;
    const bool in_range = v->is_int64() ? v->as_int64() >= min && v->as_int64() <= max : v->as_uint64() <= uint64_t(max);
    if (!in_range)
      return fail(Error::invalid_field(path, path + " must be between " + std::to_string(min) + " and " +
                                                 std::to_string(max))),
             def;
    return static_cast<int>(v->is_int64() ? v->as_int64() : static_cast<int64_t>(v->as_uint64()));
  }

  bool boolean(std::string_view section, std::string_view key, bool def) {
    const json::value* v = at(section, key);
    if (!v) return def;
    if (!v->is_bool()) return fail(Error::wrong_type(join(std::string(section), key), "true or false")), def;
    return v->as_bool();
  }

  std::string string(std::string_view section, std::string_view key, size_t max_len) {
    const json::value* v = at(section, key);
    if (!v) return {};
    const std::string path = join(std::string(section), key);
    if (!v->is_string()) return fail(Error::wrong_type(path, "a string")), std::string();
    if (v->as_string().size() > max_len)
      return fail(Error::invalid_field(path, path + " is longer than " + std::to_string(max_len) + " characters")),
             std::string();
    return std::string(v->as_string());
  }

  void fail(Error e) {
    if (!error_) error_ = std::move(e);
  }

 private:
  static std::string num(double d) {
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  const json::object& root_;
  std::optional<Error> error_;
};

core::Status read_tenant_row(Reader& r, domain::Tenant& t) {
  const domain::Tenant defaults;
  const std::string trigger = r.string("delivery", "out_for_delivery_on", 40);
  if (trigger.empty()) {
    t.out_for_delivery_on = defaults.out_for_delivery_on;
  } else if (auto parsed = domain::parse_out_for_delivery_trigger(trigger)) {
    t.out_for_delivery_on = *parsed;
  } else {
    r.fail(Error::invalid_field("delivery.out_for_delivery_on",
                                "delivery.out_for_delivery_on must be depot_departure or route_start"));
  }
  t.arriving_milestone = r.boolean("milestones", "arriving", defaults.arriving_milestone);
  t.geofence_radius_m = r.number("geofence", "radius_m", defaults.geofence_radius_m, kMinRadiusM, kMaxRadiusM);
  t.geofence_dwell_s = r.integer("geofence", "dwell_s", std::nullopt, 0, kMaxDwellS);
  t.show_driver_within_stops =
      *r.integer("privacy", "show_driver_within_stops", defaults.show_driver_within_stops, 0, kMaxWithinStops);
  t.device_offline_minutes = r.integer("exceptions", "device_offline_minutes", std::nullopt, 1, kMaxThresholdMinutes);
  t.stationary_minutes = r.integer("exceptions", "stationary_minutes", std::nullopt, 1, kMaxThresholdMinutes);
  t.tracking_stale_hours = r.integer("exceptions", "tracking_stale_hours", std::nullopt, 0, kMaxStaleHours);
  t.require_device_secret = r.boolean("devices", "require_secret", defaults.require_device_secret);
  t.pod_max_distance_m =
      r.number("proof", "max_distance_m", defaults.pod_max_distance_m, kMinPodDistanceM, kMaxPodDistanceM);
  t.brand_color = r.string("branding", "color", 7);
  if (!t.brand_color.empty() && !is_hex_color(t.brand_color))
    r.fail(Error::invalid_field("branding.color", "branding.color must look like #0a7d5a (or be empty)"));
  t.brand_logo_url = r.string("branding", "logo_url", domain::kLogoUrlMaxLen);
  if (!domain::is_acceptable_logo_url(t.brand_logo_url))
    r.fail(Error::invalid_field("branding.logo_url",
                                "branding.logo_url must be a path on this server (/…), an https URL or a "
                                "data:image/(png|jpeg|webp|svg+xml);base64 image"));
  if (r.error()) return *r.error();
  return {};
}

core::Status read_notifications(const json::object& doc, notify::NotificationSettings& out) {
  const json::value* n = doc.if_contains("notifications");
  json::object section;
  if (n && !n->is_null()) {
    if (!n->is_object()) return Error::wrong_type("notifications", "an object");
    section = n->as_object();
  }
  const int64_t version = out.version;
  auto parsed = notify::parse_settings(json::serialize(section));
  if (!parsed) {
    Error e = parsed.error();
    e.field = e.field.empty() ? "notifications" : "notifications." + e.field;
    return e;
  }
  out = std::move(*parsed);
  out.version = version;
  return {};
}

// The document of a tenant that never changed anything: the reference of every member.
const json::object& reference_document() {
  static const json::object kReference = [] {
    storage::TenantSettingsRecord r;
    r.notifications = notify::default_settings();
    return settings_json(r);
  }();
  return kReference;
}

void diff_into(const json::value& before, const json::value& after, const std::string& path, json::array& out) {
  if (before.is_object() && after.is_object()) {
    const auto& b = before.as_object();
    const auto& a = after.as_object();
    for (const auto& [key, value] : b) {
      const json::value* other = a.if_contains(key);
      diff_into(value, other ? *other : json::value(nullptr), join(path, key), out);
    }
    for (const auto& [key, value] : a)
      if (!b.contains(key)) diff_into(json::value(nullptr), value, join(path, key), out);
    return;
  }
  if (before != after) out.push_back(json::object{{"path", path}, {"old", before}, {"new", after}});
}

}  // namespace

json::object settings_json(const storage::TenantSettingsRecord& r) {
  const domain::Tenant& t = r.tenant;
  return json::object{
      {"milestones", json::object{{"arriving", t.arriving_milestone}}},
      {"delivery", json::object{{"out_for_delivery_on", domain::out_for_delivery_trigger_name(t.out_for_delivery_on)}}},
      {"geofence", json::object{{"radius_m", t.geofence_radius_m}, {"dwell_s", int_or_null(t.geofence_dwell_s)}}},
      {"privacy", json::object{{"show_driver_within_stops", t.show_driver_within_stops}}},
      {"exceptions", json::object{{"device_offline_minutes", int_or_null(t.device_offline_minutes)},
                                  {"stationary_minutes", int_or_null(t.stationary_minutes)},
                                  {"tracking_stale_hours", int_or_null(t.tracking_stale_hours)}}},
      {"devices", json::object{{"require_secret", t.require_device_secret}}},
      {"proof", json::object{{"max_distance_m", t.pod_max_distance_m}}},
      {"branding", json::object{{"color", t.brand_color}, {"logo_url", t.brand_logo_url}}},
      {"rerouting", json::object{{"auto_apply", r.rerouting_auto_apply}}},
      {"retention", json::object{{"track_days", int_or_null(r.retention.track_days)},
                                 {"photo_days", int_or_null(r.retention.photo_days)},
                                 {"chat_days", int_or_null(r.retention.chat_days)}}},
      {"notifications", notifications_json(r.notifications)},
  };
}

json::object document_json(const storage::TenantSettingsRecord& r, const ServerDefaults& d) {
  json::value by = nullptr;
  if (!r.updated_by.empty()) by = json::object{{"id", r.updated_by}, {"name", r.updated_by_name}};
  return json::object{
      {"version", r.version},
      {"updated_at", r.updated_at ? json::value(core::format_iso8601(*r.updated_at)) : json::value(nullptr)},
      {"updated_by", std::move(by)},
      {"settings", settings_json(r)},
      {"defaults", json::object{{"geofence", json::object{{"dwell_s", d.geofence_dwell_s}}},
                                {"exceptions", json::object{{"device_offline_minutes", d.device_offline_minutes},
                                                            {"stationary_minutes", d.stationary_minutes},
                                                            {"tracking_stale_hours", d.tracking_stale_hours}}},
                                {"retention", json::object{{"track_days", d.retention.track_days},
                                                           {"photo_days", d.retention.photo_days},
                                                           {"chat_days", d.retention.chat_days}}}}},
  };
}

core::Result<PutRequest> parse_put(std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) return Error{ErrorCode::kInvalidJson, "body is not valid JSON", ""};
  if (!doc.is_object()) return Error::wrong_type("", "a JSON object");
  PutRequest out;
  for (const auto& [key, value] : doc.as_object()) {
    if (key == "version") {
      if (!value.is_int64() || value.as_int64() < 0) return Error::wrong_type("version", "a non-negative integer");
      out.version = value.as_int64();
    } else if (key == "settings") {
      if (!value.is_object()) return Error::wrong_type("settings", "an object");
      out.patch = value.as_object();
    } else {
      return Error::invalid_field(std::string(key), "unknown member '" + std::string(key) +
                                                         "' (a PUT carries \"version\" and \"settings\")");
    }
  }
  if (!doc.as_object().contains("settings")) return Error::missing_field("settings");
  return out;
}

core::Result<storage::TenantSettingsRecord> apply_patch(const storage::TenantSettingsRecord& current,
                                                        const json::object& patch) {
  json::value merged = settings_json(current);
  merge_patch(merged, patch);
  const json::object& doc = merged.as_object();
  if (auto st = check_members(doc, reference_document(), ""); !st) return st.error();
  storage::TenantSettingsRecord next = current;
  Reader reader(doc);
  if (auto st = read_tenant_row(reader, next.tenant); !st) return st.error();
  auto retention_days = [&](std::string_view key) {
    return reader.integer("retention", key, std::nullopt, 0, kMaxRetentionDays);
  };
  next.rerouting_auto_apply = reader.boolean("rerouting", "auto_apply", false);
  next.retention.track_days = retention_days("track_days");
  next.retention.photo_days = retention_days("photo_days");
  next.retention.chat_days = retention_days("chat_days");
  if (reader.error()) return *reader.error();
  if (auto st = read_notifications(doc, next.notifications); !st) return st.error();
  return next;
}

json::array diff(const json::object& before, const json::object& after) {
  json::array out;
  diff_into(before, after, "", out);
  return out;
}

}  // namespace lastmile::api::settings
