#include "domain/entities.hpp"

namespace lastmile::domain {

std::string_view out_for_delivery_trigger_name(OutForDeliveryTrigger t) {
  return t == OutForDeliveryTrigger::kRouteStart ? "route_start" : "depot_departure";
}

std::optional<OutForDeliveryTrigger> parse_out_for_delivery_trigger(std::string_view name) {
  if (name == "depot_departure") return OutForDeliveryTrigger::kDepotDeparture;
  if (name == "route_start") return OutForDeliveryTrigger::kRouteStart;
  return std::nullopt;
}

std::string_view route_status_name(RouteStatus s) {
  switch (s) {
    case RouteStatus::kPlanned: return "planned";
    case RouteStatus::kInProgress: return "in_progress";
    case RouteStatus::kCompleted: return "completed";
    case RouteStatus::kCancelled: return "cancelled";
  }
  return "planned";
}

std::string_view stop_status_name(StopStatus s) {
  switch (s) {
    case StopStatus::kPending: return "pending";
    case StopStatus::kArrived: return "arrived";
    case StopStatus::kCompleted: return "completed";
    case StopStatus::kFailed: return "failed";
    case StopStatus::kSkipped: return "skipped";
  }
  return "pending";
}

}  // namespace lastmile::domain
