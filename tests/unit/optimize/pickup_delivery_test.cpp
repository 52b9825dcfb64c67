// Shipments (pickup-and-delivery pairs): the model, the pair insertion check, the solver, the checker's
// new violations and the VROOM reader's `shipments`.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "optimize/construction.hpp"
#include "optimize/feasibility_checker.hpp"
#include "optimize/instance.hpp"
#include "optimize/local_search/local_search.hpp"
#include "optimize/operators/removal.hpp"
#include "optimize/operators/repair.hpp"
#include "optimize/route_state.hpp"
#include "optimize/rng.hpp"
#include "optimize/solution_output.hpp"
#include "optimize/solver.hpp"
#include "optimize/vroom_input.hpp"

namespace lastmile::optimize {
namespace {

namespace json = boost::json;

Vehicle vehicle(int64_t id, int64_t capacity, double shift_end = 1e6) {
  Vehicle v;
  v.id = ExternalId{id};
  v.start = v.end = LocationIndex{0};
  v.capacity = {capacity};
  v.shift = {0, shift_end};
  return v;
}

// Appends a shipment (pickup at `from`, delivery at `to`) and returns the pickup half's index.
std::size_t add_shipment(Problem& p, std::size_t from, std::size_t to, int64_t amount, double service = 0,
                         TimeWindow pickup_window = {0, 1e6}, TimeWindow delivery_window = {0, 1e6}) {
  const auto k = p.jobs.size();
  Job pu, de;
  pu.id = ExternalId{static_cast<int64_t>(k + 1)};
  de.id = ExternalId{static_cast<int64_t>(k + 2)};
  pu.location = LocationIndex{from};
  de.location = LocationIndex{to};
  pu.pickup = {amount};
  pu.delivery = {0};
  de.delivery = {amount};
  de.pickup = {0};
  pu.service = de.service = service;
  pu.windows = {pickup_window};
  de.windows = {delivery_window};
  pu.partner = k + 1;
  pu.pickup_half = true;
  de.partner = k;
  p.jobs.push_back(pu);
  p.jobs.push_back(de);
  return k;
}

// Points on a line at x = 0 (depot), 10, 20, 30, 40: index i at x = 10 i.
// With `open_end` the vehicles end at their last stop.
Problem line(int64_t capacity, std::size_t vehicles = 1, bool open_end = false) {
  Problem p;
  p.name = "pd-line";
  p.matrix = euclidean_matrix({{0, 0}, {10, 0}, {20, 0}, {30, 0}, {40, 0}});
  for (std::size_t v = 0; v < vehicles; ++v) {
    p.vehicles.push_back(vehicle(static_cast<int64_t>(v + 1), capacity));
    if (open_end) p.vehicles.back().end.reset();
  }
  return p;
}

SolveResult solve_checked(const Problem& p, uint64_t iterations = 300, uint64_t seed = 1) {
  SolveOptions o;
  o.iterations = iterations;
  o.seed = seed;
  o.seconds = 60;  // a safety stop only
  auto r = solve(p, o);
  const auto report = check_feasibility(p, r.solution);
  for (const auto& v : report.violations) ADD_FAILURE() << kind_name(v.kind) << ": " << v.detail;
  return r;
}

// A: 10 -> 30, B: 20 -> 40, one unit each, a vehicle that ends at its last stop. With room for two it
// sweeps the line (0-10-20-30-40: 40); with room for one it cannot hold both between 20 and 30, so it
// finishes A first: 0-10-30-20-40 = 60 (B first: 90).
TEST(PickupDeliveryTest, CarriedAmountsBindTheCapacity) {
  for (const int64_t capacity : {2, 1}) {
    auto p = line(capacity, 1, true);
    const auto a = add_shipment(p, 1, 3, 1);
    const auto b = add_shipment(p, 2, 4, 1);
    ASSERT_FALSE(validate(p).has_value());
    const auto r = solve_checked(p);
    ASSERT_TRUE(r.solution.unassigned.empty());
    const auto report = check_feasibility(p, r.solution);
    if (capacity == 2) {
      EXPECT_DOUBLE_EQ(report.distance, 40);
      EXPECT_EQ(r.solution.routes[0], (std::vector<std::size_t>{a, b, a + 1, b + 1}));
    } else {
      EXPECT_DOUBLE_EQ(report.distance, 60);
      EXPECT_EQ(r.solution.routes[0], (std::vector<std::size_t>{a, a + 1, b, b + 1}));
    }
  }
}

// A single job's delivery (loaded at the depot) and a shipment share the capacity only while both are on
// board: capacity 1, the job at 10 delivered before the shipment 20 -> 30 is picked up.
TEST(PickupDeliveryTest, ShipmentAmountIsNotLoadedAtTheDepot) {
  auto p = line(1);
  Job j;
  j.id = ExternalId{100};
  j.location = LocationIndex{1};
  j.delivery = {1};
  j.pickup = {0};
  j.windows = {{0, 1e6}};
  p.jobs.push_back(j);
  const auto s = add_shipment(p, 2, 3, 1);
  const auto r = solve_checked(p);
  ASSERT_TRUE(r.solution.unassigned.empty());
  EXPECT_EQ(r.solution.routes[0], (std::vector<std::size_t>{0, s, s + 1}));
  // The single delivery after the pickup would hold two units.
  Solution wrong{{{s, 0, s + 1}}, {}};
  const auto report = check_feasibility(p, wrong);
  ASSERT_FALSE(report.feasible());
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kCapacity);
}

// The delivery is at 10, its pickup at 30 (the same distance both ways on the line): the pickup comes first.
TEST(PickupDeliveryTest, PickupComesFirst) {
  auto p = line(5);
  const auto s = add_shipment(p, 3, 1, 2, 0, {0, 1e6}, {0, 1e6});
  auto r = solve_checked(p);
  EXPECT_EQ(r.solution.routes[0], (std::vector<std::size_t>{s, s + 1}));
  // The delivery must be done by 25, the pickup can't start before 30: no order works, both unassigned.
  auto q = line(5);
  add_shipment(q, 3, 1, 2, 0, {30, 1e6}, {0, 25});
  r = solve_checked(q);
  EXPECT_EQ(r.solution.unassigned, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(r.solution.routes[0].size(), 0u);
}

// Larger than any vehicle: unassigned as a whole; the rest is served.
TEST(PickupDeliveryTest, APairThatFitsNowhereIsUnassignedAsAWhole) {
  auto p = line(3, 2);
  add_shipment(p, 1, 2, 4);
  const auto s = add_shipment(p, 3, 4, 3);
  const auto r = solve_checked(p);
  EXPECT_EQ(r.solution.unassigned, (std::vector<std::size_t>{0, 1}));
  std::size_t routed = 0;
  for (const auto& route : r.solution.routes) routed += route.size();
  EXPECT_EQ(routed, 2u);
  (void)s;
}

TEST(PickupDeliveryTest, CheckerReportsSplitsAndPrecedence) {
  auto p = line(5, 2);
  const auto s = add_shipment(p, 1, 2, 1);
  auto kinds = [&](const Solution& sol) {
    std::vector<ViolationKind> out;
    for (const auto& v : check_feasibility(p, sol).violations) out.push_back(v.kind);
    return out;
  };
  EXPECT_TRUE(kinds(Solution{{{s, s + 1}, {}}, {}}).empty());
  EXPECT_TRUE(kinds(Solution{{{}, {}}, {s, s + 1}}).empty());
  EXPECT_EQ(kinds(Solution{{{s + 1, s}, {}}, {}}), std::vector<ViolationKind>{ViolationKind::kPrecedence});
  EXPECT_EQ(kinds(Solution{{{s}, {s + 1}}, {}}), std::vector<ViolationKind>{ViolationKind::kShipmentSplit});
  EXPECT_EQ(kinds(Solution{{{s + 1}, {}}, {s}}), std::vector<ViolationKind>{ViolationKind::kShipmentSplit});
  EXPECT_EQ(kind_name(ViolationKind::kShipmentSplit), "shipment_split");
  EXPECT_EQ(kind_name(ViolationKind::kPrecedence), "precedence");
  // The load between pickup and delivery: amount 6 on a vehicle of 5.
  auto q = line(5);
  const auto big = add_shipment(q, 1, 2, 6);
  const auto report = check_feasibility(q, Solution{{{big, big + 1}}, {}});
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kCapacity);
  EXPECT_EQ(report.violations[0].job, big);
}

TEST(PickupDeliveryTest, ValidateChecksThePairLinks) {
  auto p = line(5);
  add_shipment(p, 1, 2, 1);
  p.jobs[1].partner = 1;  // itself
  auto e = validate(p);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, ErrorCode::kInconsistent);
  EXPECT_EQ(e->field, "jobs[0].partner");
  auto q = line(5);
  add_shipment(q, 1, 2, 1);
  q.jobs[1].delivery = {2};  // not the amount picked up
  e = validate(q);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->field, "jobs[0].partner");
}

