#pragma once
// Repair (insertion) operators: put SearchSolution::unassigned jobs back at feasible positions. Jobs
// that fit nowhere stay in unassigned. Every route touched is refreshed.

#include <cstddef>
#include <functional>
#include <optional>

#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

struct RepairOptions {
  bool allow_new_routes = true;  // may a job go to an unused vehicle (only when no used route fits it)
  double blink_rate = 0;         // greedy: each position is skipped with this probability (SISR's blinks)
  double noise = 0;              // regret: each cost is scaled by a factor in [1 - noise, 1 + noise]
};

// Order in which greedy insertion takes the unassigned jobs.
enum class InsertionOrder { kRandom, kDemand, kFar, kClose, kDueTime };

// Greedy: jobs one at a time in `order`, each at its cheapest position (used routes first).
void greedy_insertion(const Instance& in, SearchSolution& s, Rng& rng, InsertionOrder order,
                      const RepairOptions& options);

// Regret-k: repeatedly inserts the job whose k cheapest routes differ most in cost (jobs with fewer
// than k feasible routes first), at its cheapest position. REQUIRES: k >= 2.
// `stop` (when given) is asked first, before each job is priced and before each insertion; once it answers
// true, the jobs not yet inserted go in by greedy insertion (cheapest position, no regret, jobs by due
// time) instead, and those that fit nowhere stay unassigned. While it answers false the result is the
// same as without it.
void regret_insertion(const Instance& in, SearchSolution& s, Rng& rng, std::size_t k, const RepairOptions& options,
                      const std::function<bool()>& stop = {});

// Cheapest insertion of `job` into route `route` over all positions (blinks skip positions).
// For a shipment (`job` is either half) it is the cheapest insertion of both halves: the pickup before
// position `pos`, the delivery before position `delivery_pos` >= pos of the route as it was (equal: right
// after the pickup); O(n^2) per route.
struct Insertion {
  double delta = 0;
  std::size_t pos = 0;
  std::size_t delivery_pos = 0;  // shipments only
};
std::optional<Insertion> best_in_route(const Instance& in, const RouteState& route, std::size_t job, Rng& rng,
                                       double blink_rate);

// Inserts `job` at `pos` of `route` and refreshes it. REQUIRES: `job` is a single job (see insert_at).
void insert_job(const Instance& in, RouteState& route, std::size_t job, std::size_t pos);

// Inserts `job` as best_in_route found it (both halves of a shipment) and refreshes the route.
void insert_at(const Instance& in, RouteState& route, std::size_t job, const Insertion& where);

// Shipments in repair (operators/pair_insertion.cpp): the cheapest insertion of both halves of the shipment
// `job` belongs to (REQUIRES: is_paired), used by best_in_route.
std::optional<Insertion> best_pair_in_route(const Instance& in, const RouteState& route, std::size_t job, Rng& rng,
                                            double blink_rate);
// The jobs a repair operator places itself: `jobs` without the delivery halves of shipments (each goes
// with its pickup half).
std::vector<std::size_t> insertion_heads(const Instance& in, std::vector<std::size_t> jobs);
// Marks `job` unassigned, with its delivery half when it is a shipment's pickup half.
void leave_unassigned(const Instance& in, SearchSolution& s, std::size_t job);

// True when route r may receive a job: used routes always; an unused one only when new routes are allowed
// and it is the first unused vehicle of its class (the others are equivalent to it).
std::vector<bool> open_candidates(const Instance& in, const SearchSolution& s, bool allow_new_routes);

}  // namespace lastmile::optimize
