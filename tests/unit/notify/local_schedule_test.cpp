// Quiet hours and reminders in the recipient's time zone, across DST changes (Europe/Paris and
// America/New_York, 2026): a nonexistent local time is the end of the gap, a repeated one its first
// occurrence.
#include "notify/local_schedule.hpp"

#include <gtest/gtest.h>

namespace lastmile::notify {
namespace {

core::Timestamp at(const char* iso) { return *core::parse_iso8601(iso); }
std::string iso(core::Timestamp t) { return core::format_iso8601(t); }

const QuietHours kNight{LocalTime{21 * 60}, LocalTime{8 * 60}};

TEST(QuietHours, OutsideTheQuietHoursNothingMoves) {
  EXPECT_EQ(iso(defer_past_quiet_hours(at("2026-06-10T10:00:00Z"), kNight, "Europe/Paris")),
            "2026-06-10T10:00:00.000Z");  // 12:00 in Paris
}

TEST(QuietHours, TheEveningIsDeferredToTomorrowMorning) {
  // 22:00 CEST → 08:00 CEST the next day.
  EXPECT_EQ(iso(defer_past_quiet_hours(at("2026-06-10T20:00:00Z"), kNight, "Europe/Paris")),
            "2026-06-11T06:00:00.000Z");
}

TEST(QuietHours, TheEarlyMorningIsDeferredToEightTheSameDay) {
  EXPECT_EQ(iso(defer_past_quiet_hours(at("2026-06-11T05:00:00Z"), kNight, "Europe/Paris")),  // 07:00
            "2026-06-11T06:00:00.000Z");
}

TEST(QuietHours, TheEndIsTheNewLocalTimeAcrossSpringForward) {
  // 23:00 CET on 28 March; the clocks go forward that night: 08:00 CEST is 06:00 UTC.
  EXPECT_EQ(iso(defer_past_quiet_hours(at("2026-03-28T22:00:00Z"), kNight, "Europe/Paris")),
            "2026-03-29T06:00:00.000Z");
}

TEST(QuietHours, ANonWrappingPeriodAndTheRecipientsZone) {
  const QuietHours lunch{LocalTime{12 * 60}, LocalTime{14 * 60}};
  // 12:30 in New York (EDT, UTC-4) → 14:00 EDT.
  EXPECT_EQ(iso(defer_past_quiet_hours(at("2026-07-01T16:30:00Z"), lunch, "America/New_York")),
            "2026-07-01T18:00:00.000Z");
  EXPECT_EQ(iso(defer_past_quiet_hours(at("2026-07-01T16:30:00Z"), lunch, "Europe/Paris")),  // 18:30 Paris
            "2026-07-01T16:30:00.000Z");
}

TEST(QuietHours, AnUnknownZoneIsUtc) {
  EXPECT_EQ(iso(defer_past_quiet_hours(at("2026-06-10T22:00:00Z"), kNight, "Nowhere/Else")),
            "2026-06-11T08:00:00.000Z");
}

TEST(Reminders, DayBeforeAndMorningOfInTheRecipientsZone) {
  // Window 14:00 CEST on 10 June.
  const auto start = at("2026-06-10T12:00:00Z");
  auto d = reminder_time(start, ReminderKind::kDayBefore, LocalTime{18 * 60}, "Europe/Paris");
  EXPECT_EQ(iso(d.due), "2026-06-09T16:00:00.000Z");
  EXPECT_EQ(d.local_date, "2026-06-10");
  auto m = reminder_time(start, ReminderKind::kMorningOf, LocalTime{8 * 60}, "Europe/Paris");
  EXPECT_EQ(iso(m.due), "2026-06-10T06:00:00.000Z");
}

TEST(Reminders, TheLocalDateIsTheRecipientsNotUtcs) {
  // 01:00 CEST on 11 June is still 10 June in UTC.
  auto m = reminder_time(at("2026-06-10T23:00:00Z"), ReminderKind::kMorningOf, LocalTime{8 * 60}, "Europe/Paris");
  EXPECT_EQ(m.local_date, "2026-06-11");
  EXPECT_EQ(iso(m.due), "2026-06-11T06:00:00.000Z");
}

TEST(Reminders, ANonexistentLocalTimeOnSpringForwardIsTheEndOfTheGap) {
  // Paris, 29 March 2026: 02:00 CET → 03:00 CEST. 02:30 does not exist: 03:00 CEST = 01:00 UTC.
  auto m = reminder_time(at("2026-03-29T10:00:00Z"), ReminderKind::kMorningOf, LocalTime{2 * 60 + 30},
                         "Europe/Paris");
  EXPECT_EQ(iso(m.due), "2026-03-29T01:00:00.000Z");
  // New York, 8 March 2026: 02:00 EST → 03:00 EDT; 02:30 → 03:00 EDT = 07:00 UTC.
  auto ny = reminder_time(at("2026-03-08T18:00:00Z"), ReminderKind::kMorningOf, LocalTime{2 * 60 + 30},
                          "America/New_York");
  EXPECT_EQ(iso(ny.due), "2026-03-08T07:00:00.000Z");
}

TEST(Reminders, ARepeatedLocalTimeInAutumnIsItsFirstOccurrence) {
  // Paris, 25 October 2026: 03:00 CEST → 02:00 CET; 02:30 happens twice, first at 00:30 UTC.
  auto m = reminder_time(at("2026-10-25T10:00:00Z"), ReminderKind::kMorningOf, LocalTime{2 * 60 + 30},
                         "Europe/Paris");
  EXPECT_EQ(iso(m.due), "2026-10-25T00:30:00.000Z");
  // New York, 1 November 2026: 01:30 first as EDT (UTC-4) = 05:30 UTC.
  auto ny = reminder_time(at("2026-11-01T15:00:00Z"), ReminderKind::kMorningOf, LocalTime{90}, "America/New_York");
  EXPECT_EQ(iso(ny.due), "2026-11-01T05:30:00.000Z");
}

TEST(Reminders, TheDayBeforeASpringForwardKeepsItsOwnOffset) {
  // New York window 10:00 EDT on 8 March; the reminder at 18:00 EST on 7 March = 23:00 UTC.
  auto d = reminder_time(at("2026-03-08T14:00:00Z"), ReminderKind::kDayBefore, LocalTime{18 * 60},
                         "America/New_York");
  EXPECT_EQ(iso(d.due), "2026-03-07T23:00:00.000Z");
  EXPECT_EQ(d.local_date, "2026-03-08");
}

TEST(FormatWindow, LocalHoursWithAnEnDash) {
  EXPECT_EQ(format_window(at("2026-06-10T12:00:00Z"), at("2026-06-10T14:00:00Z"), "Europe/Paris"),
            "14:00\u201316:00");
}

}  // namespace
}  // namespace lastmile::notify
