#pragma once
// Local search applied to a solution when it improves on the best one: improving moves until none is
// left (or `max_rounds` sweeps). Each move keeps every route feasible and never opens a route; moves
// that empty a route are welcome (one vehicle fewer).

#include <cstddef>
#include <functional>

#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

// Relocate: one job to its cheapest position in another used route. Returns true when a move was made.
bool relocate_pass(const Instance& in, SearchSolution& s, Rng& rng);
// 2-opt*: exchange the tails of two routes (vehicles with the same end depot and shift end).
bool two_opt_star_pass(const Instance& in, SearchSolution& s);
// Cross-exchange: segments of 1–3 consecutive stops of two routes trade places (1–1 is the swap pass).
// Not run by local_search() (it made the Solomon R1 results worse in tuning); available to callers.
bool cross_exchange_pass(const Instance& in, SearchSolution& s);
// Or-opt: a string of 1–3 consecutive stops moved elsewhere in its own route.
bool or_opt_pass(const Instance& in, SearchSolution& s);
// Swap: two jobs of different routes trade places.
bool swap_pass(const Instance& in, SearchSolution& s);

// Runs relocate, 2-opt*, swap and or-opt in turn until a full round improves nothing, `max_rounds` rounds have run, or `stop`
// (when given) answers true before a round or between two passes (the time limit on large problems).
void local_search(const Instance& in, SearchSolution& s, Rng& rng, std::size_t max_rounds = 50,
                  const std::function<bool()>& stop = {});

}  // namespace lastmile::optimize
