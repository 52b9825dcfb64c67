#include "domain/delivery_windows.hpp"

#include <algorithm>
#include <map>

namespace lastmile::domain {
namespace {

constexpr double kTenantPseudo = 10;
constexpr double kSlotPseudo = 3;
constexpr double kWindowPseudo = 2;
constexpr size_t kAlternatives = 3;

struct Tally {
  double score = 0;
  int n = 0;
  void add(double s) {
    score += s;
    ++n;
  }
};

double shrink(const Tally& t, double prior, double pseudo) { return (t.score + pseudo * prior) / (t.n + pseudo); }

}  // namespace

WeeklyWindow window_at(int weekday, int local_hour) {
  const int slot = std::clamp((local_hour - kFirstSlotHour) / kSlotHours, 0, kWindowSlots - 1);
  return WeeklyWindow{std::clamp(weekday, 0, 6), local_hour < kFirstSlotHour ? 0 : slot};
}

WeeklyWindow window_of_index(int index) { return WeeklyWindow{index / kWindowSlots, index % kWindowSlots}; }

std::string_view weekday_name(int weekday) {
  static constexpr std::string_view kNames[] = {"monday", "tuesday", "wednesday", "thursday",
                                                "friday", "saturday", "sunday"};
  return kNames[std::clamp(weekday, 0, 6)];
}

double attempt_score(const DeliveryAttempt& a) {
  if (!a.delivered) return 0;
  return a.stars && *a.stars <= 2 ? 0.5 : 1;
}

WindowModel::WindowModel(const std::vector<DeliveryAttempt>& history) {
  Tally overall;
  std::array<Tally, kWindowCount> cells{};
  for (const DeliveryAttempt& a : history) {
    const double s = attempt_score(a);
    overall.add(s);
    cells[static_cast<size_t>(window_at(a.weekday, a.local_hour).index())].add(s);
  }
  const double base = overall.n == 0 ? 0.5 : overall.score / overall.n;
  for (size_t i = 0; i < cells.size(); ++i) tenant_[i] = shrink(cells[i], base, kTenantPseudo);
}

WindowSuggestion WindowModel::suggest(const std::vector<DeliveryAttempt>& own) const {
  std::array<Tally, kWindowCount> cells{};
  std::array<Tally, kWindowSlots> slots{};
  Tally all;
  for (const DeliveryAttempt& a : own) {
    const WeeklyWindow w = window_at(a.weekday, a.local_hour);
    const double s = attempt_score(a);
    cells[static_cast<size_t>(w.index())].add(s);
    slots[static_cast<size_t>(w.slot)].add(s);
    all.add(a.delivered ? 1 : 0);
  }
  std::vector<WindowScore> scores;
  scores.reserve(kWindowCount);
  for (int i = 0; i < kWindowCount; ++i) {
    const WeeklyWindow w = window_of_index(i);
    const double slot = shrink(slots[static_cast<size_t>(w.slot)], tenant_[static_cast<size_t>(i)], kSlotPseudo);
    const Tally& cell = cells[static_cast<size_t>(i)];
    scores.push_back(WindowScore{w, shrink(cell, slot, kWindowPseudo), cell.n});
  }
  // Best first; ties to the earlier window in the week.
  std::stable_sort(scores.begin(), scores.end(),
                   [](const WindowScore& a, const WindowScore& b) { return a.expected_success > b.expected_success; });
  WindowSuggestion out;
  out.best = scores.front();
  for (size_t i = 1; i < scores.size() && out.alternatives.size() < kAlternatives; ++i) {
    out.alternatives.push_back(scores[i]);
  }
  out.recipient_attempts = all.n;
  out.recipient_success_rate = all.n == 0 ? 0 : all.score / all.n;
  return out;
}

WindowEvaluation evaluate_windows(std::vector<DeliveryAttempt> history, core::Timestamp cutoff, int min_cases) {
  std::stable_sort(history.begin(), history.end(),
                   [](const DeliveryAttempt& a, const DeliveryAttempt& b) { return a.at < b.at; });
  std::vector<DeliveryAttempt> training;
  std::map<std::string, std::vector<DeliveryAttempt>> by_recipient;
  for (const DeliveryAttempt& a : history) {
    if (a.at >= cutoff) break;
    training.push_back(a);
    by_recipient[a.recipient].push_back(a);
  }
  WindowEvaluation ev;
  ev.training_attempts = static_cast<int>(training.size());
  const WindowModel model(training);
  std::map<std::string, WindowSuggestion> suggestions;
  int delivered = 0, in_delivered = 0, out_delivered = 0;
  double expected = 0;
  for (const DeliveryAttempt& a : history) {
    if (a.at < cutoff || !a.first_attempt) continue;
    auto own = by_recipient.find(a.recipient);
    if (own == by_recipient.end()) continue;  // no history to suggest from
    auto [it, added] = suggestions.try_emplace(a.recipient);
    if (added) it->second = model.suggest(own->second);
    const WindowSuggestion& s = it->second;
    ++ev.test_first_attempts;
    expected += s.best.expected_success;
    delivered += a.delivered ? 1 : 0;
    if (window_at(a.weekday, a.local_hour) == s.best.window) {
      ++ev.in_suggested_window;
      in_delivered += a.delivered ? 1 : 0;
    } else {
      out_delivered += a.delivered ? 1 : 0;
    }
  }
  if (ev.test_first_attempts == 0) return ev;
  const int outside = ev.test_first_attempts - ev.in_suggested_window;
  ev.baseline_success = static_cast<double>(delivered) / ev.test_first_attempts;
  ev.expected_success_if_suggested = expected / ev.test_first_attempts;
  if (ev.in_suggested_window > 0) ev.in_window_success = static_cast<double>(in_delivered) / ev.in_suggested_window;
  if (outside > 0) ev.out_of_window_success = static_cast<double>(out_delivered) / outside;
  if (ev.in_suggested_window >= min_cases) ev.added_points = (ev.in_window_success - ev.baseline_success) * 100;
  return ev;
}

}  // namespace lastmile::domain
