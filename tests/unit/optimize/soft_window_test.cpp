// Soft time windows (Objective::lateness_penalty): service may start after a job's last window, the
// cost adds penalty × lateness; the checker accepts it and recomputes the lateness independently.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "optimize/construction.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize/route_state.hpp"
#include "optimize/schedule.hpp"
#include "optimize/solution_output.hpp"
#include "optimize/solver.hpp"
#include "optimize/vroom_input.hpp"
#include "insertion_check_support.hpp"
#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

namespace json = boost::json;

bool has_kind(const FeasibilityReport& r, ViolationKind k) {
  for (const auto& v : r.violations) {
    if (v.kind == k) return true;
  }
  return false;
}

// The solver's own lateness of a solution: its routes refreshed with the search's caches.
double solver_lateness(const Problem& p, const Solution& s) {
  const Instance in(p);
  double total = 0;
  for (std::size_t v = 0; v < s.routes.size(); ++v) {
    RouteState r;
    r.vehicle = v;
    r.jobs = s.routes[v];
    EXPECT_TRUE(refresh(in, r));
    total += r.lateness;
  }
  return total;
}

TEST(SoftWindowTest, ALateJobIsServedAndPaysItsLateness) {
  auto p = test::line_problem();
  p.vehicles.resize(1);
  p.jobs.resize(1);
  p.jobs[0].windows = {{0, 4}};  // reached at 10
  SolveOptions o;
  o.iterations = 20;
  const auto hard = solve(p, o);
  EXPECT_EQ(hard.solution.unassigned, std::vector<std::size_t>{0});
  EXPECT_TRUE(check_feasibility(p, Solution{{{0}}, {}}).violations.size() == 1);  // time_window
  p.objective.lateness_penalty = 2;
  p.objective.secondary = SecondaryObjective::kDuration;
  const auto soft = solve(p, o);
  ASSERT_TRUE(soft.solution.unassigned.empty());
  const auto report = check_feasibility(p, soft.solution);
  ASSERT_TRUE(report.feasible());
  EXPECT_DOUBLE_EQ(report.lateness, 6);
  EXPECT_DOUBLE_EQ(solver_lateness(p, soft.solution), 6);
  EXPECT_DOUBLE_EQ(schedule(p, soft.solution).lateness, 6);
  const auto out = json::parse(vroom_solution_json(p, soft.solution)).as_object();
  EXPECT_EQ(out.at("summary").at("lateness").as_int64(), 6);
  EXPECT_EQ(out.at("summary").at("cost").as_int64(), 20 + 2 * 6);
  EXPECT_EQ(out.at("routes").at(0).at("steps").at(1).at("lateness").as_int64(), 6);
  const auto mine = json::parse(lastmile_solution_json(p, soft.solution)).as_object();
  EXPECT_DOUBLE_EQ(json::value_to<double>(mine.at("lateness")), 6);
  EXPECT_DOUBLE_EQ(json::value_to<double>(mine.at("routes").at(0).at("stops").at(0).at("lateness")), 6);
}

TEST(SoftWindowTest, NeverBeforeAWindowOpensAndShiftEndsStayHard) {
  auto p = test::line_problem();
  p.vehicles.resize(1);
  p.jobs.resize(1);
  p.jobs[0].windows = {{0, 4}, {50, 60}};  // reached at 10: waits for the second window, not late
  p.objective.lateness_penalty = 1;
  const Instance in(p);
  RouteState r;
  r.vehicle = 0;
  r.jobs = {0};
  ASSERT_TRUE(refresh(in, r));
  EXPECT_DOUBLE_EQ(r.earliest[0], 50);
  EXPECT_DOUBLE_EQ(r.lateness, 0);
  p.jobs[0].windows = {{0, 4}};
  p.vehicles[0].shift = {0, 24};  // back at 25
  const Instance in2(p);
  EXPECT_FALSE(refresh(in2, r));
  EXPECT_TRUE(has_kind(check_feasibility(p, Solution{{{0}}, {}}), ViolationKind::kShiftEnd));
}

void expect_insertion_matches_refresh(const Problem& p) {
  const auto n = test::compare_insertion_with_refresh(p, 5, 1e-7);
  EXPECT_GT(n.checked, 1000u);
  EXPECT_GT(n.late, 100u);  // the late insertions are priced, not refused
}

TEST(SoftWindowTest, InsertionCheckMatchesFullRecomputationOnR101) {
  auto p = test::solomon("R101");
  p.objective.lateness_penalty = 3;
  expect_insertion_matches_refresh(p);
}

