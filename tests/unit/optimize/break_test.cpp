// Driver breaks (Vehicle::breaks, time_pass.hpp): reading them from VROOM JSON, the solver placing each
// break of every used vehicle once inside a window, the insertion check with breaks against a full
// recomputation, the checker's `break` violations and the "break" steps of the VROOM output.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "optimize/construction.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize/route_state.hpp"
#include "optimize/solution_output.hpp"
#include "optimize/solver.hpp"
#include "optimize/time_pass.hpp"
#include "optimize/vroom_input.hpp"
#include "insertion_check_support.hpp"
#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

namespace json = boost::json;

bool has(const FeasibilityReport& r, ViolationKind k) {
  for (const auto& v : r.violations) {
    if (v.kind == k) return true;
  }
  return false;
}

Break make_break(int64_t id, std::vector<TimeWindow> windows, double service) {
  Break b;
  b.id = ExternalId{id};
  b.windows = std::move(windows);
  b.service = service;
  return b;
}

// Every used vehicle takes each of its breaks once, at a gap of its route.
void expect_breaks_placed(const Problem& p, const Solution& s) {
  ASSERT_EQ(s.breaks.size(), p.vehicles.size());
  for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
    if (s.routes[v].empty()) {
      EXPECT_TRUE(s.breaks[v].empty());
      continue;
    }
    EXPECT_EQ(s.breaks[v].size(), p.vehicles[v].breaks.size()) << "vehicle " << v;
  }
}

// One vehicle, depot 0 and jobs at 10, 20, 30 on a line (line_problem), a 30-unit break in [50, 60].
Problem line_with_break() {
  auto p = test::line_problem();
  p.vehicles.resize(1);
  p.jobs[2].skills.clear();
  p.vehicles[0].capacity = {20};
  p.vehicles[0].breaks = {make_break(9, {{50, 60}}, 30)};
  return p;
}

TEST(BreakTest, TheSolverTakesTheBreakInsideItsWindow) {
  const auto p = line_with_break();
  SolveOptions o;
  o.iterations = 100;
  const auto r = solve(p, o);
  const auto report = check_feasibility(p, r.solution);
  ASSERT_TRUE(report.feasible()) << kind_name(report.violations.front().kind) << ": " << report.violations.front().detail;
  EXPECT_TRUE(r.solution.unassigned.empty());
  expect_breaks_placed(p, r.solution);
  const auto plan = schedule(p, r.solution);
  ASSERT_EQ(plan.routes.size(), 1u);
  ASSERT_EQ(plan.routes[0].breaks.size(), 1u);
  const auto& b = plan.routes[0].breaks[0];
  EXPECT_GE(b.start, 50);
  EXPECT_LE(b.start, 60);
  // The break delays the rest of the route: 60 travel + 15 service + 30 break at least.
  EXPECT_GE(plan.routes[0].end_arrival, 105);
}

TEST(BreakTest, ARouteThatCannotFitItsBreakIsNotUsed) {
  auto p = line_with_break();
  p.jobs.resize(1);
  p.jobs[0].windows = {{0, 15}};
  p.vehicles[0].shift = {0, 100};
  p.vehicles[0].breaks = {make_break(9, {{20, 30}}, 85)};  // before the job: too late for it; after: past the shift
  SolveOptions o;
  o.iterations = 20;
  const auto r = solve(p, o);
  EXPECT_TRUE(check_feasibility(p, r.solution).feasible());
  EXPECT_EQ(r.solution.unassigned, std::vector<std::size_t>{0});
  EXPECT_TRUE(r.solution.routes[0].empty());
  // A shorter break fits after the job.
  p.vehicles[0].breaks[0].service = 60;
  const auto r2 = solve(p, o);
  EXPECT_TRUE(check_feasibility(p, r2.solution).feasible());
  EXPECT_TRUE(r2.solution.unassigned.empty());
  ASSERT_EQ(r2.solution.breaks[0].size(), 1u);
  EXPECT_EQ(r2.solution.breaks[0][0].gap, 1u);
}

