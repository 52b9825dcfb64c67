#include "optimize/feasibility_checker.hpp"

#include <gtest/gtest.h>

#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

bool has(const FeasibilityReport& r, ViolationKind kind) {
  for (const auto& v : r.violations) {
    if (v.kind == kind) return true;
  }
  return false;
}

TEST(FeasibilityCheckerTest, AcceptsAFeasibleSolutionAndRecomputesDistance) {
  const auto p = test::line_problem();
  const Solution s{{{0, 1}, {2}}, {}};
  const auto r = check_feasibility(p, s);
  EXPECT_TRUE(r.feasible()) << kind_name(r.violations.front().kind);
  EXPECT_EQ(r.vehicles_used, 2u);
  EXPECT_DOUBLE_EQ(r.distance, 40.0 + 60.0);
}

TEST(FeasibilityCheckerTest, ReportsWrongRouteCount) {
  EXPECT_TRUE(has(check_feasibility(test::line_problem(), Solution{{{0, 1, 2}}, {}}), ViolationKind::kWrongRouteCount));
}

TEST(FeasibilityCheckerTest, ReportsUnknownJob) {
  EXPECT_TRUE(has(check_feasibility(test::line_problem(), Solution{{{0, 1, 9}, {2}}, {}}), ViolationKind::kUnknownJob));
}

TEST(FeasibilityCheckerTest, ReportsMissingJob) {
  EXPECT_TRUE(has(check_feasibility(test::line_problem(), Solution{{{0}, {2}}, {}}), ViolationKind::kJobMissing));
}

TEST(FeasibilityCheckerTest, ReportsRepeatedJobAlsoWhenRoutedAndUnassigned) {
  const auto p = test::line_problem();
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1, 0}, {2}}, {}}), ViolationKind::kJobRepeated));
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1}, {2}}, {1}}), ViolationKind::kJobRepeated));
}

TEST(FeasibilityCheckerTest, AcceptsListedUnassignedJobs) {
  EXPECT_TRUE(check_feasibility(test::line_problem(), Solution{{{0}, {}}, {1, 2}}).feasible());
}

TEST(FeasibilityCheckerTest, ReportsTimeWindow) {
  auto p = test::line_problem();
  p.jobs[1].windows = {{0, 15}};  // job 1 is 20 away from the depot
  const auto r = check_feasibility(p, Solution{{{1, 0}, {2}}, {}});
  ASSERT_TRUE(has(r, ViolationKind::kTimeWindow));
  EXPECT_EQ(r.violations.front().job, 1u);
  // Waiting for a later window is fine: starts at 100.
  p.jobs[1].windows = {{0, 15}, {100, 120}};
  EXPECT_TRUE(check_feasibility(p, Solution{{{1, 0}, {2}}, {}}).feasible());
}

TEST(FeasibilityCheckerTest, ReportsShiftEnd) {
  auto p = test::line_problem();
  p.vehicles[0].shift = {0, 50};  // 0 → 10 → 20 → 0 with services: 20 + 5 + 5 + 20 = 50 is on time
  EXPECT_TRUE(check_feasibility(p, Solution{{{0, 1}, {2}}, {}}).feasible());
  p.vehicles[0].shift = {0, 49.9};
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1}, {2}}, {}}), ViolationKind::kShiftEnd));
}

TEST(FeasibilityCheckerTest, ReportsCapacityOfDeliveriesAndPickups) {
  auto p = test::line_problem();
  p.jobs[0].delivery = {7};  // 7 + 4 > 10 on leaving the depot
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1}, {2}}, {}}), ViolationKind::kCapacity));
  p = test::line_problem();
  p.jobs[0].delivery = {0};
  p.jobs[0].pickup = {9};  // job 1's 4 still on board when picking up 9: 13 > 10
  EXPECT_TRUE(has(check_feasibility(p, Solution{{{0, 1}, {2}}, {}}), ViolationKind::kCapacity));
  // Dropping job 1's 4 first, then picking up 9, fits.
  EXPECT_TRUE(check_feasibility(p, Solution{{{1, 0}, {2}}, {}}).feasible());
}

TEST(FeasibilityCheckerTest, ReportsMissingSkill) {
  EXPECT_TRUE(has(check_feasibility(test::line_problem(), Solution{{{0, 1, 2}, {}}, {}}), ViolationKind::kSkills));
}

}  // namespace
}  // namespace lastmile::optimize
