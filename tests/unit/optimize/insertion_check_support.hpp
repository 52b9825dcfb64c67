#pragma once
// The insertion check against a full recomputation: on a problem's regret construction with 30 jobs
// taken out, every (job, route, position) is checked with insertion_delta and with refresh() of the route
// with the job in; they must agree on feasibility and cost, and best_in_route must find the cheapest.
// Used by the tests of breaks and soft windows (the time pass behind the O(1) checks).

#include <gtest/gtest.h>

#include <cstddef>
#include <optional>

#include "optimize/construction.hpp"
#include "optimize/instance.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize/route_state.hpp"

namespace lastmile::optimize::test {

struct InsertionCheckCounts {
  std::size_t checked = 0;   // positions compared
  std::size_t feasible = 0;  // of which feasible
  std::size_t late = 0;      // of which make the route later past a window (soft windows)
};

inline InsertionCheckCounts compare_insertion_with_refresh(const Problem& p, uint64_t seed, double tolerance) {
  const Instance in(p);
  Rng rng(seed);
  auto s = construct(in, 2, rng);
  random_removal(in, s, rng, 30);
  InsertionCheckCounts n;
  for (auto job : s.unassigned) {
    for (const auto& route : s.routes) {
      if (route.empty()) continue;
      EXPECT_TRUE(route.feasible);
      std::optional<double> expected;
      for (std::size_t pos = 0; pos <= route.jobs.size(); ++pos) {
        auto copy = route;
        copy.jobs.insert(copy.jobs.begin() + static_cast<std::ptrdiff_t>(pos), job);
        const bool full = refresh(in, copy);
        const auto fast = insertion_delta(in, route, job, pos);
        EXPECT_EQ(fast.has_value(), full) << "job " << job << " pos " << pos;
        ++n.checked;
        if (fast && full) {
          ++n.feasible;
          EXPECT_NEAR(*fast, copy.cost - route.cost, tolerance);
          if (copy.lateness > route.lateness) ++n.late;
          if (!expected || *fast < *expected) expected = fast;
        }
      }
      Rng blinkless(1);
      const auto best = best_in_route(in, route, job, blinkless, 0.0);
      EXPECT_EQ(best.has_value(), expected.has_value());
      if (best && expected) {
        EXPECT_NEAR(best->delta, *expected, tolerance);
      }
    }
  }
  return n;
}

}  // namespace lastmile::optimize::test
