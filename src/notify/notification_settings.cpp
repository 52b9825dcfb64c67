#include "notify/notification_settings.hpp"

#include <date/tz.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>

#include "core/json_writer.hpp"
#include "domain/branding.hpp"
#include "notify/default_templates.hpp"
#include "notify/message_template.hpp"

namespace lastmile::notify {
namespace json = boost::json;
using core::Error;

namespace {

bool is_known_rule(std::string_view r) {
  const auto& n = rule_names();
  return std::find(n.begin(), n.end(), r) != n.end();
}

bool is_hex_color(std::string_view c) {
  if (c.size() != 7 || c[0] != '#') return false;
  return std::all_of(c.begin() + 1, c.end(), [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); });
}

core::Result<std::string> string_at(const json::object& o, std::string_view key, const std::string& path,
                                    size_t max_len) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::string();
  if (!v->is_string()) return Error::wrong_type(path, "a string");
  if (v->as_string().size() > max_len)
    return Error::invalid_field(path, "'" + path + "' is longer than " + std::to_string(max_len) + " characters");
  return std::string(v->as_string());
}

core::Result<std::optional<LocalTime>> time_at(const json::object& o, std::string_view key, const std::string& path) {
  auto s = string_at(o, key, path, 5);
  if (!s) return s.error();
  if (s->empty()) return std::optional<LocalTime>{};
  auto t = parse_local_time(*s);
  if (!t) return Error::invalid_field(path, "'" + path + "' must be a local time HH:MM");
  return std::optional<LocalTime>{*t};
}

core::Result<int> int_at(const json::object& o, std::string_view key, const std::string& path, int lo, int hi,
                         int fallback) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_int64() && !v->is_uint64()) return Error::wrong_type(path, "an integer");
  const auto n = v->to_number<int64_t>();
  if (n < lo || n > hi)
    return Error::invalid_field(path, "'" + path + "' must be between " + std::to_string(lo) + " and " +
                                          std::to_string(hi));
  return static_cast<int>(n);
}

core::Status check_template(const std::string& name, const std::string& text) {
  auto t = parse_template(name, text);
  if (!t) return t.error();
  return {};
}

core::Status parse_rules(const json::value& v, NotificationSettings& s) {
  if (!v.is_object()) return Error::wrong_type("rules", "an object");
  s.rules.clear();
  for (const auto& [key, channels] : v.as_object()) {
    const std::string path = "rules." + std::string(key);
    if (!is_known_rule(key)) return Error::invalid_field(path, "unknown rule '" + std::string(key) + "'");
    if (!channels.is_array()) return Error::wrong_type(path, "an array of channels");
    std::vector<std::string> list;
    for (const auto& c : channels.as_array()) {
      if (!c.is_string() || (c.as_string() != "email" && c.as_string() != "sms"))
        return Error::invalid_field(path, "channels are \"email\" and \"sms\"");
      if (std::find(list.begin(), list.end(), c.as_string()) == list.end()) list.emplace_back(c.as_string());
    }
    s.rules[std::string(key)] = std::move(list);
  }
  return {};
}

core::Status parse_templates(const json::value& v, NotificationSettings& s) {
  if (!v.is_object()) return Error::wrong_type("templates", "an object");
  for (const auto& [key, entry] : v.as_object()) {
    const std::string rule(key);
    const std::string path = "templates." + rule;
    if (!is_known_rule(rule)) return Error::invalid_field(path, "unknown rule '" + rule + "'");
    if (!entry.is_object()) return Error::wrong_type(path, "an object");
    RuleTemplates& t = s.templates[rule];
    if (const auto* email = entry.as_object().if_contains("email")) {
      if (!email->is_object()) return Error::wrong_type(path + ".email", "an object");
      for (auto [field, target, max] : {std::tuple{"subject", &t.email.subject, size_t{300}},
                                        std::tuple{"text", &t.email.text, size_t{20000}},
                                        std::tuple{"html", &t.email.html, size_t{50000}}}) {
        const std::string fpath = path + ".email." + field;
        if (!email->as_object().contains(field)) continue;
        auto text = string_at(email->as_object(), field, fpath, max);
        if (!text) return text.error();
        if (auto st = check_template(rule + ".email." + field, *text); !st) return st;
        *target = std::move(*text);
      }
    }
    if (const auto* sms = entry.as_object().if_contains("sms")) {
      if (!sms->is_object()) return Error::wrong_type(path + ".sms", "an object");
      if (sms->as_object().contains("body")) {
        auto text = string_at(sms->as_object(), "body", path + ".sms.body", 1600);
        if (!text) return text.error();
        if (auto st = check_template(rule + ".sms.body", *text); !st) return st;
        t.sms = std::move(*text);
      }
    }
  }
  return {};
}

