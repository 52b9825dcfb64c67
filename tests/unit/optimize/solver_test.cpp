#include "optimize/solver.hpp"

#include <gtest/gtest.h>

#include "optimize/construction.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/rng.hpp"
#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

void expect_feasible(const Problem& p, const Solution& s) {
  const auto r = check_feasibility(p, s);
  ASSERT_TRUE(r.feasible()) << kind_name(r.violations.front().kind) << ": " << r.violations.front().detail;
}

TEST(ConstructionTest, RegretInsertionIsFeasibleOnC101AndR101) {
  for (const char* name : {"C101", "R101"}) {
    const auto p = test::solomon(name);
    const Instance in(p);
    for (std::size_t k : {2u, 3u}) {
      Rng rng(1);
      const auto s = construct(in, k, rng);
      EXPECT_TRUE(s.unassigned.empty()) << name;
      expect_feasible(p, s.to_solution());
    }
  }
}

TEST(SolverTest, C101ReachesTheBestKnownSolution) {
  const auto p = test::solomon("C101");
  SolveOptions o;
  o.iterations = 4000;
  o.seconds = 60;
  const auto r = solve(p, o);
  expect_feasible(p, r.solution);
  const auto report = check_feasibility(p, r.solution);
  EXPECT_EQ(report.vehicles_used, 10u);
  EXPECT_NEAR(report.distance, 828.94, 0.01);
}

TEST(SolverTest, SameSeedAndIterationsGiveTheSameSolution) {
  const auto p = test::solomon("R101");
  SolveOptions o;
  o.iterations = 1500;
  o.seconds = 120;
  o.seed = 42;
  const auto a = solve(p, o);
  const auto b = solve(p, o);
  EXPECT_EQ(a.solution, b.solution);
  EXPECT_EQ(a.iterations, 1500u);
  expect_feasible(p, a.solution);
  o.seed = 43;
  const auto c = solve(p, o);
  expect_feasible(p, c.solution);
}

TEST(SolverTest, TwoThreadsAreDeterministicAndNoWorseThanOne) {
  const auto p = test::solomon("R105");
  SolveOptions o;
  o.iterations = 800;
  o.seconds = 120;
  o.seed = 5;
  const auto one = solve(p, o);
  o.threads = 2;
  const auto two_a = solve(p, o);
  const auto two_b = solve(p, o);
  EXPECT_EQ(two_a.solution, two_b.solution);
  EXPECT_EQ(two_a.seed, two_b.seed);
  const auto r1 = check_feasibility(p, one.solution), r2 = check_feasibility(p, two_a.solution);
  expect_feasible(p, two_a.solution);
  EXPECT_TRUE(r2.vehicles_used < r1.vehicles_used ||
              (r2.vehicles_used == r1.vehicles_used && r2.distance <= r1.distance + 1e-9));
}

TEST(SolverTest, TheTimeLimitStopsTheSearch) {
  const auto p = test::solomon("R101");
  SolveOptions o;
  o.seconds = 0.5;
  double fake = 0;
  o.elapsed = [&fake] { return fake += 0.001; };  // 1 ms per look at the clock
  const auto r = solve(p, o);
  expect_feasible(p, r.solution);
  EXPECT_LT(r.iterations, 1000u);
}

TEST(SolverTest, UnservableJobsAreListedUnassigned) {
  auto p = test::line_problem();
  p.jobs[1].delivery = {11};  // more than any vehicle carries
  SolveOptions o;
  o.iterations = 50;
  const auto r = solve(p, o);
  expect_feasible(p, r.solution);
  EXPECT_EQ(r.solution.unassigned, std::vector<std::size_t>{1});
  EXPECT_TRUE(r.solution.routes[1] == std::vector<std::size_t>{2} ||
              (r.solution.routes[1].size() == 2 && r.solution.routes[0].empty()));
}

}  // namespace
}  // namespace lastmile::optimize
