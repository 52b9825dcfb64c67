#include "domain/milestone.hpp"

#include <array>

namespace lastmile::domain {
namespace {

constexpr std::array kAll = {
    Milestone::kCreated,        Milestone::kProcessed, Milestone::kShipped,
    Milestone::kOutForDelivery, Milestone::kArriving,  Milestone::kDelivered,
    Milestone::kAttemptFailed,  Milestone::kException, Milestone::kReturned,
    Milestone::kCancelled,      Milestone::kAvailableForPickup,
};

}  // namespace

std::string_view milestone_name(Milestone m) {
  switch (m) {
    case Milestone::kCreated: return "created";
    case Milestone::kProcessed: return "processed";
    case Milestone::kShipped: return "shipped";
    case Milestone::kOutForDelivery: return "out_for_delivery";
    case Milestone::kArriving: return "arriving";
    case Milestone::kDelivered: return "delivered";
    case Milestone::kAttemptFailed: return "attempt_failed";
    case Milestone::kException: return "exception";
    case Milestone::kReturned: return "returned";
    case Milestone::kCancelled: return "cancelled";
    case Milestone::kAvailableForPickup: return "available_for_pickup";
  }
  return "created";
}

std::optional<Milestone> parse_milestone(std::string_view name) {
  for (Milestone m : kAll)
    if (milestone_name(m) == name) return m;
  return std::nullopt;
}

std::span<const Milestone> all_milestones() { return kAll; }

std::string_view aftership_tag(Milestone m) {
  switch (m) {
    case Milestone::kCreated: return "InfoReceived";
    case Milestone::kProcessed:
    case Milestone::kShipped: return "InTransit";
    case Milestone::kOutForDelivery:
    case Milestone::kArriving: return "OutForDelivery";
    case Milestone::kDelivered: return "Delivered";
    case Milestone::kAttemptFailed: return "AttemptFail";
    case Milestone::kAvailableForPickup: return "AvailableForPickup";
    case Milestone::kException:
    case Milestone::kReturned:
    case Milestone::kCancelled: return "Exception";
  }
  return "Exception";
}

bool is_terminal(Milestone m) {
  return m == Milestone::kDelivered || m == Milestone::kReturned || m == Milestone::kCancelled;
}

bool transition_allowed(Milestone from, Milestone to) {
  using M = Milestone;
  if (from == to || is_terminal(from)) return false;
  switch (to) {
    case M::kCreated: return false;
    case M::kProcessed: return from == M::kCreated || from == M::kException;
    case M::kShipped: return from == M::kCreated || from == M::kProcessed || from == M::kException;
    case M::kOutForDelivery:
      return from == M::kCreated || from == M::kProcessed || from == M::kShipped ||
             from == M::kAttemptFailed || from == M::kException;
    case M::kArriving: return from == M::kOutForDelivery;
    case M::kDelivered:
      return from == M::kOutForDelivery || from == M::kArriving || from == M::kAvailableForPickup;
    case M::kAttemptFailed: return from == M::kOutForDelivery || from == M::kArriving;
    case M::kException: return true;  // any non-terminal state can raise an exception
    case M::kReturned:
      return from == M::kShipped || from == M::kOutForDelivery || from == M::kArriving ||
             from == M::kAttemptFailed || from == M::kException || from == M::kAvailableForPickup;
    case M::kCancelled:
      return from == M::kCreated || from == M::kProcessed || from == M::kException;
    case M::kAvailableForPickup:
      return from == M::kShipped || from == M::kOutForDelivery || from == M::kAttemptFailed ||
             from == M::kException;
  }
  return false;
}

}  // namespace lastmile::domain