core::Status parse_branding(const json::value& v, NotificationSettings& s) {
  if (!v.is_object()) return Error::wrong_type("branding", "an object");
  const auto& o = v.as_object();
  auto name = string_at(o, "sender_name", "branding.sender_name", 100);
  if (!name) return name.error();
  auto color = string_at(o, "color", "branding.color", 7);
  if (!color) return color.error();
  if (!color->empty() && !is_hex_color(*color))
    return Error::invalid_field("branding.color", "branding.color must look like #0a7d5a");
  auto logo = string_at(o, "logo_url", "branding.logo_url", domain::kLogoUrlMaxLen);
  if (!logo) return logo.error();
  if (!domain::is_acceptable_logo_url(*logo))
    return Error::invalid_field("branding.logo_url", "branding.logo_url must be an https URL, a path or a data: image");
  s.sender_name = *name;
  s.brand_color = *color;
  s.logo_url = *logo;
  return {};
}

core::Status parse_times(const json::object& o, NotificationSettings& s) {
  if (const auto* q = o.if_contains("quiet_hours"); q && !q->is_null()) {
    if (!q->is_object()) return Error::wrong_type("quiet_hours", "an object or null");
    auto start = time_at(q->as_object(), "start", "quiet_hours.start");
    if (!start) return start.error();
    auto end = time_at(q->as_object(), "end", "quiet_hours.end");
    if (!end) return end.error();
    if (!*start) return Error::missing_field("quiet_hours.start");
    if (!*end) return Error::missing_field("quiet_hours.end");
    if (**start == **end) return Error::invalid_field("quiet_hours", "quiet_hours.start and end must differ");
    s.quiet_hours = QuietHours{**start, **end};
  }
  if (const auto* r = o.if_contains("reminders"); r && !r->is_null()) {
    if (!r->is_object()) return Error::wrong_type("reminders", "an object");
    auto day_before = time_at(r->as_object(), "day_before", "reminders.day_before");
    if (!day_before) return day_before.error();
    auto morning_of = time_at(r->as_object(), "morning_of", "reminders.morning_of");
    if (!morning_of) return morning_of.error();
    s.reminder_day_before = *day_before;
    s.reminder_morning_of = *morning_of;
  }
  auto tz = string_at(o, "default_time_zone", "default_time_zone", 64);
  if (!tz) return tz.error();
  if (!tz->empty()) {
    try {
      (void)date::locate_zone(*tz);
    } catch (const std::exception&) {
      return Error::invalid_field("default_time_zone", "unknown time zone '" + *tz + "'");
    }
    s.default_time_zone = *tz;
  }
  return {};
}

json::value time_json(const std::optional<LocalTime>& t) {
  if (!t) return nullptr;
  return json::value(format_local_time(*t));
}

}  // namespace

const std::vector<std::string>& rule_names() {
  static const std::vector<std::string> kRules = {
      "processed", "shipped",     "out_for_delivery", "arriving", "at_address",          "delivered",
      "attempt_failed", "late_risk", "eta_changed",   "survey",   "reminder_day_before", "reminder_morning_of"};
  return kRules;
}

std::optional<LocalTime> parse_local_time(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return LocalTime{h * 60 + m};
}

std::string format_local_time(LocalTime t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", t.minutes / 60, t.minutes % 60);
  return buf;
}

