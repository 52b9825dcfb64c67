#pragma once
// POST /v1/optimize's body, read from untrusted JSON before anything is looked up: the drivers, their
// vehicles and the shipments are resolved afterwards by handlers/optimize_handler.cpp. docs/api.md.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/day_plan.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"

namespace lastmile::api {

inline constexpr std::size_t kMaxOptimizeShipments = 500;
inline constexpr std::size_t kMaxOptimizeDrivers = 50;

// One item of `drivers`, as sent.
struct OptimizeDriverSpec {
  core::DriverId driver_id;                 // 1–64 characters, unique in the request
  std::optional<core::VehicleId> vehicle_id;  // absent: the driver's own vehicle
  std::optional<int64_t> capacity;          // parcels, 1–100000; absent: 1000
  std::optional<double> capacity_kg;        // 0–1e6; absent: the vehicle's
  core::Timestamp shift_start;              // the shift ends after it starts, within 48 hours
  core::Timestamp shift_end;
  core::LatLon start = *core::LatLon::from_unsafe({0, 0});
  core::LatLon end = *core::LatLon::from_unsafe({0, 0});  // absent in the request: the start
  std::vector<PlanBreak> breaks;            // api/plan_breaks.hpp
};

struct OptimizeRequest {
  std::string date;  // YYYY-MM-DD
  // Absent: every unassigned shipment of the date. Present: at most 500 ids, none twice.
  std::optional<std::vector<core::ShipmentId>> shipment_ids;
  std::vector<OptimizeDriverSpec> drivers;  // 1–50
  int service_s = 120;                      // 0–3600 per stop
  double time_limit_s = 2;                  // 0.1–30
  uint64_t seed = 1;                        // 1–2^31
  bool apply = false;
  std::optional<double> lateness_penalty;   // 0–1e6: soft windows
};

// Errors: kMissingField, kWrongType or kInvalidField naming the first bad field (e.g.
// "drivers[1].shift.end"), kTooLarge for more than 500 shipment ids, 50 drivers, 3 breaks a driver or
// 4 windows a break.
core::Result<OptimizeRequest> parse_optimize_request(const boost::json::object& body);

}  // namespace lastmile::api