// ~50 random shipments and 20 single jobs on a 100 x 100 square, windows on a third of the stops.
Problem random_problem(uint64_t seed, std::size_t shipments, std::size_t singles) {
  Rng rng(seed);
  Problem p;
  p.name = "pd-random";
  const std::size_t points = 1 + 2 * shipments + singles;
  std::vector<std::pair<double, double>> xy{{50, 50}};
  for (std::size_t i = 1; i < points; ++i) xy.emplace_back(rng.real() * 100, rng.real() * 100);
  p.matrix = euclidean_matrix(xy);
  for (int v = 0; v < 12; ++v) p.vehicles.push_back(vehicle(v + 1, 10, 1000));
  auto window = [&]() -> TimeWindow {
    if (rng.below(3) != 0) return {0, 1000};
    const double start = rng.real() * 600;
    return {start, start + 150};
  };
  std::size_t loc = 1;
  for (std::size_t i = 0; i < shipments; ++i, loc += 2) {
    add_shipment(p, loc, loc + 1, static_cast<int64_t>(rng.between(1, 5)), 10, window(), window());
  }
  for (std::size_t i = 0; i < singles; ++i, ++loc) {
    Job j;
    j.id = ExternalId{static_cast<int64_t>(1000 + i)};
    j.location = LocationIndex{loc};
    j.delivery = {rng.below(2) ? static_cast<int64_t>(rng.between(1, 3)) : 0};
    j.pickup = {rng.below(2) ? static_cast<int64_t>(rng.between(1, 3)) : 0};
    j.service = 10;
    j.windows = {window()};
    p.jobs.push_back(j);
  }
  return p;
}

