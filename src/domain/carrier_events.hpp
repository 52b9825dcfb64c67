#pragma once
// Status events pushed by carriers that run their own systems (docs/carriers.md): their codes, our
// mapping of those codes to milestones, and what one event does to a shipment. Pure: no I/O, no clock.
//
// The rules: an event whose code has no mapping is kept raw and becomes a mapping task (never
// dropped); a mapped event moves the shipment only forward — when the state machine allows the
// change and the event is not older than the shipment's last status change — and is otherwise kept
// as history ("recorded"); a repeated event id changes nothing (the storage enforces it).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/time.hpp"
#include "domain/milestone.hpp"

namespace lastmile::domain {

// One carrier code and what it means here. `reason` (optional) goes with attempt_failed or exception
// milestones, e.g. "recipient_absent".
struct CarrierCodeMapping {
  std::string code;
  Milestone milestone = Milestone::kProcessed;
  std::string reason;
  std::string description;
};

inline constexpr size_t kMaxCarrierCodeLen = 64;
inline constexpr size_t kMaxCarrierEventIdLen = 128;
inline constexpr size_t kMaxCarrierMappings = 500;
inline constexpr size_t kMaxCarrierEventsPerRequest = 1000;

// Checks a whole mapping set: codes 1–64 printable characters without spaces, unique; reasons
// lower_snake_case up to 64; descriptions up to 200; at most kMaxCarrierMappings. The error's field
// is "mappings[i].code" etc.
core::Status validate_code_mappings(const std::vector<CarrierCodeMapping>& mappings);

// One event as the carrier sent it (JSON item or CSV row), validated by the parser.
struct CarrierEventInput {
  std::string event_id;         // the carrier's id of the event: the de-duplication key
  std::string tracking_number;  // ours (LM…) — or
  std::string order_id;         // the shipper's external order id
  std::string code;             // the carrier's status code
  core::Timestamp occurred_at;
  std::optional<core::LatLon> location;
  std::string description;      // the carrier's text, kept as is (≤ 500 characters)
};

enum class CarrierEventOutcome {
  kApplied,          // the shipment moved to the mapped milestone
  kRecorded,         // kept as history: same milestone, older than the last change, or a step back
  kUnmapped,         // no mapping for the code yet: kept raw, listed as a mapping task
  kUnknownShipment,  // no shipment of this carrier with that tracking number / order id
  kDuplicate,        // the event id was seen before: nothing changed
};
std::string_view carrier_event_outcome_name(CarrierEventOutcome o);
std::optional<CarrierEventOutcome> parse_carrier_event_outcome(std::string_view name);

// What a mapped event does to a shipment whose status is `status`, last changed at `status_at`.
struct CarrierEventDecision {
  CarrierEventOutcome outcome = CarrierEventOutcome::kRecorded;
  std::string why;  // for kRecorded: "same_status", "older_than_current", "not_a_forward_step"
};
CarrierEventDecision decide_carrier_event(Milestone status, core::Timestamp status_at, const CarrierCodeMapping& m,
                                          core::Timestamp occurred_at);

}  // namespace lastmile::domain
