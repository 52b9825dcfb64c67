#pragma once
// The dispatcher's exception queue (DESIGN.md R8, R16): what an exception case is, which committed
// events raise or clear one, and the legal changes of its state. Pure: no I/O, no clock.
//
// A case is about a subject: one shipment (late_risk, attempt_failed, exception) or one driver on one
// route (off_route, device_offline, stationary — the pipeline writes those on every open shipment
// of the route, but the dispatcher handles them once). At most one case per (tenant, kind, subject)
// is not resolved: a repeated raise counts on the open case instead of opening another.
//
// States: open → acknowledged → resolved, and open → resolved. A resolved case is final; a later
// raise of the same kind and subject opens a new case.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"

namespace lastmile::domain {

enum class ExceptionKind {
  kLateRisk,
  kOffRoute,
  kDeviceOffline,
  kStationary,
  kAttemptFailed,
  kShipmentException,
  kMissingScan,          // a stop completed with a parcel never scanned (docs/chain-of-custody.md)
  kPodLocationMismatch,  // a proof of delivery captured too far from the address (docs/proof-of-delivery.md)
  kLowRating,            // a customer rated the delivery 1 or 2 stars (docs/chat-and-surveys.md)
  kTrackingStale,        // no carrier event for the tenant's tracking_stale_hours in transit (docs/carriers.md)
};
// Stable API names: "late_risk", "off_route", "device_offline", "stationary", "attempt_failed",
// "exception", "missing_scan", "pod_location_mismatch" (the event types that raise them), and
// "low_rating" (raised by the event `survey_low_rating`), "tracking_stale".
std::string_view exception_kind_name(ExceptionKind k);
std::optional<ExceptionKind> parse_exception_kind(std::string_view name);
std::span<const ExceptionKind> all_exception_kinds();
// True for the kinds whose subject is the driver on a route rather than one shipment.
bool is_driver_exception(ExceptionKind k);

enum class ExceptionStatus { kOpen, kAcknowledged, kResolved };
// "open", "acknowledged", "resolved".
std::string_view exception_status_name(ExceptionStatus s);
std::optional<ExceptionStatus> parse_exception_status(std::string_view name);

enum class Resolution { kAuto, kHandled, kFalseAlarm };
// "auto" (a clearing event resolved it), "handled", "false_alarm". Clients may choose the last two.
std::string_view resolution_name(Resolution r);
std::optional<Resolution> parse_resolution(std::string_view name);

// Who changed a case and when (an acknowledgement or a resolution).
struct ExceptionStamp {
  Timestamp at;
  std::string actor;  // credential id, or "system" for an automatic resolution
  std::string role;   // the actor's role name ("dispatcher"), "system" for automatic
};

struct ExceptionCase {
  int64_t seq = 0;
  core::ExceptionId id;
  core::TenantId tenant_id;
  ExceptionKind kind = ExceptionKind::kLateRisk;
  ExceptionStatus status = ExceptionStatus::kOpen;
  // The subject: shipment cases have shipment_id; driver cases have driver_id and route_id and the
  // shipment of the event that first raised them. route_id/driver_id of a shipment case are the
  // shipment's route and its driver at the time of the raise, when it was on one.
  std::optional<core::ShipmentId> shipment_id;
  std::optional<core::DriverId> driver_id;
  std::optional<core::RouteId> route_id;
  Timestamp first_seen_at;  // the raising event's `at`
  Timestamp last_seen_at;   // the latest raise's `at`
  int count = 1;            // raises seen (one per distinct `at`)
  std::string details_json; // the latest raising event's payload (a JSON object text)
  std::optional<ExceptionStamp> acknowledged;
  std::optional<ExceptionStamp> resolved;
  std::optional<Resolution> resolution;
  int64_t revision = 1;     // increases with every change: a client keeps the highest it saw
  Timestamp created_at;
  Timestamp updated_at;
};

// One line of a case's history, oldest first.
enum class ExceptionEntryKind { kRaised, kRepeated, kAcknowledged, kResolved, kNote };
// "raised", "repeated", "acknowledged", "resolved", "note".
std::string_view exception_entry_name(ExceptionEntryKind k);
std::optional<ExceptionEntryKind> parse_exception_entry(std::string_view name);

struct ExceptionEntry {
  ExceptionEntryKind kind = ExceptionEntryKind::kNote;
  Timestamp at;
  std::string actor;
  std::string role;
  std::string note;                     // may be empty except for kNote
  std::optional<core::EventId> event_id;  // raised/repeated/auto-resolved: the event
  std::optional<Resolution> resolution;   // kResolved
};

// What a committed event means for the queue.
struct ExceptionSignal {
  enum class Action {
    kRaise,              // open a case of `kind` for the event's subject, or count on the open one
    kClear,              // resolve the open case of `kind` for the event's subject (resolution auto)
    kClearShipmentCases, // resolve every open shipment case of the event's shipment (it is finished)
  };
  Action action = Action::kRaise;
  ExceptionKind kind = ExceptionKind::kLateRisk;  // unused by kClearShipmentCases
};

// The signals of one event (usually none):
//   late_risk → raise late_risk; late_risk_cleared → clear it;
//   off_route, device_offline, stationary → raise (driver cases); back_on_route,
//   device_offline_cleared, stationary_cleared → clear them;
//   milestone attempt_failed / exception → raise attempt_failed / exception;
//   missing_scan (a completed stop's delivered parcel never scanned, domain/custody.hpp) → raise;
//   survey_low_rating (a survey of at most 2 stars, domain/survey.hpp) → raise low_rating;
//   tracking_stale → raise tracking_stale; tracking_stale_cleared, or any event a carrier reported
//   (source "carrier:…") → clear it;
//   a terminal milestone (delivered, returned, cancelled) → clear the shipment's cases.
std::vector<ExceptionSignal> exception_signals(const Event& e);

// How a raise at `at` meets the case that is open for its kind and subject (if any).
enum class RaiseOutcome {
  kOpenNew,  // none is open: a new case
  kRepeat,   // a later raise: count it and move last_seen_at
  kSame,     // the same raise seen again (a driver case raised on several shipments at once, or
             // the same event time): nothing changes
};
RaiseOutcome on_raise(const std::optional<ExceptionCase>& open, Timestamp at);

// What a person may do to a case.
enum class ExceptionAction { kAcknowledge, kResolve };
// kIllegalTransition (field "status") unless: acknowledge an open case, resolve an open or an
// acknowledged one. Returns the new status.
core::Result<ExceptionStatus> apply_action(ExceptionStatus from, ExceptionAction action);

// Limits of the API's inputs.
inline constexpr size_t kMaxExceptionNoteChars = 2000;

}  // namespace lastmile::domain
