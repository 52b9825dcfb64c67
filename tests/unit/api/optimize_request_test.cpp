// POST /v1/optimize's body before any look-up: what is read, the defaults, and every refusal with its
// code and field.
#include "api/optimize_request.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

namespace json = boost::json;
using core::ErrorCode;

constexpr const char* kDriver =
    R"({"driver_id":"drv_1","shift":{"start":"2026-11-23T08:00:00Z","end":"2026-11-23T16:00:00Z"},)"
    R"("start":{"lat":43.7384,"lon":7.4246}})";

core::Result<OptimizeRequest> parse(const std::string& text) {
  return parse_optimize_request(json::parse(text).as_object());
}

std::string with_drivers(const std::string& drivers, const std::string& more = "") {
  return R"({"date":"2026-11-23","drivers":[)" + drivers + "]" + more + "}";
}

void expect_error(const core::Result<OptimizeRequest>& r, ErrorCode code, std::string_view field) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

TEST(OptimizeRequestTest, ReadsADayWithDefaults) {
  const auto r = parse(with_drivers(kDriver));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->date, "2026-11-23");
  EXPECT_FALSE(r->shipment_ids.has_value());  // every unassigned shipment of the day
  EXPECT_EQ(r->service_s, 120);
  EXPECT_DOUBLE_EQ(r->time_limit_s, 2);
  EXPECT_EQ(r->seed, 1u);
  EXPECT_FALSE(r->apply);
  EXPECT_FALSE(r->lateness_penalty.has_value());
  ASSERT_EQ(r->drivers.size(), 1u);
  const auto& d = r->drivers[0];
  EXPECT_EQ(d.driver_id.str(), "drv_1");
  EXPECT_FALSE(d.vehicle_id || d.capacity || d.capacity_kg);  // the driver's vehicle decides, later
  EXPECT_EQ(d.shift_end.ms - d.shift_start.ms, 8 * 3600 * 1000);
  EXPECT_DOUBLE_EQ(d.end.lat(), d.start.lat());  // no end: back to the start
  EXPECT_DOUBLE_EQ(d.end.lon(), 7.4246);
  EXPECT_TRUE(d.breaks.empty());
}

