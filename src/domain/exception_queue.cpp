#include "domain/exception_queue.hpp"

#include <array>

namespace lastmile::domain {
namespace {

constexpr std::array kAllKinds = {
    ExceptionKind::kLateRisk,   ExceptionKind::kOffRoute,      ExceptionKind::kDeviceOffline,
    ExceptionKind::kStationary, ExceptionKind::kAttemptFailed, ExceptionKind::kShipmentException,
    ExceptionKind::kMissingScan,
    ExceptionKind::kPodLocationMismatch,
    ExceptionKind::kLowRating,
    ExceptionKind::kTrackingStale,
};

template <typename Enum, size_t N>
std::optional<Enum> parse_by_name(std::string_view name, const std::array<Enum, N>& all,
                                  std::string_view (*name_of)(Enum)) {
  for (Enum v : all)
    if (name_of(v) == name) return v;
  return std::nullopt;
}

ExceptionSignal raise(ExceptionKind k) { return {ExceptionSignal::Action::kRaise, k}; }
ExceptionSignal clear(ExceptionKind k) { return {ExceptionSignal::Action::kClear, k}; }

}  // namespace

std::string_view exception_kind_name(ExceptionKind k) {
  switch (k) {
    case ExceptionKind::kLateRisk: return "late_risk";
    case ExceptionKind::kOffRoute: return "off_route";
    case ExceptionKind::kDeviceOffline: return "device_offline";
    case ExceptionKind::kStationary: return "stationary";
    case ExceptionKind::kAttemptFailed: return "attempt_failed";
    case ExceptionKind::kShipmentException: return "exception";
    case ExceptionKind::kMissingScan: return "missing_scan";
    case ExceptionKind::kPodLocationMismatch: return "pod_location_mismatch";
    case ExceptionKind::kLowRating: return "low_rating";
    case ExceptionKind::kTrackingStale: return "tracking_stale";
  }
  return "exception";
}

std::optional<ExceptionKind> parse_exception_kind(std::string_view name) {
  return parse_by_name(name, kAllKinds, exception_kind_name);
}

std::span<const ExceptionKind> all_exception_kinds() { return kAllKinds; }

bool is_driver_exception(ExceptionKind k) {
  return k == ExceptionKind::kOffRoute || k == ExceptionKind::kDeviceOffline || k == ExceptionKind::kStationary;
}

std::string_view exception_status_name(ExceptionStatus s) {
  switch (s) {
    case ExceptionStatus::kOpen: return "open";
    case ExceptionStatus::kAcknowledged: return "acknowledged";
    case ExceptionStatus::kResolved: return "resolved";
  }
  return "open";
}

std::optional<ExceptionStatus> parse_exception_status(std::string_view name) {
  constexpr std::array all = {ExceptionStatus::kOpen, ExceptionStatus::kAcknowledged, ExceptionStatus::kResolved};
  return parse_by_name(name, all, exception_status_name);
}

std::string_view resolution_name(Resolution r) {
  switch (r) {
    case Resolution::kAuto: return "auto";
    case Resolution::kHandled: return "handled";
    case Resolution::kFalseAlarm: return "false_alarm";
  }
  return "handled";
}

std::optional<Resolution> parse_resolution(std::string_view name) {
  constexpr std::array all = {Resolution::kAuto, Resolution::kHandled, Resolution::kFalseAlarm};
  return parse_by_name(name, all, resolution_name);
}

std::string_view exception_entry_name(ExceptionEntryKind k) {
  switch (k) {
    case ExceptionEntryKind::kRaised: return "raised";
    case ExceptionEntryKind::kRepeated: return "repeated";
    case ExceptionEntryKind::kAcknowledged: return "acknowledged";
    case ExceptionEntryKind::kResolved: return "resolved";
    case ExceptionEntryKind::kNote: return "note";
  }
  return "note";
}

std::optional<ExceptionEntryKind> parse_exception_entry(std::string_view name) {
  constexpr std::array all = {ExceptionEntryKind::kRaised, ExceptionEntryKind::kRepeated,
                              ExceptionEntryKind::kAcknowledged, ExceptionEntryKind::kResolved,
                              ExceptionEntryKind::kNote};
  return parse_by_name(name, all, exception_entry_name);
}

std::vector<ExceptionSignal> exception_signals(const Event& e) {
  using K = ExceptionKind;
  if (e.milestone) {
    std::vector<ExceptionSignal> out;
    // A carrier reported (source "carrier:…"): its tracking is alive again.
    if (e.source.starts_with("carrier:")) out.push_back(clear(K::kTrackingStale));
    if (*e.milestone == Milestone::kAttemptFailed) out.push_back(raise(K::kAttemptFailed));
    if (*e.milestone == Milestone::kException) out.push_back(raise(K::kShipmentException));
    if (is_terminal(*e.milestone)) out.push_back({ExceptionSignal::Action::kClearShipmentCases, K::kLateRisk});
    return out;
  }
  if (e.type == "pod_location_mismatch") return {raise(K::kPodLocationMismatch)};
  if (e.type == "late_risk") return {raise(K::kLateRisk)};
  if (e.type == "missing_scan") return {raise(K::kMissingScan)};
  if (e.type == "survey_low_rating") return {raise(K::kLowRating)};
  if (e.type == "tracking_stale") return {raise(K::kTrackingStale)};
  if (e.type == "tracking_stale_cleared") return {clear(K::kTrackingStale)};
  if (e.type == "late_risk_cleared") return {clear(K::kLateRisk)};
  if (e.type == "off_route") return {raise(K::kOffRoute)};
  if (e.type == "back_on_route") return {clear(K::kOffRoute)};
  if (e.type == "device_offline") return {raise(K::kDeviceOffline)};
  if (e.type == "stationary") return {raise(K::kStationary)};
  if (e.type == "device_offline_cleared") return {clear(K::kDeviceOffline)};
  if (e.type == "stationary_cleared") return {clear(K::kStationary)};
  return {};
}

RaiseOutcome on_raise(const std::optional<ExceptionCase>& open, Timestamp at) {
  if (!open || open->status == ExceptionStatus::kResolved) return RaiseOutcome::kOpenNew;
  return at > open->last_seen_at ? RaiseOutcome::kRepeat : RaiseOutcome::kSame;
}

core::Result<ExceptionStatus> apply_action(ExceptionStatus from, ExceptionAction action) {
  if (action == ExceptionAction::kAcknowledge && from == ExceptionStatus::kOpen) return ExceptionStatus::kAcknowledged;
  if (action == ExceptionAction::kResolve && from != ExceptionStatus::kResolved) return ExceptionStatus::kResolved;
  const std::string verb = action == ExceptionAction::kAcknowledge ? "acknowledged" : "resolved";
  return core::Error{core::ErrorCode::kIllegalTransition,
                     "an exception that is " + std::string(exception_status_name(from)) + " cannot be " + verb,
                     "status"};
}

}  // namespace lastmile::domain