TEST(SoftWindowTest, InsertionCheckMatchesFullRecomputationOnR101WithBreaks) {
  auto p = test::solomon("R101");
  p.objective.lateness_penalty = 3;
  for (auto& v : p.vehicles) {
    Break b;
    b.id = ExternalId{1};
    b.windows = {{60, 120}};
    b.service = 10;
    v.breaks = {b};
  }
  expect_insertion_matches_refresh(p);
}

// R101 with 15 vehicles (it needs 19 with hard windows): with soft windows every customer is served,
// late; the checker's independent lateness equals the solver's.
TEST(SoftWindowTest, R101WithFifteenVehiclesServesEveryoneLate) {
  auto p = test::solomon("R101");
  p.vehicles.resize(15);
  SolveOptions o;
  o.iterations = 800;
  o.seed = 2;
  const auto hard = solve(p, o);
  EXPECT_TRUE(check_feasibility(p, hard.solution).feasible());
  EXPECT_GT(hard.solution.unassigned.size(), 0u);
  p.objective.lateness_penalty = 1;
  const auto soft = solve(p, o);
  const auto report = check_feasibility(p, soft.solution);
  ASSERT_TRUE(report.feasible()) << kind_name(report.violations.front().kind) << ": " << report.violations.front().detail;
  EXPECT_TRUE(soft.solution.unassigned.empty());
  EXPECT_GT(report.lateness, 0);
  EXPECT_NEAR(report.lateness, solver_lateness(p, soft.solution), 1e-6);
  EXPECT_NEAR(report.lateness, schedule(p, soft.solution).lateness, 1e-6);
  EXPECT_EQ(solve(p, o).solution, soft.solution);
  // A higher penalty buys less lateness with more distance.
  p.objective.lateness_penalty = 100;
  const auto strict = solve(p, o);
  const auto strict_report = check_feasibility(p, strict.solution);
  ASSERT_TRUE(strict_report.feasible());
  EXPECT_LT(strict_report.lateness, report.lateness);
}

TEST(SoftWindowTest, VroomOptionsLatenessPenalty) {
  constexpr const char* kText = R"({"vehicles":[{"id":1,"start_index":0,"end_index":0}],
    "jobs":[{"id":7,"location_index":1,"time_windows":[[0,2]]}],
    "options":{"lateness_penalty":4},"matrix":[[0,3],[3,0]]})";
  auto p = read_vroom_json(kText);
  ASSERT_TRUE(p.ok()) << p.error().describe();
  ASSERT_TRUE(p.value().objective.lateness_penalty.has_value());
  EXPECT_DOUBLE_EQ(*p.value().objective.lateness_penalty, 4);
  SolveOptions o;
  o.iterations = 10;
  const auto r = solve(p.value(), o);
  const auto report = check_feasibility(p.value(), r.solution);
  ASSERT_TRUE(report.feasible());
  EXPECT_DOUBLE_EQ(report.lateness, 1);
  const auto out = json::parse(vroom_solution_json(p.value(), r.solution)).as_object();
  EXPECT_EQ(out.at("summary").at("cost").as_int64(), 6 + 4);
  // Without options: hard, unassigned.
  auto hard = read_vroom_json(R"({"vehicles":[{"id":1,"start_index":0,"end_index":0}],
    "jobs":[{"id":7,"location_index":1,"time_windows":[[0,2]]}],"matrix":[[0,3],[3,0]]})");
  ASSERT_TRUE(hard.ok());
  EXPECT_FALSE(hard.value().objective.lateness_penalty.has_value());
  EXPECT_EQ(solve(hard.value(), o).solution.unassigned.size(), 1u);
}

struct BadCase {
  const char* name;
  const char* options;
  ErrorCode code;
  const char* field;
};

class SoftWindowInputErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(SoftWindowInputErrorTest, ReturnsTheCodeAndField) {
  const std::string text = std::string(R"({"vehicles":[{"id":1,"start_index":0}],"matrix":[[0,1],[1,0]],"options":)") +
                           GetParam().options + "}";
  auto p = read_vroom_json(text);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, GetParam().code) << p.error().describe();
  EXPECT_EQ(p.error().field, GetParam().field) << p.error().describe();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SoftWindowInputErrorTest,
    ::testing::Values(BadCase{"not_an_object", "[1]", ErrorCode::kInvalidValue, "options"},
                      BadCase{"negative", R"({"lateness_penalty":-1})", ErrorCode::kInvalidValue, "options.lateness_penalty"},
                      BadCase{"string", R"({"lateness_penalty":"1"})", ErrorCode::kInvalidValue, "options.lateness_penalty"},
                      BadCase{"too_large", R"({"lateness_penalty":1e12})", ErrorCode::kInvalidValue,
                              "options.lateness_penalty"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace lastmile::optimize