TEST(BreakTest, TheTimePassFindsTheOnlyGapThatWorks) {
  // Job A (x=10) must start by 20, job B (x=20) not before 200; the break [0, 300] of 150 fits only in
  // the wait before B: taken before A, A is missed; after B, the shift (until 300) is missed.
  auto p = line_with_break();
  p.jobs.resize(2);
  p.jobs[0].windows = {{0, 20}};
  p.jobs[1].windows = {{200, 210}};
  p.vehicles[0].shift = {0, 300};
  p.vehicles[0].breaks = {make_break(1, {{0, 300}}, 150)};
  const Instance in(p);
  RouteState r;
  r.vehicle = 0;
  r.jobs = {0, 1};
  ASSERT_TRUE(refresh(in, r));
  ASSERT_EQ(r.breaks.size(), 1u);
  EXPECT_EQ(r.breaks[0].gap, 1u);
  EXPECT_TRUE(check_feasibility(p, Solution{{{0, 1}}, {}, {r.breaks}}).feasible());
  // The same break placed elsewhere is caught by the checker.
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1}}, {}, {{{0, 0}}}}), ViolationKind::kTimeWindow));
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1}}, {}, {{{0, 2}}}}), ViolationKind::kShiftEnd));
  // 200 no longer fits anywhere (B would start at 225).
  p.vehicles[0].breaks[0].service = 200;
  const Instance in2(p);
  EXPECT_FALSE(refresh(in2, r));
}

TEST(BreakTest, TwoBreaksAndMaxLoad) {
  auto p = line_with_break();
  p.vehicles[0].breaks = {make_break(2, {{100, 200}}, 10), make_break(1, {{0, 40}}, 10)};
  p.vehicles[0].breaks[1].max_load = {8};  // the first break (by window) needs at most 8 on board
  const Instance in(p);
  RouteState r;
  r.vehicle = 0;
  r.jobs = {0, 1, 2};  // 12 on board at the start, 8 after the first stop
  ASSERT_TRUE(refresh(in, r));
  ASSERT_EQ(r.breaks.size(), 2u);
  EXPECT_EQ(r.breaks[0].brk, 1u);
  EXPECT_GE(r.breaks[0].gap, 1u);  // not before the first stop: 12 > 8
  EXPECT_EQ(r.breaks[1].brk, 0u);
  const Solution s{{r.jobs}, {}, {r.breaks}};
  EXPECT_TRUE(check_feasibility(p, s).feasible());
  EXPECT_TRUE(has(check_feasibility(p, Solution{{r.jobs}, {}, {{{1, 0}, {0, 3}}}}), ViolationKind::kBreak));
}

TEST(BreakTest, TheCheckerReportsMissingRepeatedAndStrayBreaks) {
  auto p = line_with_break();
  p.vehicles.push_back(p.vehicles[0]);
  const Solution ok{{{0, 1, 2}, {}}, {}, {{{0, 2}}, {}}};
  ASSERT_TRUE(check_feasibility(p, ok).feasible());
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1, 2}, {}}, {}}), ViolationKind::kBreak));              // missing
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1, 2}, {}}, {}, {{{0, 2}, {0, 2}}, {}}}), ViolationKind::kBreak));  // twice
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1, 2}, {}}, {}, {{{0, 2}}, {{0, 0}}}}), ViolationKind::kBreak));  // unused vehicle
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1, 2}, {}}, {}, {{{0, 4}}, {}}}), ViolationKind::kBreak));  // no such gap
  // After the last job, at the depot at 75: past the window [50, 60].
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1, 2}, {}}, {}, {{{0, 3}}, {}}}), ViolationKind::kBreak));
  EXPECT_EQ(kind_name(ViolationKind::kBreak), "break");
}

