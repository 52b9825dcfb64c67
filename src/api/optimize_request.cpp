#include "api/optimize_request.hpp"

#include <set>

#include "api/json_io.hpp"
#include "api/plan_breaks.hpp"

namespace lastmile::api {

namespace json = boost::json;
using core::Error;
using core::Result;

namespace {

constexpr int64_t kMaxShiftMs = 48LL * 3600 * 1000;

Result<OptimizeDriverSpec> parse_driver(const json::value& v, const std::string& path) {
  if (!v.is_object()) return Error::wrong_type(path, "an object");
  JsonReader r(v.as_object(), path);
  OptimizeDriverSpec d;
  d.driver_id = core::DriverId(r.string("driver_id", {.required = true, .max_len = 64, .min_len = 1}));
  auto vehicle = r.optional_string("vehicle_id", 64);
  d.capacity = r.integer("capacity", 1, 100000);
  d.capacity_kg = r.number("capacity_kg", 0, 1e6);
  const json::object* shift = r.object("shift", true);
  const json::object* start = r.object("start", true);
  const json::object* end = r.object("end");
  const json::array* breaks = r.array("breaks", kMaxBreaksPerDriver);
  if (r.error()) return *r.error();
  if (vehicle) d.vehicle_id = core::VehicleId(*vehicle);
  JsonReader sr(*shift, path + ".shift");
  auto from = sr.timestamp("start", true);
  auto to = sr.timestamp("end", true);
  if (sr.error()) return *sr.error();
  if (to->ms <= from->ms || to->ms - from->ms > kMaxShiftMs)
    return Error::invalid_field(path + ".shift.end", "the shift must end after it starts, within 48 hours");
  d.shift_start = *from;
  d.shift_end = *to;
  if (breaks) {
    auto parsed = parse_breaks(*breaks, path + ".breaks", *from, *to);
    if (!parsed) return parsed.error();
    d.breaks = std::move(*parsed);
  }
  JsonReader st(*start, path + ".start");
  auto start_pos = st.lat_lon();
  if (st.error()) return *st.error();
  if (!start_pos) return Error::missing_field(path + ".start.lat");
  d.start = d.end = *start_pos;
  if (end) {
    JsonReader er(*end, path + ".end");
    auto end_pos = er.lat_lon();
    if (er.error()) return *er.error();
    if (end_pos) d.end = *end_pos;
  }
  return d;
}

Result<std::vector<core::ShipmentId>> parse_shipment_ids(const json::array& ids) {
  std::vector<core::ShipmentId> out;
  std::set<std::string_view> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string path = "shipment_ids[" + std::to_string(i) + "]";
    if (!ids[i].is_string()) return Error::wrong_type(path, "a shipment id string");
    const std::string_view id = ids[i].as_string();
    if (!seen.insert(id).second) return Error::invalid_field(path, "shipment listed twice");
    out.emplace_back(std::string(id));
  }
  return out;
}

}  // namespace

Result<OptimizeRequest> parse_optimize_request(const json::object& body) {
  JsonReader r(body);
  OptimizeRequest req;
  req.date = r.string("date", {.required = true, .max_len = 10});
  const json::array* ids = r.array("shipment_ids", kMaxOptimizeShipments);
  const json::array* drivers = r.array("drivers", kMaxOptimizeDrivers, true);
  auto service = r.integer("service_s", 0, 3600);
  auto limit = r.number("time_limit_s", 0.1, 30);
  auto seed = r.integer("seed", 1, int64_t{1} << 31);
  auto apply = r.boolean("apply");
  req.lateness_penalty = r.number("lateness_penalty", 0, 1e6);
  if (r.error()) return *r.error();
  if (!core::parse_date(req.date)) return Error::invalid_field("date", "date must be YYYY-MM-DD");
  if (drivers->empty()) return Error::invalid_field("drivers", "drivers must not be empty");
  req.service_s = static_cast<int>(service.value_or(120));
  req.time_limit_s = limit.value_or(2);
  req.seed = static_cast<uint64_t>(seed.value_or(1));
  req.apply = apply.value_or(false);
  std::set<std::string> seen;
  for (size_t i = 0; i < drivers->size(); ++i) {
    const std::string path = "drivers[" + std::to_string(i) + "]";
    auto d = parse_driver((*drivers)[i], path);
    if (!d) return d.error();
    if (!seen.insert(d->driver_id.str()).second)
      return Error::invalid_field(path + ".driver_id", "driver listed twice");
    req.drivers.push_back(std::move(*d));
  }
  if (ids) {
    auto listed = parse_shipment_ids(*ids);
    if (!listed) return listed.error();
    req.shipment_ids = std::move(*listed);
  }
  return req;
}

}  // namespace lastmile::api