NotificationSettings default_settings() {
  NotificationSettings s;
  s.rules = {{"shipped", {"email"}},
             {"out_for_delivery", {"email", "sms"}},
             {"arriving", {"sms"}},
             {"delivered", {"email", "sms"}},
             {"attempt_failed", {"email", "sms"}},
             {"eta_changed", {"sms"}},
             {"survey", {"email"}},
             {"reminder_day_before", {"email"}},
             {"reminder_morning_of", {"sms"}}};
  for (const auto& r : rule_names()) s.templates[r] = default_templates(r);
  s.quiet_hours = QuietHours{LocalTime{21 * 60}, LocalTime{8 * 60}};
  s.reminder_day_before = LocalTime{18 * 60};
  s.reminder_morning_of = LocalTime{8 * 60};
  return s;
}

core::Result<NotificationSettings> parse_settings(std::string_view body) {
  boost::system::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec) return Error{core::ErrorCode::kInvalidJson, "body is not valid JSON", ""};
  if (!doc.is_object()) return Error::wrong_type("", "a JSON object");
  const auto& o = doc.as_object();
  NotificationSettings s = default_settings();
  s.quiet_hours.reset();
  if (const auto* r = o.if_contains("rules")) {
    if (auto st = parse_rules(*r, s); !st) return st.error();
  }
  auto eta = int_at(o, "eta_change_min_minutes", "eta_change_min_minutes", 1, 1440, s.eta_change_min_minutes);
  if (!eta) return eta.error();
  s.eta_change_min_minutes = *eta;
  auto delay = int_at(o, "survey_delay_minutes", "survey_delay_minutes", 0, 10080, s.survey_delay_minutes);
  if (!delay) return delay.error();
  s.survey_delay_minutes = *delay;
  if (const auto* t = o.if_contains("templates")) {
    if (auto st = parse_templates(*t, s); !st) return st.error();
  }
  if (const auto* b = o.if_contains("branding")) {
    if (auto st = parse_branding(*b, s); !st) return st.error();
  }
  if (auto st = parse_times(o, s); !st) return st.error();
  return s;
}

std::string settings_json(const NotificationSettings& s) {
  json::object rules;
  for (const auto& r : rule_names()) {
    json::array ch;
    if (auto it = s.rules.find(r); it != s.rules.end())
      for (const auto& c : it->second) ch.push_back(json::value(c));
    rules[r] = std::move(ch);
  }
  json::object templates;
  for (const auto& r : rule_names()) {
    auto it = s.templates.find(r);
    const RuleTemplates t = it == s.templates.end() ? default_templates(r) : it->second;
    templates[r] = json::object{
        {"email", json::object{{"subject", t.email.subject}, {"text", t.email.text}, {"html", t.email.html}}},
        {"sms", json::object{{"body", t.sms}}}};
  }
  json::value quiet = nullptr;
  if (s.quiet_hours)
    quiet = json::object{{"start", format_local_time(s.quiet_hours->start)},
                         {"end", format_local_time(s.quiet_hours->end)}};
  json::object out{{"version", s.version},
                   {"rules", std::move(rules)},
                   {"eta_change_min_minutes", s.eta_change_min_minutes},
                   {"survey_delay_minutes", s.survey_delay_minutes},
                   {"templates", std::move(templates)},
                   {"branding", json::object{{"sender_name", s.sender_name},
                                             {"color", s.brand_color},
                                             {"logo_url", s.logo_url}}},
                   {"quiet_hours", std::move(quiet)},
                   {"reminders", json::object{{"day_before", time_json(s.reminder_day_before)},
                                              {"morning_of", time_json(s.reminder_morning_of)}}},
                   {"default_time_zone", s.default_time_zone},
                   {"variables", [] {
                      json::array a;
                      for (const auto& v : known_variables()) a.push_back(json::value(v));
                      return a;
                    }()}};
  return core::to_json(out);
}

bool rule_has_channel(const NotificationSettings& s, std::string_view rule, std::string_view channel) {
  auto it = s.rules.find(std::string(rule));
  if (it == s.rules.end()) return false;
  return std::find(it->second.begin(), it->second.end(), channel) != it->second.end();
}

}  // namespace lastmile::notify