// R101 where every vehicle needs a 10-minute break in [60, 120]: the O(1)+time-pass insertion check
// agrees with refresh() on every position, and best_in_route with the best insertion_delta.
TEST(BreakTest, InsertionCheckMatchesFullRecomputationOnR101WithBreaks) {
  auto p = test::solomon("R101");
  for (auto& v : p.vehicles) v.breaks = {make_break(1, {{60, 120}}, 10)};
  const auto n = test::compare_insertion_with_refresh(p, 7, 1e-9);
  EXPECT_GT(n.checked, 1000u);
  EXPECT_GT(n.feasible, 10u);
}

TEST(BreakTest, SolverOnR101WithBreaksIsFeasibleAndDeterministic) {
  auto p = test::solomon("R101");
  for (auto& v : p.vehicles) v.breaks = {make_break(1, {{60, 120}}, 10)};
  SolveOptions o;
  o.iterations = 1500;
  o.seed = 3;
  const auto r = solve(p, o);
  const auto report = check_feasibility(p, r.solution);
  ASSERT_TRUE(report.feasible()) << kind_name(report.violations.front().kind) << ": " << report.violations.front().detail;
  EXPECT_TRUE(r.solution.unassigned.empty());
  expect_breaks_placed(p, r.solution);
  EXPECT_EQ(solve(p, o).solution, r.solution);
}

constexpr const char* kInput = R"({
  "vehicles": [
    {"id": 10, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 1000],
     "breaks": [{"id": 5, "time_windows": [[100, 150], [400, 500]], "service": 60, "description": "lunch", "max_load": [4]}]}
  ],
  "jobs": [
    {"id": 1, "location_index": 1, "delivery": [1], "service": 10, "time_windows": [[0, 50]]},
    {"id": 2, "location_index": 2, "delivery": [1], "service": 10, "time_windows": [[150, 300]]}
  ],
  "matrices": {"car": {"durations": [[0, 20, 30], [20, 0, 15], [30, 15, 0]]}}
})";

TEST(BreakTest, VroomInputAndBreakSteps) {
  auto p = read_vroom_json(kInput);
  ASSERT_TRUE(p.ok()) << p.error().describe();
  const auto& b = p.value().vehicles[0].breaks;
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].id.value, 5);
  EXPECT_EQ(b[0].windows.size(), 2u);
  EXPECT_DOUBLE_EQ(b[0].service, 60);
  EXPECT_EQ(b[0].description, "lunch");
  EXPECT_EQ(b[0].max_load, Amount{4});
  SolveOptions o;
  o.iterations = 100;
  const auto r = solve(p.value(), o);
  ASSERT_TRUE(check_feasibility(p.value(), r.solution).feasible());
  ASSERT_TRUE(r.solution.unassigned.empty());
  const auto out = json::parse(vroom_solution_json(p.value(), r.solution)).as_object();
  const auto& steps = out.at("routes").at(0).at("steps").as_array();
  ASSERT_EQ(steps.size(), 5u);  // start, job, break, job, end (the break fits only between the two jobs)
  EXPECT_EQ(steps[2].at("type").as_string(), "break");
  EXPECT_EQ(steps[2].at("id").as_int64(), 5);
  EXPECT_EQ(steps[2].at("description").as_string(), "lunch");
  EXPECT_EQ(steps[2].at("service").as_int64(), 60);
  // Job 1 done at 30, the van reaches job 2 at 45 and takes the break there: waits for 100, ends at
  // 160, then serves job 2 (whose step arrival is the break's end) and is back at 200.
  EXPECT_EQ(steps[2].at("arrival").as_int64(), 45);
  EXPECT_EQ(steps[2].at("waiting_time").as_int64(), 55);
  EXPECT_EQ(steps[2].at("duration").as_int64(), 35);
  EXPECT_EQ(steps[2].at("load").as_array().at(0).as_int64(), 1);
  EXPECT_EQ(steps[3].at("arrival").as_int64(), 160);
  EXPECT_EQ(steps[3].at("waiting_time").as_int64(), 0);
  EXPECT_EQ(steps[4].at("arrival").as_int64(), 200);
  EXPECT_EQ(out.at("summary").at("service").as_int64(), 80);  // breaks count as service
  EXPECT_EQ(out.at("summary").at("waiting_time").as_int64(), 55);
}