TEST(PickupDeliveryTest, RandomInstancesSolveFeasibly) {
  for (uint64_t seed : {1, 2, 3}) {
    const auto p = random_problem(seed, 50, 20);
    ASSERT_FALSE(validate(p).has_value());
    const auto r = solve_checked(p, 400, seed);
    // Unassigned: exactly the jobs no vehicle can serve alone (random windows make some pairs impossible:
    // the delivery's window closes before the pickup's opens); every shipment is checked as a pair.
    std::vector<std::size_t> impossible;
    for (std::size_t j = 0; j < p.jobs.size(); ++j) {
      if (is_delivery_half(p.jobs[j])) continue;
      Solution alone;
      alone.routes.assign(p.vehicles.size(), {});
      alone.routes[0] = p.jobs[j].partner ? std::vector<std::size_t>{j, *p.jobs[j].partner} : std::vector<std::size_t>{j};
      for (std::size_t k = 0; k < p.jobs.size(); ++k) {
        if (std::find(alone.routes[0].begin(), alone.routes[0].end(), k) == alone.routes[0].end()) alone.unassigned.push_back(k);
      }
      if (!check_feasibility(p, alone).feasible()) {
        impossible.insert(impossible.end(), alone.routes[0].begin(), alone.routes[0].end());
      }
    }
    std::sort(impossible.begin(), impossible.end());
    EXPECT_EQ(r.solution.unassigned, impossible) << "seed " << seed;
    EXPECT_LT(impossible.size(), 20u);
    // Determinism: the same seed and iterations give the same solution.
    if (seed == 1) {
      EXPECT_EQ(solve_checked(p, 400, seed).solution, r.solution);
    }
  }
}

// The O(n^2) pair insertion agrees with trying every (pickup, delivery) position pair with a full refresh.
TEST(PickupDeliveryTest, PairInsertionMatchesFullRecomputation) {
  const auto p = random_problem(7, 40, 10);
  const Instance in(p);
  SolveOptions o;
  o.iterations = 50;
  const auto sol = solve(p, o).solution;
  Rng rng(1);
  std::size_t compared = 0, feasible = 0;
  for (std::size_t v = 0; v < sol.routes.size(); ++v) {
    RouteState route;
    route.vehicle = v;
    route.jobs = sol.routes[v];
    ASSERT_TRUE(refresh(in, route));
    for (std::size_t job = 0; job < p.jobs.size(); ++job) {
      if (!p.jobs[job].pickup_half || std::find(route.jobs.begin(), route.jobs.end(), job) != route.jobs.end()) continue;
      const auto fast = best_in_route(in, route, job, rng, 0.0);
      std::optional<double> full;
      const auto n = route.jobs.size();
      for (std::size_t i = 0; i <= n; ++i) {
        for (std::size_t j = i; j <= n; ++j) {
          RouteState copy = route;
          insert_at(in, copy, job, Insertion{0, i, j});
          if (copy.feasible && (!full || copy.cost - route.cost < *full)) full = copy.cost - route.cost;
        }
      }
      ++compared;
      ASSERT_EQ(fast.has_value(), full.has_value()) << "route " << v << " job " << job;
      if (fast) {
        ++feasible;
        EXPECT_NEAR(fast->delta, *full, 1e-6);
        RouteState copy = route;
        insert_at(in, copy, job, *fast);
        EXPECT_TRUE(copy.feasible);
        EXPECT_NEAR(copy.cost - route.cost, fast->delta, 1e-6);
      }
    }
  }
  EXPECT_GT(compared, 100u);
  EXPECT_GT(feasible, 10u);
}

