#include "optimize/local_search/local_search.hpp"

#include <gtest/gtest.h>

#include "optimize/construction.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

// Each pass on its own, then all of them: feasible by the checker, never more vehicles, never costlier.
TEST(LocalSearchTest, EveryPassKeepsFeasibilityAndNeverWorsens) {
  for (const char* name : {"R101", "C105", "R107"}) {
    const auto p = test::solomon(name);
    const Instance in(p);
    Rng rng(3);
    const auto start = construct(in, 2, rng);
    using Pass = bool (*)(const Instance&, SearchSolution&);
    for (Pass pass : {Pass{two_opt_star_pass}, Pass{swap_pass}, Pass{or_opt_pass}, Pass{cross_exchange_pass}}) {
      auto s = start;
      pass(in, s);
      const auto r = check_feasibility(p, s.to_solution());
      ASSERT_TRUE(r.feasible()) << name << ": " << kind_name(r.violations.front().kind);
      EXPECT_LE(s.score().vehicles, start.score().vehicles);
      if (s.score().vehicles == start.score().vehicles) {
        EXPECT_LE(s.score().cost, start.score().cost + 1e-9);
      }
    }
    auto s = start;
    local_search(in, s, rng);
    ASSERT_TRUE(check_feasibility(p, s.to_solution()).feasible()) << name;
    EXPECT_TRUE(better(s.score(), start.score())) << name;
  }
}

TEST(LocalSearchTest, StopsWhenAsked) {
  const auto p = test::solomon("R101");
  const Instance in(p);
  Rng rng(3);
  auto s = construct(in, 2, rng);
  const auto before = s.score();
  int calls = 0;
  local_search(in, s, rng, 50, [&calls] { return ++calls >= 1; });
  EXPECT_EQ(calls, 1);  // stopped after the first pass (relocate)
  EXPECT_TRUE(check_feasibility(p, s.to_solution()).feasible());
  EXPECT_FALSE(better(before, s.score()));
}

}  // namespace
}  // namespace lastmile::optimize
