#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>

#include "optimize/feasibility_checker.hpp"
#include "optimize/solution_output.hpp"
#include "optimize/solver.hpp"
#include "optimize/vroom_input.hpp"

namespace lastmile::optimize {
namespace {

namespace json = boost::json;

// Two vehicles from depot 0; four jobs, one with two windows, one needing skill 3 (vehicle 20 only).
constexpr const char* kInput = R"({
  "vehicles": [
    {"id": 10, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 1000]},
    {"id": 20, "start_index": 0, "end_index": 0, "capacity": [4], "skills": [3], "time_window": [0, 1000]}
  ],
  "jobs": [
    {"id": 1, "location_index": 1, "delivery": [1], "service": 10},
    {"id": 2, "location_index": 2, "delivery": [1], "service": 10, "time_windows": [[0, 5], [100, 200]]},
    {"id": 3, "location_index": 3, "pickup": [2], "service": 10, "skills": [3]},
    {"id": 4, "location_index": 4, "amount": [1]}
  ],
  "shipments": [],
  "matrices": {"car": {
    "durations": [[0, 20, 30, 40, 50], [20, 0, 15, 25, 35], [30, 15, 0, 20, 30], [40, 25, 20, 0, 10], [50, 35, 30, 10, 0]],
    "distances": [[0, 200, 300, 400, 500], [200, 0, 150, 250, 350], [300, 150, 0, 200, 300], [400, 250, 200, 0, 100], [500, 350, 300, 100, 0]]
  }}
})";

TEST(VroomJsonTest, ReadsTheInputFormat) {
  auto p = read_vroom_json(kInput);
  ASSERT_TRUE(p.ok()) << p.error().describe();
  const auto& pr = p.value();
  ASSERT_EQ(pr.vehicles.size(), 2u);
  EXPECT_EQ(pr.vehicles[1].skills, std::vector<int64_t>{3});
  ASSERT_EQ(pr.jobs.size(), 4u);
  EXPECT_EQ(pr.jobs[1].windows.size(), 2u);
  EXPECT_EQ(pr.jobs[2].pickup, Amount{2});
  EXPECT_EQ(pr.jobs[2].delivery, Amount{0});
  EXPECT_EQ(pr.jobs[3].delivery, Amount{1});  // legacy "amount"
  EXPECT_DOUBLE_EQ(pr.matrix.distance(LocationIndex{3}, LocationIndex{4}), 100);
  EXPECT_EQ(pr.objective.secondary, SecondaryObjective::kDuration);
}

TEST(VroomJsonTest, RoundTripSolutionMatchesTheInput) {
  auto p = read_vroom_json(kInput);
  ASSERT_TRUE(p.ok());
  SolveOptions o;
  o.iterations = 200;
  const auto r = solve(p.value(), o);
  ASSERT_TRUE(check_feasibility(p.value(), r.solution).feasible());
  const auto out = json::parse(vroom_solution_json(p.value(), r.solution)).as_object();
  EXPECT_EQ(out.at("code").as_int64(), 0);
  EXPECT_EQ(out.at("summary").at("unassigned").as_int64(), 0);
  std::set<int64_t> ids;
  int64_t duration = 0;
  for (const auto& route : out.at("routes").as_array()) {
    const auto& steps = route.at("steps").as_array();
    ASSERT_GE(steps.size(), 3u);
    EXPECT_EQ(steps.front().at("type").as_string(), "start");
    EXPECT_EQ(steps.back().at("type").as_string(), "end");
    double last_arrival = -1;
    for (const auto& step : steps) {
      const double arrival = json::value_to<double>(step.at("arrival"));
      EXPECT_GE(arrival, last_arrival);
      last_arrival = arrival;
      if (step.at("type").as_string() == "job") {
        ids.insert(step.at("id").as_int64());
        if (step.at("id").as_int64() == 3) {
          EXPECT_EQ(route.at("vehicle").as_int64(), 20);
        }
        if (step.at("id").as_int64() == 2) {
          EXPECT_GE(arrival + json::value_to<double>(step.at("waiting_time")), 100);
        }
      }
    }
    duration += route.at("duration").as_int64();
  }
  EXPECT_EQ(ids, (std::set<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(out.at("summary").at("duration").as_int64(), duration);
}

TEST(VroomJsonTest, LegacyTopLevelMatrixAndNoCapacities) {
  auto p = read_vroom_json(R"({"vehicles":[{"id":1,"start_index":0}],"jobs":[{"id":7,"location_index":1}],
                               "matrix":[[0,3],[3,0]]})");
  ASSERT_TRUE(p.ok()) << p.error().describe();
  EXPECT_FALSE(p.value().vehicles[0].end.has_value());
  SolveOptions o;
  o.iterations = 10;
  const auto r = solve(p.value(), o);
  EXPECT_TRUE(check_feasibility(p.value(), r.solution).feasible());
  EXPECT_EQ(r.solution.routes[0], std::vector<std::size_t>{0});
}

struct BadCase {
  const char* name;
  const char* text;
  ErrorCode code;
  const char* field;
};

class VroomJsonErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(VroomJsonErrorTest, ReturnsTheCodeAndField) {
  auto p = read_vroom_json(GetParam().text);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, GetParam().code) << p.error().describe();
  EXPECT_EQ(p.error().field, GetParam().field) << p.error().describe();
}