// Every removal, repair and local search operator, cross-exchange included (not in the default loop, so
// not covered by the solver tests), on a solution with shipments: after each step the checker finds no
// violation (no split pair, no delivery before its pickup) and the cost never rises in local search.
TEST(PickupDeliveryTest, EveryOperatorKeepsPairsTogether) {
  const auto p = random_problem(11, 40, 15);
  const Instance in(p);
  Rng rng(3);
  auto s = construct(in, 3, rng);
  auto check = [&](const char* step) {
    for (const auto& v : check_feasibility(p, s.to_solution()).violations) {
      ADD_FAILURE() << step << ": " << kind_name(v.kind) << " " << v.detail;
    }
    for (const auto& r : s.routes) EXPECT_TRUE(r.feasible) << step;
  };
  check("construction");
  using RemovalFn = void (*)(const Instance&, SearchSolution&, Rng&, std::size_t);
  const RemovalFn removals[] = {random_removal, worst_removal, shaw_removal, route_removal, string_removal};
  using PassFn = bool (*)(const Instance&, SearchSolution&);
  const std::pair<const char*, PassFn> passes[] = {
      {"two_opt_star", two_opt_star_pass}, {"swap", swap_pass}, {"or_opt", or_opt_pass}, {"cross_exchange", cross_exchange_pass}};
  std::map<std::string, int> moved;  // passes that changed the solution, by name
  for (int round = 0; round < 30; ++round) {
    removals[round % 5](in, s, rng, 8);
    check("removal");
    // Both halves of every shipment leave together.
    for (auto j : s.unassigned) {
      if (p.jobs[j].partner) {
        EXPECT_NE(std::find(s.unassigned.begin(), s.unassigned.end(), *p.jobs[j].partner), s.unassigned.end());
      }
    }
    if (round % 2) {
      greedy_insertion(in, s, rng, InsertionOrder::kRandom, RepairOptions{true, 0.01, 0});
    } else {
      regret_insertion(in, s, rng, 2, RepairOptions{true, 0, 0.05});
    }
    check("repair");
    moved["relocate"] += relocate_pass(in, s, rng) ? 1 : 0;
    check("relocate");
    for (const auto& [name, pass] : passes) {
      const auto before = s.score();
      moved[name] += pass(in, s) ? 1 : 0;
      check(name);
      // Cheaper, or one route fewer (a move that empties a route is taken even when it costs more).
      const auto after = s.score();
      EXPECT_TRUE(after.vehicles < before.vehicles || after.cost <= before.cost + 1e-6) << name;
    }
  }
  for (const auto& [name, count] : moved) std::printf("%s moved in %d of 30 rounds\n", name.c_str(), count);
  EXPECT_GT(moved["relocate"] + moved["two_opt_star"] + moved["swap"] + moved["or_opt"] + moved["cross_exchange"], 30);
}

// VROOM input: two shipments and a job; the output's steps and unassigned entries name their types. The
// matrix is asymmetric (3 -> 1 is 25) so that job, pickup, delivery (60) is the one best order.
constexpr const char* kInput = R"({
  "vehicles": [{"id": 7, "start_index": 0, "end_index": 0, "capacity": [3], "time_window": [0, 1000]}],
  "jobs": [{"id": 1, "location_index": 1, "delivery": [1]}],
  "shipments": [
    {"amount": [2], "skills": [], "priority": 5,
     "pickup": {"id": 11, "location_index": 2, "service": 5, "description": "parcel A"},
     "delivery": {"id": 12, "location_index": 3, "service": 5, "time_windows": [[0, 500]]}},
    {"amount": [4],
     "pickup": {"id": 21, "location_index": 1},
     "delivery": {"id": 22, "location_index": 2}}
  ],
  "matrix": [[0, 10, 20, 30], [10, 0, 10, 20], [20, 10, 0, 10], [30, 25, 10, 0]]
})";

