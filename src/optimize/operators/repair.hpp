#pragma once
// Repair (insertion) operators: put SearchSolution::unassigned jobs back at feasible positions. Jobs
// that fit nowhere stay in unassigned. Every route touched is refreshed.

#include <cstddef>
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
void regret_insertion(const Instance& in, SearchSolution& s, Rng& rng, std::size_t k, const RepairOptions& options);

// Cheapest insertion of `job` into route `route` over all positions (blinks skip positions).
struct Insertion {
  double delta = 0;
  std::size_t pos = 0;
};
std::optional<Insertion> best_in_route(const Instance& in, const RouteState& route, std::size_t job, Rng& rng,
                                       double blink_rate);

// Inserts `job` at `pos` of `route` and refreshes it.
void insert_job(const Instance& in, RouteState& route, std::size_t job, std::size_t pos);

// True when route r may receive a job: used routes always; an unused one only when new routes are allowed
// and it is the first unused vehicle of its class (the others are equivalent to it).
std::vector<bool> open_candidates(const Instance& in, const SearchSolution& s, bool allow_new_routes);

}  // namespace lastmile::optimize