#define M R"("matrices":{"car":{"durations":[[0,1],[1,0]]}})"
#define V R"("vehicles":[{"id":1,"start_index":0,"end_index":0}])"

INSTANTIATE_TEST_SUITE_P(
    Cases, VroomJsonErrorTest,
    ::testing::Values(
        BadCase{"not_json", "{\"vehicles\": [", ErrorCode::kParseError, ""},
        BadCase{"not_an_object", "[1, 2]", ErrorCode::kParseError, ""},
        BadCase{"no_vehicles", "{" M "}", ErrorCode::kMissingField, "vehicles"},
        BadCase{"no_matrix", "{" V "}", ErrorCode::kMissingField, "matrices"},
        BadCase{"shipment_without_pickup", "{" V ",\"shipments\":[{}]," M "}", ErrorCode::kMissingField, "shipments[0].pickup"},
        BadCase{"break_without_windows", R"({"vehicles":[{"id":1,"start_index":0,"breaks":[{"id":1}]}],)" M "}",
                ErrorCode::kMissingField, "vehicles[0].breaks[0].time_windows"},
        BadCase{"coordinates", R"({"vehicles":[{"id":1,"start":[7.4,43.7]}],)" M "}", ErrorCode::kUnsupported,
                "vehicles[0].start_index"},
        BadCase{"vehicle_id_string", R"({"vehicles":[{"id":"a","start_index":0}],)" M "}", ErrorCode::kInvalidValue,
                "vehicles[0].id"},
        BadCase{"job_without_location", "{" V R"(,"jobs":[{"id":1}],)" M "}", ErrorCode::kMissingField,
                "jobs[0].location_index"},
        BadCase{"window_reversed", "{" V R"(,"jobs":[{"id":1,"location_index":1,"time_windows":[[5,1]]}],)" M "}",
                ErrorCode::kInvalidValue, "jobs[0].time_windows[0]"},
        BadCase{"negative_service", "{" V R"(,"jobs":[{"id":1,"location_index":1,"service":-1}],)" M "}",
                ErrorCode::kInvalidValue, "jobs[0].service"},
        BadCase{"index_outside_matrix", "{" V R"(,"jobs":[{"id":1,"location_index":5}],)" M "}", ErrorCode::kInconsistent,
                "jobs[0].location_index"},
        BadCase{"ragged_matrix", "{" V R"(,"matrices":{"car":{"durations":[[0,1],[1]]}}})", ErrorCode::kInconsistent,
                "matrices.car.durations[1]"},
        BadCase{"negative_matrix_value", "{" V R"(,"matrices":{"car":{"durations":[[0,-1],[1,0]]}}})",
                ErrorCode::kInvalidValue, "matrices.car.durations[0][1]"},
        BadCase{"amount_dimensions", R"({"vehicles":[{"id":1,"start_index":0,"capacity":[1,2]}],"jobs":[{"id":1,"location_index":1,"delivery":[1]}],)" M "}",
                ErrorCode::kInconsistent, "jobs[0]"},
        BadCase{"priority_range", "{" V R"(,"jobs":[{"id":1,"location_index":1,"priority":101}],)" M "}",
                ErrorCode::kInvalidValue, "jobs[0].priority"}),
    [](const auto& info) { return std::string(info.param.name); });

#undef M
#undef V

}  // namespace
}  // namespace lastmile::optimize
