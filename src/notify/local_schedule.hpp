#pragma once
// Local-time scheduling in the recipient's IANA time zone (date/tz.h): quiet hours and the
// day-before / morning-of reminders. Pure: the caller passes the instant ("now"), never the wall clock.
//
// DST: a local time that does not exist (02:30 on a spring-forward day) is taken as the instant the
// clocks jump to (03:00 in Paris); a local time that happens twice (an autumn repeated hour) is taken
// at its first occurrence.

#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "notify/notification_settings.hpp"

namespace lastmile::notify {

// True when `tz` names an IANA zone known to the tz database.
bool is_known_time_zone(std::string_view tz);

// `at` itself when it is outside the quiet hours in `tz`; otherwise the instant the quiet hours
// end (the next local `end`). An unknown zone is treated as UTC.
core::Timestamp defer_past_quiet_hours(core::Timestamp at, const QuietHours& quiet, std::string_view tz);

enum class ReminderKind { kDayBefore, kMorningOf };
std::string_view reminder_rule(ReminderKind k);  // "reminder_day_before" | "reminder_morning_of"

struct ReminderTime {
  core::Timestamp due;     // when to send it
  std::string local_date;  // "YYYY-MM-DD": the delivery day in `tz` (part of the idempotency key)
};

// The reminder for a delivery window starting at `window_start`: the delivery day's local date in
// `tz`, and `at` local time on the day before (kDayBefore) or on that day (kMorningOf).
ReminderTime reminder_time(core::Timestamp window_start, ReminderKind kind, LocalTime at, std::string_view tz);

// "14:00–16:00" in `tz` (the en dash), or "Tue 14:00–16:00" when `with_day`.
std::string format_window(core::Timestamp start, core::Timestamp end, std::string_view tz, bool with_day = false);

// Weekday (0 = Monday … 6 = Sunday) and hour of `at` in `tz` (UTC when unknown).
struct LocalWeekHour {
  int weekday = 0;
  int hour = 0;
};
LocalWeekHour local_week_hour(core::Timestamp at, std::string_view tz);

// The first instant at or after `after` that is local `weekday` at `hour`:00 in `tz` (DST rule as
// above); within the next 7 days.
core::Timestamp next_local_weekday_hour(core::Timestamp after, int weekday, int hour, std::string_view tz);

}  // namespace lastmile::notify
