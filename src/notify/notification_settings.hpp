#pragma once
// A tenant's notification settings (docs/notifications.md): one versioned JSON document with the
// rules (which event notifies on which channel), templates per event × channel, branding, quiet
// hours and reminder times. Pure: parsing, validation and the built-in defaults.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lastmile::notify {

// The rule names, in document order: processed, shipped, out_for_delivery, arriving, at_address,
// delivered, attempt_failed, late_risk, eta_changed, survey, reminder_day_before, reminder_morning_of.
const std::vector<std::string>& rule_names();

struct EmailTemplate {
  std::string subject;
  std::string text;
  std::string html;
};

struct RuleTemplates {
  EmailTemplate email;
  std::string sms;
};

// Minutes since local midnight.
struct LocalTime {
  int minutes = 0;
  friend bool operator==(const LocalTime&, const LocalTime&) = default;
};
std::optional<LocalTime> parse_local_time(std::string_view hhmm);  // "21:00"
std::string format_local_time(LocalTime t);

struct QuietHours {
  LocalTime start;  // e.g. 21:00
  LocalTime end;    // e.g. 08:00 (before start: the period wraps past midnight)
};

struct NotificationSettings {
  int64_t version = 0;                                   // 0: never saved (the defaults)
  std::map<std::string, std::vector<std::string>> rules;  // rule → channels ("email", "sms")
  int eta_change_min_minutes = 15;  // eta_changed notifies when |shift_minutes| >= this
  int survey_delay_minutes = 30;    // the survey request goes this long after delivery
  std::map<std::string, RuleTemplates> templates;  // every rule has an entry (defaults filled in)
  std::string sender_name;  // "" : the tenant's name
  std::string brand_color;  // "#RRGGBB" or ""
  std::string logo_url;     // domain::is_acceptable_logo_url
  std::optional<QuietHours> quiet_hours;
  std::optional<LocalTime> reminder_day_before;
  std::optional<LocalTime> reminder_morning_of;
  std::string default_time_zone = "UTC";  // for recipients without Recipient::time_zone
};

NotificationSettings default_settings();

// Parses a PUT body. Absent members take their defaults; templates not given take the built-in
// ones. Errors: kInvalidJson, kWrongType / kInvalidField with the field path, kInvalidTemplate (422)
// naming the template and the variable. The version is not read from the body.
core::Result<NotificationSettings> parse_settings(std::string_view body);

// The full document (defaults included) with its version.
std::string settings_json(const NotificationSettings& s);

// True when the rule notifies on `channel`.
bool rule_has_channel(const NotificationSettings& s, std::string_view rule, std::string_view channel);

}  // namespace lastmile::notify