struct BadCase {
  const char* name;
  const char* breaks;
  ErrorCode code;
  const char* field;
};

class BreakInputErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BreakInputErrorTest, ReturnsTheCodeAndField) {
  const std::string text = std::string(R"({"vehicles":[{"id":1,"start_index":0,"time_window":[0,1000],"breaks":)") +
                           GetParam().breaks + R"(}],"matrices":{"car":{"durations":[[0,1],[1,0]]}}})";
  auto p = read_vroom_json(text);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, GetParam().code) << p.error().describe();
  EXPECT_EQ(p.error().field, GetParam().field) << p.error().describe();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BreakInputErrorTest,
    ::testing::Values(
        BadCase{"not_an_array", R"({"id":1})", ErrorCode::kInvalidValue, "vehicles[0].breaks"},
        BadCase{"not_an_object", R"([7])", ErrorCode::kInvalidValue, "vehicles[0].breaks[0]"},
        BadCase{"no_id", R"([{"time_windows":[[0,10]]}])", ErrorCode::kMissingField, "vehicles[0].breaks[0].id"},
        BadCase{"id_string", R"([{"id":"x","time_windows":[[0,10]]}])", ErrorCode::kInvalidValue, "vehicles[0].breaks[0].id"},
        BadCase{"no_windows", R"([{"id":1}])", ErrorCode::kMissingField, "vehicles[0].breaks[0].time_windows"},
        BadCase{"empty_windows", R"([{"id":1,"time_windows":[]}])", ErrorCode::kInvalidValue,
                "vehicles[0].breaks[0].time_windows"},
        BadCase{"window_reversed", R"([{"id":1,"time_windows":[[10,0]]}])", ErrorCode::kInvalidValue,
                "vehicles[0].breaks[0].time_windows[0]"},
        BadCase{"windows_unsorted", R"([{"id":1,"time_windows":[[50,60],[0,10]]}])", ErrorCode::kInvalidValue,
                "vehicles[0].breaks[0].time_windows[1]"},
        BadCase{"negative_service", R"([{"id":1,"time_windows":[[0,10]],"service":-5}])", ErrorCode::kInvalidValue,
                "vehicles[0].breaks[0].service"},
        BadCase{"service_string", R"([{"id":1,"time_windows":[[0,10]],"service":"5"}])", ErrorCode::kInvalidValue,
                "vehicles[0].breaks[0].service"},
        BadCase{"description_number", R"([{"id":1,"time_windows":[[0,10]],"description":3}])", ErrorCode::kInvalidValue,
                "vehicles[0].breaks[0].description"},
        BadCase{"max_load_negative", R"([{"id":1,"time_windows":[[0,10]],"max_load":[-1]}])", ErrorCode::kInvalidValue,
                "vehicles[0].breaks[0].max_load[0]"},
        BadCase{"max_load_dimensions", R"([{"id":1,"time_windows":[[0,10]],"max_load":[1,2]}])", ErrorCode::kInconsistent,
                "vehicles[0].breaks[0].max_load"},
        BadCase{"window_outside_shift", R"([{"id":1,"time_windows":[[2000,3000]]}])", ErrorCode::kInconsistent,
                "vehicles[0].breaks[0].time_windows[0]"},
        BadCase{"duplicate_id", R"([{"id":1,"time_windows":[[0,10]]},{"id":1,"time_windows":[[20,30]]}])",
                ErrorCode::kInvalidValue, "vehicles[0].breaks[1].id"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace lastmile::optimize