TEST(PickupDeliveryTest, VroomShipmentsRoundTrip) {
  auto read = read_vroom_json(kInput);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  const auto& p = read.value();
  ASSERT_EQ(p.jobs.size(), 5u);
  EXPECT_TRUE(p.jobs[1].pickup_half);
  EXPECT_EQ(p.jobs[1].partner, std::optional<std::size_t>{2});
  EXPECT_EQ(p.jobs[2].partner, std::optional<std::size_t>{1});
  EXPECT_EQ(p.jobs[1].pickup, Amount{2});
  EXPECT_EQ(p.jobs[2].delivery, Amount{2});
  EXPECT_EQ(p.jobs[2].priority, 5);
  const auto r = solve_checked(p, 100);
  const auto out = json::parse(vroom_solution_json(p, r.solution)).as_object();
  // The second shipment (4) exceeds the capacity (3): both halves unassigned, typed.
  const auto& unassigned = out.at("unassigned").as_array();
  ASSERT_EQ(unassigned.size(), 2u);
  EXPECT_EQ(unassigned[0].at("id").as_int64(), 21);
  EXPECT_EQ(unassigned[0].at("type").as_string(), "pickup");
  EXPECT_EQ(unassigned[1].at("id").as_int64(), 22);
  EXPECT_EQ(unassigned[1].at("type").as_string(), "delivery");
  EXPECT_EQ(out.at("summary").at("pickup").as_array()[0].as_int64(), 2);
  EXPECT_EQ(out.at("summary").at("delivery").as_array()[0].as_int64(), 3);
  const auto& steps = out.at("routes").as_array()[0].at("steps").as_array();
  std::vector<std::string> types;
  std::vector<int64_t> loads;
  for (const auto& st : steps) {
    types.emplace_back(st.at("type").as_string());
    loads.push_back(st.at("load").as_array()[0].as_int64());
  }
  // Start with the job's unit on board only; the shipment's 2 from its pickup to its delivery.
  EXPECT_EQ(types, (std::vector<std::string>{"start", "job", "pickup", "delivery", "end"}));
  EXPECT_EQ(loads, (std::vector<int64_t>{1, 0, 2, 0, 0}));
  EXPECT_EQ(steps[2].at("id").as_int64(), 11);
  EXPECT_EQ(steps[3].at("id").as_int64(), 12);
}

struct BadCase {
  const char* name;
  const char* text;
  ErrorCode code;
  const char* field;
};

class ShipmentJsonErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ShipmentJsonErrorTest, ReturnsTheCodeAndField) {
  auto p = read_vroom_json(GetParam().text);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, GetParam().code) << p.error().describe();
  EXPECT_EQ(p.error().field, GetParam().field) << p.error().describe();
}

#define M R"("matrix":[[0,1],[1,0]])"
#define V R"("vehicles":[{"id":1,"start_index":0,"end_index":0,"capacity":[5]}])"
#define OK R"({"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1}})"

