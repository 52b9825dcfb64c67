#include "domain/entities.hpp"

namespace lastmile::domain {

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
