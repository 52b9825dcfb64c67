#include "optimize/route_eliminator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "optimize/construction.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize/rng.hpp"
#include "optimize_test_support.hpp"

namespace lastmile::optimize {
namespace {

void expect_feasible(const Problem& p, const SearchSolution& s) {
  const auto r = check_feasibility(p, s.to_solution());
  ASSERT_TRUE(r.feasible()) << kind_name(r.violations.front().kind) << ": " << r.violations.front().detail;
}

std::vector<std::size_t> used_routes(const SearchSolution& s) {
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    if (!s.routes[r].empty()) out.push_back(r);
  }
  return out;
}

// The smallest counter sum over every way of ejecting at most two jobs of one route and inserting `job`
// anywhere in what is left, by brute force with refresh() as the judge.
uint64_t brute_force_penalty(const Instance& in, const SearchSolution& s, std::size_t job,
                             const std::vector<uint64_t>& penalty) {
  uint64_t best = std::numeric_limits<uint64_t>::max();
  for (auto r : used_routes(s)) {
    const auto& jobs = s.routes[r].jobs;
    const auto n = jobs.size();
    for (std::size_t a = 0; a <= n; ++a) {      // a == n: no first ejection
      for (std::size_t b = a; b <= n; ++b) {    // b == a or b == n: no second ejection
        if (a == n && b != n) continue;
        uint64_t sum = 0;
        std::vector<std::size_t> kept;
        for (std::size_t k = 0; k < n; ++k) {
          if (k == a || (k == b && b != a)) {
            sum += penalty[jobs[k]];
          } else {
            kept.push_back(jobs[k]);
          }
        }
        if (sum >= best) continue;
        for (std::size_t pos = 0; pos <= kept.size(); ++pos) {
          RouteState t = s.routes[r];
          t.jobs = kept;
          t.jobs.insert(t.jobs.begin() + static_cast<std::ptrdiff_t>(pos), job);
          if (refresh(in, t)) {
            best = std::min(best, sum);
            break;
          }
        }
      }
    }
  }
  return best;
}

TEST(RouteEliminatorTest, InsertionWithEjectionsIsFeasibleAndMinimal) {
  for (const char* name : {"R104", "C105"}) {
    const auto p = test::solomon(name);
    const Instance in(p);
    Rng rng(3);
    const auto start = construct(in, 3, rng);
    std::vector<uint64_t> penalty(in.job_count());
    for (auto& x : penalty) x = 1 + rng.below(5);
    for (std::size_t job = 0; job < in.job_count(); job += 3) {
      SearchSolution s = start;
      remove_jobs(in, s, {job});
      s.unassigned.clear();
      const auto move = best_ejection(in, s, job, penalty, 2, rng);
      const auto expected = brute_force_penalty(in, s, job, penalty);
      ASSERT_TRUE(move.has_value()) << name << " job " << job;
      EXPECT_EQ(move->penalty, expected) << name << " job " << job;
      EXPECT_LE(move->ejected.size(), 2u);
      uint64_t sum = 0;
      for (auto k : move->ejected) sum += penalty[s.routes[move->route].jobs[k]];
      EXPECT_EQ(sum, move->penalty);
      SearchSolution after = s;
      ASSERT_TRUE(apply_ejection(in, after, job, *move)) << name << " job " << job;
      EXPECT_EQ(after.unassigned.size(), move->ejected.size());
      expect_feasible(p, after);
    }
  }
}

TEST(RouteEliminatorTest, EjectionsFindRoomWhereThereIsNone) {
  // R104 with one route taken out: most of its jobs fit nowhere as they are, and every one of those gets
  // a feasible insertion with at most three ejections, each checked against the brute force (two) and
  // the independent feasibility checker.
  const auto p = test::solomon("R104");
  const Instance in(p);
  Rng rng(5);
  auto s = construct(in, 3, rng);
  const auto routes = used_routes(s);
  const auto dropped = s.routes[routes.front()].jobs;
  remove_jobs(in, s, dropped);
  s.unassigned.clear();
  std::vector<uint64_t> penalty(in.job_count(), 1);
  std::size_t blocked = 0;
  for (auto job : dropped) {
    bool fits = false;
    for (auto r : used_routes(s)) fits = fits || best_in_route(in, s.routes[r], job, rng, 0).has_value();
    if (fits) continue;
    ++blocked;
    const auto move = best_ejection(in, s, job, penalty, 3, rng);
    ASSERT_TRUE(move.has_value());
    EXPECT_GE(move->ejected.size(), 1u);
    SearchSolution after = s;
    for (auto other : dropped) {
      if (other != job) after.unassigned.push_back(other);
    }
    ASSERT_TRUE(apply_ejection(in, after, job, *move));
    EXPECT_EQ(after.unassigned.size(), dropped.size() - 1 + move->ejected.size());
    expect_feasible(p, after);
  }
  EXPECT_GT(blocked, 0u);
}

TEST(RouteEliminatorTest, EliminatesARouteThatGreedyInsertionCannot) {
  // From the regret construction of R107, for every route whose jobs greedy insertion (cheapest
  // position, no new route) cannot put back into the others, the ejection pool empties it.
  const auto p = test::solomon("R107");
  const Instance in(p);
  Rng rng(1);
  const auto start = construct(in, 3, rng);
  std::size_t tried = 0;
  for (auto r : used_routes(start)) {
    SearchSolution greedy = start;
    remove_jobs(in, greedy, std::vector<std::size_t>(start.routes[r].jobs));
    greedy_insertion(in, greedy, rng, InsertionOrder::kDemand, RepairOptions{false, 0, 0});
    if (greedy.unassigned.empty()) continue;
    ++tried;
    SearchSolution s = start;
    std::vector<uint64_t> penalty(in.job_count(), 1);
    uint64_t iteration = 0;
    ASSERT_TRUE(eliminate_route(in, s, r, rng, penalty, 5000, iteration, {})) << "route " << r;
    EXPECT_LE(iteration, 5000u);
    EXPECT_TRUE(s.routes[r].empty());
    EXPECT_TRUE(s.unassigned.empty());
    EXPECT_LT(s.score().vehicles, start.score().vehicles);
    expect_feasible(p, s);
    if (tried == 3) break;
  }
  EXPECT_GT(tried, 0u);
}

TEST(RouteEliminatorTest, FailureLeavesTheSolutionUnchangedAndIsDeterministic) {
  const auto p = test::solomon("R101");  // 19 vehicles is the best known: an 18th route cannot go
  const Instance in(p);
  Rng rng(2);
  const auto start = construct(in, 3, rng);
  const auto r = used_routes(start).front();
  const auto run = [&](uint64_t seed, SearchSolution& s, uint64_t& iteration) {
    Rng rr(seed);
    std::vector<uint64_t> penalty(in.job_count(), 1);
    return eliminate_route(in, s, r, rr, penalty, 300, iteration, {});
  };
  SearchSolution a = start, b = start;
  uint64_t ia = 0, ib = 0;
  const bool ok_a = run(9, a, ia), ok_b = run(9, b, ib);
  EXPECT_EQ(ok_a, ok_b);
  EXPECT_EQ(ia, ib);
  EXPECT_EQ(a.to_solution(), b.to_solution());
  expect_feasible(p, a);
  if (!ok_a) {
    EXPECT_EQ(a.to_solution(), start.to_solution());
    EXPECT_EQ(ia, 300u);
  }
  // The stop predicate ends the attempt too.
  SearchSolution c = start;
  uint64_t ic = 0;
  Rng rc(9);
  std::vector<uint64_t> penalty(in.job_count(), 1);
  int calls = 0;
  EXPECT_FALSE(eliminate_route(in, c, r, rc, penalty, 1000, ic, [&calls] { return ++calls > 10; }));
  EXPECT_EQ(c.to_solution(), start.to_solution());
}

TEST(RouteEliminatorTest, SqueezeKeepsEveryRouteFeasible) {
  const auto p = test::solomon("R104");
  const Instance in(p);
  Rng rng(4);
  auto s = construct(in, 3, rng);
  std::vector<uint64_t> penalty(in.job_count(), 1);
  EliminationOptions options;
  options.squeeze = true;
  for (int round = 0; round < 3; ++round) {
    const auto routes = used_routes(s);
    uint64_t iteration = 0;
    eliminate_route(in, s, routes[rng.below(routes.size())], rng, penalty, 200, iteration, {}, options);
    EXPECT_TRUE(s.unassigned.empty());
    expect_feasible(p, s);
  }
}

TEST(RouteEliminatorTest, VehicleLowerBoundIsDemandOverCapacity) {
  const auto p = test::solomon("R101");  // 1,458 units of demand, capacity 200
  const Instance in(p);
  Rng rng(1);
  const auto s = construct(in, 3, rng);
  EXPECT_EQ(vehicle_lower_bound(in, s), 8u);
  const auto c = test::solomon("C101");  // 1,810 units, capacity 200
  const Instance ic(c);
  const auto sc = construct(ic, 3, rng);
  EXPECT_EQ(vehicle_lower_bound(ic, sc), 10u);
}

}  // namespace
}  // namespace lastmile::optimize
