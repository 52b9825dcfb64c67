#pragma once
// Personalised delivery windows (docs/delivery-windows.md): from a recipient's delivery history,
// the weekly window with the best expected first-attempt success, and how much first-attempt
// success such suggestions add, measured on held-back history. Pure: attempts in, figures out.
//
// Windows: 7 weekdays × 6 two-hour slots from 08:00 to 20:00 in the recipient's local time (an
// attempt before 08:00 counts in the first slot, one after 20:00 in the last).
//
// Expected success of a window for one recipient, shrunk towards what is known so a single lucky
// attempt does not decide (empirical Bayes with pseudo-counts):
//   tenant(w)    = (S_w + 10 × tenant overall rate) / (N_w + 10)        every recipient's attempts
//   slot(r, w)   = (s_slot + 3 × tenant(w)) / (n_slot + 3)             r's attempts in w's slot, any day
//   expected(r,w)= (s_w + 2 × slot(r, w)) / (n_w + 2)                  r's attempts in w itself
// where an attempt counts 1 if it delivered, 0 if it failed, and a delivery the customer rated 1 or
// 2 stars counts 0.5 (delivered, but not when it suited them). The tenant overall rate starts at
// 0.5 when there is no history at all.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace lastmile::domain {

inline constexpr int kWindowSlots = 6;       // per day
inline constexpr int kFirstSlotHour = 8;     // 08:00
inline constexpr int kSlotHours = 2;
inline constexpr int kWindowCount = 7 * kWindowSlots;

struct WeeklyWindow {
  int weekday = 0;  // 0 = Monday … 6 = Sunday
  int slot = 0;     // 0 = 08:00–10:00 … 5 = 18:00–20:00
  int index() const { return weekday * kWindowSlots + slot; }
  int start_hour() const { return kFirstSlotHour + slot * kSlotHours; }
  bool operator==(const WeeklyWindow&) const = default;
};
WeeklyWindow window_at(int weekday, int local_hour);
WeeklyWindow window_of_index(int index);
std::string_view weekday_name(int weekday);  // "monday" …

// One delivery attempt of one shipment as history: where (local time) and how it went.
struct DeliveryAttempt {
  std::string recipient;        // a stable key of the recipient (phone, else e-mail), never shown
  std::string shipment_id;
  core::Timestamp at;
  int weekday = 0;              // local, 0 = Monday
  int local_hour = 0;           // 0–23
  bool delivered = false;
  std::optional<int> stars;     // the delivery's survey rating, if any
  bool first_attempt = false;   // the shipment's first attempt
};

double attempt_score(const DeliveryAttempt& a);  // 1, 0, or 0.5 (see above)

struct WindowScore {
  WeeklyWindow window;
  double expected_success = 0;  // in [0, 1]
  int attempts = 0;             // the recipient's own attempts in this window
};

struct WindowSuggestion {
  WindowScore best;
  std::vector<WindowScore> alternatives;  // the next best, at most 3, by expected success
  int recipient_attempts = 0;             // history the suggestion rests on
  double recipient_success_rate = 0;      // of those (0 when none)
};

// The model: tenant-wide counts once, then a suggestion per recipient.
class WindowModel {
 public:
  explicit WindowModel(const std::vector<DeliveryAttempt>& history);
  // `own` are the recipient's attempts (a subset of the history or not).
  WindowSuggestion suggest(const std::vector<DeliveryAttempt>& own) const;
  double tenant_rate(const WeeklyWindow& w) const { return tenant_[static_cast<size_t>(w.index())]; }

 private:
  std::array<double, kWindowCount> tenant_{};
};

// Held-back evaluation: attempts before `cutoff` train the model; every first attempt at or after
// `cutoff` of a recipient with training history is a test case, compared with the window
// suggested for that recipient from the training history alone.
struct WindowEvaluation {
  int training_attempts = 0;
  int test_first_attempts = 0;           // held-back first attempts of recipients with history
  double baseline_success = 0;           // share of those that delivered (what happened)
  int in_suggested_window = 0;           // of those, how many fell in the suggested window
  double in_window_success = 0;          // share of those that delivered
  double out_of_window_success = 0;      // share of the others that delivered
  double expected_success_if_suggested = 0;  // the model's mean expected success of the suggestions
  // (in_window_success − baseline_success) in percentage points: what delivering in the suggested
  // windows added on the held-back history; absent when fewer than `min_cases` fell in a window.
  std::optional<double> added_points;
};
WindowEvaluation evaluate_windows(std::vector<DeliveryAttempt> history, core::Timestamp cutoff, int min_cases = 5);

}  // namespace lastmile::domain
