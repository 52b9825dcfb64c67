// Fuzzes the reader of POST /v1/optimize's body (api/optimize_request.hpp): arbitrary bytes give either
// a request or an Error with a stable code — never a crash, a hang or undefined behaviour. What gets
// through keeps the reader's promises: a YYYY-MM-DD date, 1–50 drivers with unique ids of 1–64
// characters, shifts that end after they start within 48 hours, at most 500 unique shipment ids, and
// the numbers within their documented ranges.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "api/optimize_request.hpp"
#include "api/plan_breaks.hpp"
#include "core/json_reader.hpp"

namespace {

namespace api = lastmile::api;

void check(const api::OptimizeRequest& r) {
  if (r.date.size() != 10 || !lastmile::core::parse_date(r.date)) __builtin_trap();
  if (r.drivers.empty() || r.drivers.size() > api::kMaxOptimizeDrivers) __builtin_trap();
  if (r.service_s < 0 || r.service_s > 3600) __builtin_trap();
  if (!(r.time_limit_s >= 0.1 && r.time_limit_s <= 30)) __builtin_trap();
  if (r.seed < 1 || r.seed > (uint64_t{1} << 31)) __builtin_trap();
  if (r.lateness_penalty && !(*r.lateness_penalty >= 0 && *r.lateness_penalty <= 1e6)) __builtin_trap();
  std::set<std::string> drivers;
  for (const auto& d : r.drivers) {
    const std::string& id = d.driver_id.str();
    if (id.empty() || id.size() > 64 || !drivers.insert(id).second) __builtin_trap();
    if (d.shift_end.ms <= d.shift_start.ms || d.shift_end.ms - d.shift_start.ms > 48LL * 3600 * 1000) __builtin_trap();
    if (d.capacity && (*d.capacity < 1 || *d.capacity > 100000)) __builtin_trap();
    if (d.capacity_kg && !(*d.capacity_kg >= 0 && *d.capacity_kg <= 1e6)) __builtin_trap();
    if (d.breaks.size() > api::kMaxBreaksPerDriver) __builtin_trap();
    for (const auto& p : {d.start, d.end})
      if (!(p.lat() >= -90 && p.lat() <= 90 && p.lon() >= -180 && p.lon() <= 180)) __builtin_trap();
  }
  if (r.shipment_ids) {
    if (r.shipment_ids->size() > api::kMaxOptimizeShipments) __builtin_trap();
    std::set<std::string> ids;
    for (const auto& id : *r.shipment_ids)
      if (!ids.insert(id.str()).second) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto body = lastmile::core::parse_object(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!body) return 0;  // not a JSON object: refused before this reader (json_request_fuzz covers it)
  auto request = api::parse_optimize_request(*body);
  if (request)
    check(*request);
  else
    (void)lastmile::core::code_name(request.error().code);
  return 0;
}
