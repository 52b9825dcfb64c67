#include "notify/local_schedule.hpp"

#include <date/tz.h>

#include <chrono>

namespace lastmile::notify {
namespace {

using namespace std::chrono;

const date::time_zone* zone(std::string_view tz) {
  try {
    return date::locate_zone(std::string(tz.empty() ? "UTC" : tz));
  } catch (const std::exception&) {
    return date::locate_zone("UTC");
  }
}

date::sys_time<milliseconds> sys(core::Timestamp t) { return date::sys_time<milliseconds>{milliseconds{t.ms}}; }

// The instant of local time `lt` in `z`: nonexistent → the end of the gap, ambiguous → the first.
core::Timestamp to_instant(const date::time_zone* z, date::local_time<minutes> lt) {
  const auto info = z->get_info(lt);
  date::sys_seconds s;
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      s = date::sys_seconds{duration_cast<seconds>(lt.time_since_epoch()) - info.first.offset};
      break;
    case date::local_info::nonexistent:
      s = info.second.begin;  // the clocks' jump: the first valid instant
      break;
  }
  return core::Timestamp{duration_cast<milliseconds>(s.time_since_epoch()).count()};
}

}  // namespace

bool is_known_time_zone(std::string_view tz) {
  try {
    (void)date::locate_zone(std::string(tz));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

core::Timestamp defer_past_quiet_hours(core::Timestamp at, const QuietHours& quiet, std::string_view tz) {
  const auto* z = zone(tz);
  const auto local = z->to_local(sys(at));
  const auto day = date::floor<date::days>(local);
  const int m = static_cast<int>(duration_cast<minutes>(local - day).count());
  const int start = quiet.start.minutes, end = quiet.end.minutes;
  const bool wraps = start > end;
  const bool quiet_now = wraps ? (m >= start || m < end) : (m >= start && m < end);
  if (!quiet_now) return at;
  // The end of this quiet period: today at `end` unless that is already past (a wrapping period
  // entered in the evening ends tomorrow).
  auto end_day = day;
  if (wraps && m >= start) end_day += date::days{1};
  return to_instant(z, date::local_time<minutes>{end_day.time_since_epoch() + minutes{end}});
}

std::string_view reminder_rule(ReminderKind k) {
  return k == ReminderKind::kDayBefore ? "reminder_day_before" : "reminder_morning_of";
}

ReminderTime reminder_time(core::Timestamp window_start, ReminderKind kind, LocalTime at, std::string_view tz) {
  const auto* z = zone(tz);
  const auto day = date::floor<date::days>(z->to_local(sys(window_start)));
  const auto send_day = kind == ReminderKind::kDayBefore ? day - date::days{1} : day;
  ReminderTime out;
  out.due = to_instant(z, date::local_time<minutes>{send_day.time_since_epoch() + minutes{at.minutes}});
  out.local_date = date::format("%F", day);
  return out;
}

std::string format_window(core::Timestamp start, core::Timestamp end, std::string_view tz, bool with_day) {
  const auto* z = zone(tz);
  const auto a = date::floor<minutes>(z->to_local(sys(start)));
  const auto b = date::floor<minutes>(z->to_local(sys(end)));
  std::string out = with_day ? date::format("%a %H:%M", a) : date::format("%H:%M", a);
  return out + "\u2013" + date::format("%H:%M", b);
}

LocalWeekHour local_week_hour(core::Timestamp at, std::string_view tz) {
  const auto local = zone(tz)->to_local(sys(at));
  const auto day = date::floor<date::days>(local);
  const date::weekday wd{day};
  return LocalWeekHour{static_cast<int>(wd.iso_encoding()) - 1,
                       static_cast<int>(duration_cast<hours>(local - day).count())};
}

core::Timestamp next_local_weekday_hour(core::Timestamp after, int weekday, int hour, std::string_view tz) {
  const auto* z = zone(tz);
  const auto today = date::floor<date::days>(z->to_local(sys(after)));
  for (int d = 0; d <= 7; ++d) {
    const auto day = today + date::days{d};
    if (static_cast<int>(date::weekday{day}.iso_encoding()) - 1 != weekday) continue;
    const core::Timestamp t = to_instant(z, date::local_time<minutes>{day.time_since_epoch() + hours{hour}});
    if (t >= after) return t;
  }
  return after;  // unreachable for weekday in 0..6
}

}  // namespace lastmile::notify
