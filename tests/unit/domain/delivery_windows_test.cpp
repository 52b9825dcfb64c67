// Personalised delivery windows: the shrunk expected success per weekly window, the suggestion, and
// the held-back evaluation, on hand-computed histories.
#include "domain/delivery_windows.hpp"

#include <gtest/gtest.h>

namespace lastmile::domain {
namespace {

core::Timestamp day(int d, int hour = 0) { return core::Timestamp{(int64_t(d) * 24 + hour) * 3'600'000}; }

DeliveryAttempt attempt(std::string who, int d, int weekday, int hour, bool delivered, bool first = true,
                        std::optional<int> stars = std::nullopt) {
  return DeliveryAttempt{std::move(who), who + "-" + std::to_string(d), day(d, hour), weekday, hour, delivered, stars,
                         first};
}

TEST(DeliveryWindowsTest, HoursMapToTwoHourSlots) {
  EXPECT_EQ(window_at(0, 8), (WeeklyWindow{0, 0}));
  EXPECT_EQ(window_at(0, 9), (WeeklyWindow{0, 0}));
  EXPECT_EQ(window_at(2, 14), (WeeklyWindow{2, 3}));
  EXPECT_EQ(window_at(6, 6), (WeeklyWindow{6, 0}));    // before 08:00: first slot
  EXPECT_EQ(window_at(4, 23), (WeeklyWindow{4, 5}));   // after 20:00: last slot
  EXPECT_EQ(window_of_index(window_at(3, 17).index()), (WeeklyWindow{3, 4}));
  EXPECT_EQ(WeeklyWindow({1, 2}).start_hour(), 12);
  EXPECT_EQ(weekday_name(5), "saturday");
}

TEST(DeliveryWindowsTest, ALowRatingHalvesADelivery) {
  EXPECT_EQ(attempt_score(attempt("a", 0, 0, 9, false)), 0);
  EXPECT_EQ(attempt_score(attempt("a", 0, 0, 9, true)), 1);
  EXPECT_EQ(attempt_score(attempt("a", 0, 0, 9, true, true, 2)), 0.5);
  EXPECT_EQ(attempt_score(attempt("a", 0, 0, 9, true, true, 4)), 1);
}

TEST(DeliveryWindowsTest, WithoutHistoryEveryWindowIsEvenAndMondayMorningComesFirst) {
  const WindowModel model({});
  const WindowSuggestion s = model.suggest({});
  EXPECT_DOUBLE_EQ(s.best.expected_success, 0.5);
  EXPECT_EQ(s.best.window, (WeeklyWindow{0, 0}));
  EXPECT_EQ(s.recipient_attempts, 0);
  EXPECT_EQ(s.alternatives.size(), 3u);
}

TEST(DeliveryWindowsTest, TheRecipientsEveningsWinOverTheTenantsMornings) {
  // Tenant: 10 attempts, 8 delivered, all Monday 09:00 (window 0) → overall 0.8.
  std::vector<DeliveryAttempt> history;
  for (int i = 0; i < 10; ++i) history.push_back(attempt("other", i, 0, 9, i < 8));
  // The recipient: failed twice on Tuesday morning, delivered twice on Thursday 18:30.
  const std::vector<DeliveryAttempt> own = {attempt("r", 20, 1, 9, false), attempt("r", 21, 1, 10, false),
                                            attempt("r", 22, 3, 18, true), attempt("r", 23, 3, 19, true)};
  history.insert(history.end(), own.begin(), own.end());
  const WindowModel model(history);
  // Tenant overall: 10 of 14 → 5/7. Thursday 18–20 (index 23): tenant (2 + 10·5/7) / 12.
  const double base = 10.0 / 14;
  const double tenant_thu = (2 + 10 * base) / 12;
  EXPECT_NEAR(model.tenant_rate({3, 5}), tenant_thu, 1e-12);
  // Recipient slot 18–20 any day: 2 of 2 → (2 + 3·tenant_thu) / 5; window: (2 + 2·slot) / 4.
  const double slot = (2 + 3 * tenant_thu) / 5;
  const WindowSuggestion s = model.suggest(own);
  EXPECT_EQ(s.best.window, (WeeklyWindow{3, 5}));
  EXPECT_NEAR(s.best.expected_success, (2 + 2 * slot) / 4, 1e-12);
  EXPECT_EQ(s.best.attempts, 2);
  EXPECT_EQ(s.recipient_attempts, 4);
  EXPECT_DOUBLE_EQ(s.recipient_success_rate, 0.5);
  // Tuesday 08–10 (the failures) is far down: (0 + 2·slot₀) / 3 with slot₀ = (0 + 3·tenant) / 5.
  for (const WindowScore& alt : s.alternatives) EXPECT_NE(alt.window, (WeeklyWindow{1, 0}));
  EXPECT_GE(s.best.expected_success, s.alternatives.front().expected_success);
}

TEST(DeliveryWindowsTest, TheHeldBackEvaluationComparesSuggestedWindowsWithWhatHappened) {
  std::vector<DeliveryAttempt> h;
  // Training (days 0-9): r1 and r2 fail on Monday mornings and succeed on Wednesday afternoons.
  for (const char* r : {"r1", "r2"}) {
    h.push_back(attempt(r, 0, 0, 9, false));
    h.push_back(attempt(r, 2, 2, 15, true));
    h.push_back(attempt(r, 7, 0, 9, false));
    h.push_back(attempt(r, 9, 2, 14, true));
  }
  // Held back (day 10 on): r1 twice in its suggested window (Wed 14-16: both delivered), r2 once
  // outside (Mon 09: failed), r1 once outside (Mon 08: failed); r3 has no training history.
  h.push_back(attempt("r1", 16, 2, 15, true));
  h.push_back(attempt("r1", 23, 2, 14, true));
  h.push_back(attempt("r2", 14, 0, 9, false));
  h.push_back(attempt("r1", 21, 0, 8, false));
  h.push_back(attempt("r3", 15, 4, 10, true));
  // A retry (not a first attempt) is not a test case.
  h.push_back(attempt("r2", 15, 1, 11, true, false));
  const WindowEvaluation ev = evaluate_windows(h, day(10), 2);
  EXPECT_EQ(ev.training_attempts, 8);
  EXPECT_EQ(ev.test_first_attempts, 4);
  EXPECT_DOUBLE_EQ(ev.baseline_success, 0.5);
  EXPECT_EQ(ev.in_suggested_window, 2);
  EXPECT_DOUBLE_EQ(ev.in_window_success, 1.0);
  EXPECT_DOUBLE_EQ(ev.out_of_window_success, 0.0);
  ASSERT_TRUE(ev.added_points.has_value());
  EXPECT_DOUBLE_EQ(*ev.added_points, 50.0);
  EXPECT_GT(ev.expected_success_if_suggested, 0.5);
  // Too few cases in a window: no figure is claimed.
  EXPECT_FALSE(evaluate_windows(h, day(10), 3).added_points.has_value());
  // Nothing held back.
  EXPECT_EQ(evaluate_windows(h, day(100)).test_first_attempts, 0);
}

}  // namespace
}  // namespace lastmile::domain
