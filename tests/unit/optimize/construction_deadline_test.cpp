// The time limit during construction: when it runs out while the regret insertion is still pricing or
// inserting jobs, the rest go in greedily and the solution is still feasible and complete (every job
// routed or listed unassigned); while it does not run out, nothing changes.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "optimize/construction.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/rng.hpp"
#include "optimize/solver.hpp"

namespace lastmile::optimize {
namespace {

// A Solomon R1-like instance: depot at (100, 100), `jobs` customers uniformly in [0, 200]², demand
// 1–30, service 10, one window of 30–200 opening at a time from which the depot is still reachable
// (so every job fits alone on a vehicle); `vehicles` vehicles of capacity 200, shift [0, 1000].
Problem random_problem(std::size_t jobs, std::size_t vehicles, uint64_t seed) {
  Rng rng(seed);
  Problem p;
  p.name = "random";
  std::vector<std::pair<double, double>> points{{100, 100}};
  for (std::size_t j = 0; j < jobs; ++j) {
    points.emplace_back(static_cast<double>(rng.below(201)), static_cast<double>(rng.below(201)));
  }
  p.matrix = euclidean_matrix(points);
  for (std::size_t v = 0; v < vehicles; ++v) {
    Vehicle veh;
    veh.id = ExternalId{static_cast<int64_t>(v + 1)};
    veh.start = veh.end = LocationIndex{0};
    veh.capacity = {200};
    veh.shift = {0, 1000};
    p.vehicles.push_back(veh);
  }
  for (std::size_t j = 0; j < jobs; ++j) {
    Job job;
    job.id = ExternalId{static_cast<int64_t>(j + 1)};
    job.location = LocationIndex{j + 1};
    job.delivery = {static_cast<int64_t>(rng.between(1, 30))};
    job.pickup = {0};
    job.service = 10;
    const double d = std::ceil(p.matrix.duration(LocationIndex{0}, job.location));
    const double open = d + static_cast<double>(rng.below(static_cast<std::size_t>(1000 - 2 * d - 10 - 30)));
    job.windows = {{open, open + static_cast<double>(rng.between(30, 200))}};
    p.jobs.push_back(job);
  }
  return p;
}

void expect_feasible(const Problem& p, const Solution& s) {
  const auto r = check_feasibility(p, s);
  ASSERT_TRUE(r.feasible()) << kind_name(r.violations.front().kind) << ": " << r.violations.front().detail;
}

TEST(ConstructionDeadlineTest, AStopThatNeverFiresChangesNothing) {
  const auto p = random_problem(150, 40, 3);
  const Instance in(p);
  Rng a(9), b(9);
  std::size_t looks = 0;
  const auto plain = construct(in, 3, a).to_solution();
  const auto asked = construct(in, 3, b, [&looks] {
    ++looks;
    return false;
  }).to_solution();
  EXPECT_EQ(plain, asked);
  EXPECT_GE(looks, 150u);  // asked at least once per job
}

TEST(ConstructionDeadlineTest, AStopAtAnyPointGivesAFeasibleSolutionWithEveryJobRouted) {
  // As many vehicles as jobs: every job fits alone on an unused vehicle, so nothing may stay unassigned.
  const auto p = random_problem(200, 200, 5);
  const Instance in(p);
  Rng full_rng(1);
  const auto full = construct(in, 3, full_rng).to_solution();
  // The first look comes before anything, then one per job priced (200), then one per insertion:
  // 0: before anything; 100: while pricing; 250, 380: between insertions.
  for (std::size_t fire_at : {0u, 100u, 250u, 380u}) {
    SCOPED_TRACE(fire_at);
    std::size_t looks = 0;
    Rng rng(1);
    const auto s = construct(in, 3, rng, [&] { return looks++ >= fire_at; }).to_solution();
    expect_feasible(p, s);
    EXPECT_TRUE(s.unassigned.empty());
    // Once it said stop, it is not asked again for every job (the greedy rest does not look at it).
    EXPECT_EQ(looks, fire_at + 1);
    EXPECT_NE(s, full);  // the greedy rest really took over (regret alone builds other routes here)
  }
}

TEST(ConstructionDeadlineTest, AFakeClockRunningOutDuringConstructionGivesAFeasibleSolution) {
  auto p = random_problem(200, 60, 7);
  p.jobs[17].delivery = {201};                         // fits no vehicle
  p.jobs[42].windows = {{995, 1000}};                  // its service would end after every shift
  for (std::size_t fire_at : {1u, 50u, 300u}) {
    SCOPED_TRACE(fire_at);
    std::size_t looks = 0;
    SolveOptions o;
    o.seconds = 1;
    o.iterations = 500;
    o.elapsed = [&] { return looks++ >= fire_at ? 5.0 : 0.0; };  // past the limit after `fire_at` looks
    const auto r = solve(p, o);
    expect_feasible(p, r.solution);  // includes: every job routed or unassigned, none twice
    EXPECT_EQ(r.solution.unassigned, (std::vector<std::size_t>{17, 42}));
    EXPECT_EQ(r.iterations, 0u);  // no search after the construction
  }
}

TEST(ConstructionDeadlineTest, ThreeThousandJobsWithA50msLimitReturnAFeasibleSolution) {
  const auto p = random_problem(3000, 1000, 11);
  SolveOptions o;
  o.seconds = 0.05;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = solve(p, o);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Informational only (no timed assertion): the solve took ~29 s before construction honoured the limit.
  std::printf("[ deadline ] 3000 jobs, limit 0.05 s: solve returned after %.3f s, %zu unassigned\n", took,
              r.solution.unassigned.size());
  expect_feasible(p, r.solution);
  EXPECT_TRUE(r.solution.unassigned.empty());  // 1000 vehicles: the greedy rest always has one to open
}

}  // namespace
}  // namespace lastmile::optimize