TEST(OptimizeRequestTest, ReadsEveryOption) {
  const auto r = parse(with_drivers(
      R"({"driver_id":"drv_1","vehicle_id":"veh_9","capacity":40,"capacity_kg":350.5,)"
      R"("shift":{"start":"2026-11-23T08:00:00Z","end":"2026-11-23T16:00:00Z"},)"
      R"("start":{"lat":43.7384,"lon":7.4246},"end":{"lat":43.73,"lon":7.42},)"
      R"("breaks":[{"id":"lunch","duration_s":1800,"windows":[{"start":"2026-11-23T12:00:00Z","end":"2026-11-23T13:00:00Z"}]}]})",
      R"(,"shipment_ids":["shp_1","shp_2"],"service_s":90,"time_limit_s":0.5,"seed":7,"apply":true,"lateness_penalty":2)"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->shipment_ids.has_value());
  ASSERT_EQ(r->shipment_ids->size(), 2u);
  EXPECT_EQ((*r->shipment_ids)[1].str(), "shp_2");
  EXPECT_EQ(r->service_s, 90);
  EXPECT_DOUBLE_EQ(r->time_limit_s, 0.5);
  EXPECT_EQ(r->seed, 7u);
  EXPECT_TRUE(r->apply);
  EXPECT_DOUBLE_EQ(r->lateness_penalty.value_or(-1), 2);
  const auto& d = r->drivers[0];
  EXPECT_EQ(d.vehicle_id->str(), "veh_9");
  EXPECT_EQ(d.capacity.value_or(0), 40);
  EXPECT_DOUBLE_EQ(d.capacity_kg.value_or(0), 350.5);
  EXPECT_DOUBLE_EQ(d.end.lat(), 43.73);
  ASSERT_EQ(d.breaks.size(), 1u);
  EXPECT_EQ(d.breaks[0].id, "lunch");
}

TEST(OptimizeRequestTest, RefusesABadDayOrFleet) {
  expect_error(parse(R"({"drivers":[]})"), ErrorCode::kMissingField, "date");
  expect_error(parse(R"({"date":"23/11/2026","drivers":[]})"), ErrorCode::kInvalidField, "date");
  expect_error(parse(R"({"date":"2026-11-23"})"), ErrorCode::kMissingField, "drivers");
  expect_error(parse(R"({"date":"2026-11-23","drivers":{}})"), ErrorCode::kWrongType, "drivers");
  expect_error(parse(with_drivers("")), ErrorCode::kInvalidField, "drivers");
  expect_error(parse(with_drivers(kDriver, R"(,"time_limit_s":31)")), ErrorCode::kInvalidField, "time_limit_s");
  expect_error(parse(with_drivers(kDriver, R"(,"seed":0)")), ErrorCode::kInvalidField, "seed");
  expect_error(parse(with_drivers(kDriver, R"(,"service_s":"60")")), ErrorCode::kWrongType, "service_s");
  expect_error(parse(with_drivers(kDriver, R"(,"apply":1)")), ErrorCode::kWrongType, "apply");
  expect_error(parse(with_drivers(kDriver, R"(,"lateness_penalty":-1)")), ErrorCode::kInvalidField,
               "lateness_penalty");
  std::string many;
  for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + "1";
  expect_error(parse(with_drivers(many)), ErrorCode::kTooLarge, "drivers");
}

TEST(OptimizeRequestTest, RefusesABadDriverNamingIt) {
  expect_error(parse(with_drivers(std::string(kDriver) + ",7")), ErrorCode::kWrongType, "drivers[1]");
  expect_error(parse(with_drivers(std::string(kDriver) + "," + kDriver)), ErrorCode::kInvalidField,
               "drivers[1].driver_id");
  expect_error(parse(with_drivers(R"({"driver_id":"d","start":{"lat":1,"lon":2}})")), ErrorCode::kMissingField,
               "drivers[0].shift");
  expect_error(parse(with_drivers(
                   R"({"driver_id":"d","shift":{"start":"2026-11-23T16:00:00Z","end":"2026-11-23T08:00:00Z"},"start":{"lat":1,"lon":2}})")),
               ErrorCode::kInvalidField, "drivers[0].shift.end");
  expect_error(parse(with_drivers(
                   R"({"driver_id":"d","shift":{"start":"2026-11-21T08:00:00Z","end":"2026-11-23T09:00:00Z"},"start":{"lat":1,"lon":2}})")),
               ErrorCode::kInvalidField, "drivers[0].shift.end");  // longer than 48 hours
  expect_error(parse(with_drivers(
                   R"({"driver_id":"d","shift":{"start":"2026-11-23T08:00:00Z","end":"2026-11-23T16:00:00Z"},"start":{"lat":91,"lon":2}})")),
               ErrorCode::kInvalidField, "drivers[0].start.lat");
  expect_error(parse(with_drivers(
                   R"({"driver_id":"d","shift":{"start":"2026-11-23T08:00:00Z","end":"2026-11-23T16:00:00Z"},"start":{}})")),
               ErrorCode::kMissingField, "drivers[0].start.lat");
  expect_error(parse(with_drivers(
                   R"({"driver_id":"","shift":{"start":"2026-11-23T08:00:00Z","end":"2026-11-23T16:00:00Z"},"start":{"lat":1,"lon":2}})")),
               ErrorCode::kInvalidField, "drivers[0].driver_id");
  expect_error(parse(with_drivers(
                   R"({"driver_id":"d","capacity":0,"shift":{"start":"2026-11-23T08:00:00Z","end":"2026-11-23T16:00:00Z"},"start":{"lat":1,"lon":2}})")),
               ErrorCode::kInvalidField, "drivers[0].capacity");
}

TEST(OptimizeRequestTest, RefusesBadShipmentIds) {
  expect_error(parse(with_drivers(kDriver, R"(,"shipment_ids":["a",5])")), ErrorCode::kWrongType, "shipment_ids[1]");
  expect_error(parse(with_drivers(kDriver, R"(,"shipment_ids":["a","b","a"])")), ErrorCode::kInvalidField,
               "shipment_ids[2]");
  std::string ids;
  for (int i = 0; i < 501; ++i) ids += std::string(i ? "," : "") + "\"s" + std::to_string(i) + "\"";
  expect_error(parse(with_drivers(kDriver, R"(,"shipment_ids":[)" + ids + "]")), ErrorCode::kTooLarge, "shipment_ids");
}

}  // namespace
}  // namespace lastmile::api