INSTANTIATE_TEST_SUITE_P(
    Cases, ShipmentJsonErrorTest,
    ::testing::Values(
        BadCase{"not_an_array", "{" V R"(,"shipments":{},)" M "}", ErrorCode::kInvalidValue, "shipments"},
        BadCase{"not_an_object", "{" V R"(,"shipments":[)" OK R"(,3],)" M "}", ErrorCode::kInvalidValue, "shipments[1]"},
        BadCase{"missing_pickup", "{" V R"(,"shipments":[{"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kMissingField, "shipments[0].pickup"},
        BadCase{"missing_delivery", "{" V R"(,"shipments":[)" OK "," R"({"pickup":{"id":1,"location_index":0}}],)" M "}",
                ErrorCode::kMissingField, "shipments[1].delivery"},
        BadCase{"missing_step_id", "{" V R"(,"shipments":[{"pickup":{"location_index":0},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kMissingField, "shipments[0].pickup.id"},
        BadCase{"missing_location", "{" V R"(,"shipments":[{"pickup":{"id":1,"location_index":0},"delivery":{"id":2}}],)" M "}",
                ErrorCode::kMissingField, "shipments[0].delivery.location_index"},
        BadCase{"step_not_object", "{" V R"(,"shipments":[{"pickup":[],"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].pickup"},
        BadCase{"windows_wrong_type", "{" V R"(,"shipments":[)" OK "," OK "," R"({"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1,"time_windows":"morning"}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[2].delivery.time_windows"},
        BadCase{"windows_unsorted", "{" V R"(,"shipments":[{"pickup":{"id":1,"location_index":0,"time_windows":[[5,6],[1,2]]},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].pickup.time_windows[1]"},
        BadCase{"service_negative", "{" V R"(,"shipments":[{"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1,"service":-1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].delivery.service"},
        BadCase{"description_number", "{" V R"(,"shipments":[{"pickup":{"id":1,"location_index":0,"description":5},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].pickup.description"},
        BadCase{"amount_wrong_type", "{" V R"(,"shipments":[{"amount":"2","pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].amount"},
        BadCase{"amount_negative", "{" V R"(,"shipments":[{"amount":[-1],"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].amount[0]"},
        BadCase{"amount_dimensions", "{" V R"(,"shipments":[)" OK R"(,{"amount":[1,2],"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInconsistent, "shipments[1].amount"},
        BadCase{"skills_wrong_type", "{" V R"(,"shipments":[{"skills":[true],"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].skills[0]"},
        BadCase{"priority_range", "{" V R"(,"shipments":[{"priority":101,"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kInvalidValue, "shipments[0].priority"},
        BadCase{"index_outside_matrix", "{" V R"(,"jobs":[{"id":9,"location_index":1}],"shipments":[)" OK R"(,{"pickup":{"id":1,"location_index":0},"delivery":{"id":2,"location_index":2}}],)" M "}",
                ErrorCode::kInconsistent, "shipments[1].delivery.location_index"},
        BadCase{"coordinates", "{" V R"(,"shipments":[{"pickup":{"id":1,"location":[7.4,43.7]},"delivery":{"id":2,"location_index":1}}],)" M "}",
                ErrorCode::kUnsupported, "shipments[0].pickup.location_index"}),
    [](const auto& info) { return std::string(info.param.name); });

#undef M
#undef V
#undef OK

// A shipment's amount is on board from its pickup to its delivery only, for a break's max_load too: a
// break that allows nothing on board fits before the pickup (the van leaves the depot empty).
TEST(PickupDeliveryTest, ABreakWithMaxLoadSeesOnlyWhatIsOnBoard) {
  auto p = line(3);
  add_shipment(p, 1, 2, 3);
  Break b;
  b.id = ExternalId{1};
  b.windows = {{0, 1e6}};
  b.service = 5;
  b.max_load = {0};
  p.vehicles[0].breaks.push_back(b);
  ASSERT_FALSE(validate(p).has_value());
  const auto r = solve_checked(p, 50);
  EXPECT_TRUE(r.solution.unassigned.empty());
  ASSERT_EQ(r.solution.breaks.at(0).size(), 1u);
}

// Shipments on vehicles with breaks, and with soft windows: the pair insertion then asks the full time
// pass (breaks placed, lateness priced); every solution passes the checker, which replays the breaks, keeps
// pairs whole and in order, and sums the lateness on its own.
TEST(PickupDeliveryTest, ShipmentsWithBreaksAndSoftWindows) {
  for (const bool soft : {false, true}) {
    auto p = random_problem(4, 30, 10);
    for (auto& v : p.vehicles) {
      Break b;
      b.id = ExternalId{v.id.value};
      b.windows = {{200, 260}, {500, 560}};
      b.service = 30;
      v.breaks.push_back(b);
    }
    if (soft) p.objective.lateness_penalty = 2;
    ASSERT_FALSE(validate(p).has_value());
    const auto r = solve_checked(p, 300, 3);
    const auto report = check_feasibility(p, r.solution);
    EXPECT_TRUE(report.feasible());
    std::size_t routed = 0;
    for (std::size_t v = 0; v < r.solution.routes.size(); ++v) {
      if (r.solution.routes[v].empty()) continue;
      routed += r.solution.routes[v].size();
      EXPECT_EQ(r.solution.breaks.at(v).size(), 1u) << "vehicle " << v << " takes its break once";
    }
    EXPECT_GT(routed, 40u) << "most of the 70 stops are served";
    if (soft) {
      EXPECT_TRUE(r.solution.unassigned.empty()) << "late rather than left out";
    }
  }
}

}  // namespace
}  // namespace lastmile::optimize
