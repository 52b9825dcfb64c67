// Times on the wire are ISO 8601 UTC with milliseconds; input may carry an offset. Anything that is
// not a real calendar instant in the accepted form is refused (a bad time is a 400, never a guess).
#include "core/time.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lastmile::core {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;
constexpr int64_t k2024NewYear = 1'704'067'200'000;      // 2024-01-01T00:00:00Z
constexpr int64_t kTrackingExample = 1'795'339'800'000;  // 2026-11-22T09:30:00Z (docs/api.md)

std::optional<int64_t> ms_of(std::string_view text) {
  auto t = parse_iso8601(text);
  if (!t) return std::nullopt;
  return t->ms;
}

TEST(FormatIso8601, EpochAndKnownInstants) {
  EXPECT_EQ(format_iso8601(Timestamp{0}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(Timestamp{1'700'000'000'123}), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_iso8601(Timestamp{kTrackingExample}), "2026-11-22T09:30:00.000Z");
  EXPECT_EQ(format_iso8601(Timestamp{1'709'208'000'000}), "2024-02-29T12:00:00.000Z");
  EXPECT_EQ(format_iso8601(Timestamp{253'402'300'799'999}), "9999-12-31T23:59:59.999Z");
}

TEST(FormatIso8601, AlwaysThreeFractionDigits) {
  EXPECT_EQ(format_iso8601(Timestamp{k2024NewYear + 7}), "2024-01-01T00:00:00.007Z");
  EXPECT_EQ(format_iso8601(Timestamp{k2024NewYear + 70}), "2024-01-01T00:00:00.070Z");
}

TEST(FormatIso8601, BeforeTheEpochRoundsDownToThePreviousDay) {
  EXPECT_EQ(format_iso8601(Timestamp{-1}), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(Timestamp{-kMsPerDay}), "1969-12-31T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(Timestamp{-2'208'988'800'000}), "1900-01-01T00:00:00.000Z");
}

TEST(ParseIso8601, TheDocumentedForm) {
  EXPECT_EQ(ms_of("2026-11-22T09:30:00.000Z"), kTrackingExample);
  EXPECT_EQ(ms_of("2026-11-22T09:30:00Z"), kTrackingExample);
}

TEST(ParseIso8601, MissingOffsetMeansUtc) {
  EXPECT_EQ(ms_of("2026-11-22T09:30:00"), kTrackingExample);
  EXPECT_EQ(ms_of("2026-11-22T09:30:00.250"), kTrackingExample + 250);
}

TEST(ParseIso8601, OffsetsAreSubtractedToGetUtc) {
  EXPECT_EQ(ms_of("2026-11-22T11:30:00+02:00"), kTrackingExample);
  EXPECT_EQ(ms_of("2026-11-22T04:00:00-05:30"), kTrackingExample);
  EXPECT_EQ(ms_of("2026-11-22T09:30:00+00:00"), kTrackingExample);
  EXPECT_EQ(ms_of("2026-11-22T09:30:00-00:00"), kTrackingExample);
  EXPECT_EQ(ms_of("2026-11-22T23:29:00+13:59"), kTrackingExample);
}

TEST(ParseIso8601, OffsetsCrossDayAndYearBoundaries) {
  EXPECT_EQ(ms_of("2024-01-01T01:00:00+02:00"), k2024NewYear - 3'600'000);
  EXPECT_EQ(format_iso8601(*parse_iso8601("2024-01-01T01:00:00+02:00")), "2023-12-31T23:00:00.000Z");
  EXPECT_EQ(format_iso8601(*parse_iso8601("2023-12-31T22:00:00-02:00")), "2024-01-01T00:00:00.000Z");
}

TEST(ParseIso8601, FractionalSeconds) {
  EXPECT_EQ(ms_of("2024-01-01T00:00:00.5Z"), k2024NewYear + 500);
  EXPECT_EQ(ms_of("2024-01-01T00:00:00.05Z"), k2024NewYear + 50);
  EXPECT_EQ(ms_of("2024-01-01T00:00:00.123Z"), k2024NewYear + 123);
  EXPECT_EQ(ms_of("2024-01-01T00:00:00.123+01:00"), k2024NewYear + 123 - 3'600'000);
  // Sub-millisecond digits are accepted and truncated, so a time never rounds into the next second.
  EXPECT_EQ(ms_of("2024-01-01T00:00:00.123456Z"), k2024NewYear + 123);
  EXPECT_EQ(ms_of("2024-01-01T00:00:00.999999999Z"), k2024NewYear + 999);
}

TEST(ParseIso8601, LeapDayOfALeapYear) {
  EXPECT_EQ(ms_of("2024-02-29T12:00:00Z"), 1'709'208'000'000);
  EXPECT_EQ(ms_of("2000-02-29T00:00:00Z"), 951'868'800'000 - kMsPerDay);  // 2000 is a leap year
}

TEST(ParseIso8601, RoundTripsWhatFormatWrites) {
  const std::vector<int64_t> instants = {0,
                                         1,
                                         -1,
                                         999,
                                         k2024NewYear,
                                         k2024NewYear - 1,
                                         kTrackingExample + 42,
                                         1'709'208'000'000,
                                         -2'208'988'800'000,
                                         253'402'300'799'999};
  for (int64_t ms : instants) {
    std::string text = format_iso8601(Timestamp{ms});
    auto back = parse_iso8601(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(back->ms, ms) << text;
  }
  // Every millisecond of one second, and one instant in every hour of a day.
  for (int64_t ms = k2024NewYear; ms < k2024NewYear + 1000; ++ms)
    ASSERT_EQ(parse_iso8601(format_iso8601(Timestamp{ms}))->ms, ms);
  for (int64_t ms = kTrackingExample; ms < kTrackingExample + kMsPerDay; ms += 3'600'000 + 61'001)
    ASSERT_EQ(parse_iso8601(format_iso8601(Timestamp{ms}))->ms, ms);
}

TEST(ParseIso8601, RoundTripsAnOffsetTimeToItsUtcForm) {
  auto t = parse_iso8601("2026-11-22T11:30:00.125+02:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso8601(*t), "2026-11-22T09:30:00.125Z");
  EXPECT_EQ(parse_iso8601(format_iso8601(*t)), t);
}

class ParseIso8601Rejects : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseIso8601Rejects, MalformedTime) { EXPECT_FALSE(parse_iso8601(GetParam())) << GetParam(); }

INSTANTIATE_TEST_SUITE_P(
    BadCalendar, ParseIso8601Rejects,
    ::testing::Values("2024-13-01T00:00:00Z",    // month 13
                      "2024-00-10T00:00:00Z",    // month 0
                      "2023-02-30T00:00:00Z",    // Feb 30
                      "2023-02-29T00:00:00Z",    // Feb 29 of a common year
                      "1900-02-29T00:00:00Z",    // centuries are not leap years unless divisible by 400
                      "2024-04-31T00:00:00Z",    // April has 30 days
                      "2024-01-00T00:00:00Z",    // day 0
                      "2024-01-32T00:00:00Z"));  // day 32

INSTANTIATE_TEST_SUITE_P(
    BadClock, ParseIso8601Rejects,
    ::testing::Values("2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z", "2024-01-01T23:59:61Z",
                      "2024-01-01T1a:00:00Z", "2024-01-01T12-00-00Z", "2024-01-01T12:00Z",
                      "2024-01-01T12:00:0Z"));

INSTANTIATE_TEST_SUITE_P(
    BadShape, ParseIso8601Rejects,
    ::testing::Values("",
                      "2024-01-01",               // a date is not a time
                      "2024-01-0112:00:00Z",      // missing T
                      "2024-01-01X12:00:00Z",     // wrong separator
                      "20240101T120000Z",         // basic format
                      "2024-1-01T12:00:00Z",      // unpadded month
                      "24-01-01T12:00:00Z",       // two-digit year
                      "2024/01/01T12:00:00Z",     // slashes
                      " 2024-01-01T12:00:00Z",    // leading space
                      "2024-01-01T12:00:00.Z",    // dot without digits
                      "2024-01-01T12:00:00.",     // dot at the end
                      "2024-01-01T12:00:00,5Z",   // comma fraction
                      "2024-01-01T12:00:00.5.5Z",
                      "next tuesday"));

INSTANTIATE_TEST_SUITE_P(
    TrailingJunk, ParseIso8601Rejects,
    ::testing::Values("2024-01-01T12:00:00Zjunk", "2024-01-01T12:00:00Z ", "2024-01-01T12:00:00ZZ",
                      "2024-01-01T12:00:00+02:00Z", "2024-01-01T12:00:00+02:00:00", "2024-01-01T12:00:00.123abc",
                      "2024-01-01T12:00:00 +02:00"));

INSTANTIATE_TEST_SUITE_P(
    BadOffset, ParseIso8601Rejects,
    ::testing::Values("2024-01-01T12:00:00+0200",   // no colon
                      "2024-01-01T12:00:00+02",     // no minutes
                      "2024-01-01T12:00:00+2:00",   // one-digit hour
                      "2024-01-01T12:00:00+24:00",  // hour out of range
                      "2024-01-01T12:00:00+02:60",  // minute out of range
                      "2024-01-01T12:00:00+02-00",  // wrong separator
                      "2024-01-01T12:00:00*02:00",  // not a sign
                      "2024-01-01T12:00:00+ab:cd",
                      "2024-01-01T12:00:00+"));

TEST(ParseDate, MidnightUtcOfThatDay) {
  EXPECT_EQ(parse_date("2024-01-01")->ms, k2024NewYear);
  EXPECT_EQ(parse_date("1970-01-01")->ms, 0);
  EXPECT_EQ(parse_date("2024-02-29")->ms, 1'709'208'000'000 - 12 * 3'600'000);
  EXPECT_EQ(parse_date("2026-11-22")->ms, kTrackingExample - (9 * 60 + 30) * 60'000);
  EXPECT_EQ(format_iso8601(*parse_date("2026-11-23")), "2026-11-23T00:00:00.000Z");
}

TEST(ParseDate, RejectsAnythingButAValidCalendarDate) {
  for (const char* bad : {"", "2024-13-01", "2024-00-01", "2023-02-29", "2023-02-30", "2024-04-31", "2024-01-00",
                          "2024-01-32", "2024-1-01", "2024-01-1", "2024/01/01", "20240101", "2024-01-01T00:00:00Z",
                          "2024-01-01 ", " 2024-01-01", "2024-01-0a", "yyyy-mm-dd"})
    EXPECT_FALSE(parse_date(bad)) << '"' << bad << '"';
}

TEST(ManualClock, ReturnsWhatItWasSetTo) {
  ManualClock clock(Timestamp{kTrackingExample});
  const Clock& as_clock = clock;  // what domain code is given
  EXPECT_EQ(as_clock.now().ms, kTrackingExample);
  EXPECT_EQ(as_clock.now().ms, kTrackingExample);  // time does not move by itself

  clock.advance_ms(1500);
  EXPECT_EQ(as_clock.now().ms, kTrackingExample + 1500);
  EXPECT_EQ(format_iso8601(as_clock.now()), "2026-11-22T09:30:01.500Z");

  clock.set(Timestamp{k2024NewYear});
  EXPECT_EQ(as_clock.now().ms, k2024NewYear);
  clock.advance_ms(-1);
  EXPECT_EQ(format_iso8601(as_clock.now()), "2023-12-31T23:59:59.999Z");
}

TEST(SystemClock, IsAfterThisCodeWasWritten) {
  SystemClock clock;
  const Timestamp first = clock.now();
  const Timestamp second = clock.now();
  EXPECT_GT(first.ms, k2024NewYear);
  EXPECT_LE(first, second);
}

TEST(Timestamp, OrdersByInstant) {
  EXPECT_LT(Timestamp{1}, Timestamp{2});
  EXPECT_EQ(Timestamp{k2024NewYear}, *parse_iso8601("2024-01-01T02:00:00+02:00"));
}

}  // namespace
}  // namespace lastmile::core
