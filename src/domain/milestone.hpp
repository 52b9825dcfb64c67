#pragma once
// The shipment milestone state machine (DESIGN.md R2). Pure: no I/O, no clock.

#include <optional>
#include <span>
#include <string_view>

namespace lastmile::domain {

enum class Milestone {
  kCreated,
  kProcessed,
  kShipped,
  kOutForDelivery,
  kArriving,
  kDelivered,
  kAttemptFailed,
  kException,
  kReturned,
  kCancelled,
  kAvailableForPickup,
};

// Stable API names: "created", "processed", "shipped", "out_for_delivery", "arriving", "delivered",
// "attempt_failed", "exception", "returned", "cancelled", "available_for_pickup".
std::string_view milestone_name(Milestone m);
std::optional<Milestone> parse_milestone(std::string_view name);
std::span<const Milestone> all_milestones();

// AfterShip-style tag: InfoReceived, InTransit, OutForDelivery, AttemptFail, Delivered,
// AvailableForPickup, Exception.
std::string_view aftership_tag(Milestone m);

// True for delivered, returned and cancelled: nothing follows them.
bool is_terminal(Milestone m);

// True when `from` → `to` is a legal change. Moving to the same milestone is never legal (a repeat
// is not a change). The main chain created → processed → shipped → out_for_delivery may skip steps
// forward (carriers often omit scans) but never goes back; arriving needs out_for_delivery;
// delivered needs out_for_delivery, arriving or available_for_pickup.
bool transition_allowed(Milestone from, Milestone to);

}  // namespace lastmile::domain
