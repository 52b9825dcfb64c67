// The O(1) insertion check (cached earliest/latest starts and load maxima) must agree with a full
// recomputation of the route, on real instances.
#include "optimize/route_state.hpp"

#include <gtest/gtest.h>

#include "optimize/construction.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize/rng.hpp"
#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

void expect_insertion_check_matches_refresh(const std::string& name) {
  const auto p = test::solomon(name);
  const Instance in(p);
  Rng rng(7);
  auto s = construct(in, 2, rng);
  random_removal(in, s, rng, 30);
  std::size_t feasible = 0, checked = 0;
  for (auto job : s.unassigned) {
    for (const auto& route : s.routes) {
      if (route.empty()) continue;
      for (std::size_t pos = 0; pos <= route.jobs.size(); ++pos) {
        auto copy = route;
        copy.jobs.insert(copy.jobs.begin() + static_cast<std::ptrdiff_t>(pos), job);
        const bool full = refresh(in, copy);
        const auto fast = insertion_delta(in, route, job, pos);
        ASSERT_EQ(fast.has_value(), full) << name << " job " << job << " pos " << pos;
        ++checked;
        if (fast) {
          ++feasible;
          EXPECT_NEAR(*fast, copy.cost - route.cost, 1e-9);
        }
        // best_in_route sweeps the same checks.
      }
      Rng r2(1);
      const auto best = best_in_route(in, route, job, r2, 0.0);
      std::optional<double> expected;
      for (std::size_t pos = 0; pos <= route.jobs.size(); ++pos) {
        const auto d = insertion_delta(in, route, job, pos);
        if (d && (!expected || *d < *expected)) expected = d;
      }
      ASSERT_EQ(best.has_value(), expected.has_value());
      if (best) {
        EXPECT_DOUBLE_EQ(best->delta, *expected);
      }
    }
  }
  EXPECT_GT(checked, 1000u);
  EXPECT_GT(feasible, 10u);
}

TEST(RouteStateTest, InsertionCheckMatchesFullRecomputationOnR101) { expect_insertion_check_matches_refresh("R101"); }
TEST(RouteStateTest, InsertionCheckMatchesFullRecomputationOnC105) { expect_insertion_check_matches_refresh("C105"); }

TEST(RouteStateTest, PickupsAndMultipleWindows) {
  auto p = test::line_problem();
  p.jobs[0].delivery = {0};
  p.jobs[0].pickup = {8};
  p.jobs[1].windows = {{0, 5}, {200, 300}};
  const Instance in(p);
  RouteState r;
  r.vehicle = 0;
  r.jobs = {1};
  ASSERT_TRUE(refresh(in, r));
  EXPECT_DOUBLE_EQ(r.earliest[0], 200);  // waits for the second window
  // Picking up 8 before delivering job 1's 4 overloads; after it, fits.
  EXPECT_FALSE(insertion_delta(in, r, 0, 0).has_value());
  EXPECT_TRUE(insertion_delta(in, r, 0, 1).has_value());
}

}  // namespace
}  // namespace lastmile::optimize
