#pragma once
// Route elimination with an ejection pool, in the style of Nagata & Bräysy (2009), "A powerful route
// minimization heuristic for the VRPTW" (our own implementation of the published algorithm):
//
//   take one route out and put its jobs in an ejection pool (a stack); repeatedly pop a job and
//   1. insert it at a random feasible position of a used route when there is one; else
//   2. raise its failure counter p[v] and insert it with ejections: over every used route and every
//      position, eject at most k_max other jobs of that route so that the route with the job is feasible,
//      minimising the sum of the ejected jobs' counters (ties broken at random); the ejected jobs go to the
//      pool; then perturb the solution with random feasible relocations and 2-opt* moves between
//      neighbouring jobs of different routes (diversification).
//   A job that fits nowhere even with ejections goes back to the bottom of the pool. A move the
//   ejection search proposes is re-checked with refresh(); if a constraint it does not model fails,
//   the attempt gives up (the solution is left unchanged).
//   Optionally (EliminationOptions::squeeze, off by default: about ten times slower per step and no
//   gain measured on R104/R112) a squeeze step comes before 2: the job goes where the penalty capacity
//   excess + alpha * time warp is smallest and penalty-lowering relocate/swap/2-opt* moves repair the
//   routes; it is undone when they do not become feasible.
//   The route is eliminated when the pool is empty.
//
// The ejection search walks a route once per candidate (depth-first over "eject or keep" for each
// stop), pruned by the best counter sum so far and cut short as soon as the rest of the route is known
// feasible from the route's cached latest starts (RouteState::latest). No route is ever opened.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

struct EliminationOptions {
  std::size_t k_max = 3;           // at most this many jobs ejected per insertion
  std::size_t perturb_moves = 100; // random relocations / 2-opt* moves tried after each ejection
  bool cheapest = false;           // a job that fits goes to its cheapest position (else a random one)
  bool squeeze = false;            // try the squeeze step before inserting with ejections (slower)
};

// One insertion with ejections: job `job` goes before `pos` (in the route without the ejected jobs) of
// route `route`; `ejected` are positions in the route as it was.
struct EjectionMove {
  std::size_t route = 0;
  std::size_t pos = 0;
  std::vector<std::size_t> ejected;
  uint64_t penalty = 0;  // sum of the ejected jobs' counters
};

// The insertion of `job` into a used route of `s` with at most options.k_max ejections that minimises
// the sum of penalty[] over the ejected jobs (ties at random); nullopt when there is none. A plain
// feasible insertion (no ejection, penalty 0) is found too.
std::optional<EjectionMove> best_ejection(const Instance& in, const SearchSolution& s, std::size_t job,
                                          const std::vector<uint64_t>& penalty, std::size_t k_max, Rng& rng);

// Applies `move` to s: the job inserted, the ejected jobs appended to s.unassigned, the route refreshed.
// Returns the route's feasibility after the refresh (always true for a move from best_ejection).
bool apply_ejection(const Instance& in, SearchSolution& s, std::size_t job, const EjectionMove& move);

// Tries to empty route `route` of s (a feasible solution with nothing unassigned). Each pool step
// advances `iteration`; gives up after `max_steps` steps or when `stop()` answers true. On success s
// has that route empty (and possibly others, emptied by the perturbation), every job assigned, every
// route feasible; on failure s is unchanged. `penalty` (the failure counters, one per job, at least 1)
// is kept by the caller across attempts.
bool eliminate_route(const Instance& in, SearchSolution& s, std::size_t route, Rng& rng,
                     std::vector<uint64_t>& penalty, uint64_t max_steps, uint64_t& iteration,
                     const std::function<bool()>& stop, const EliminationOptions& options = {});

// ceil(total demand / capacity) of the jobs assigned in `s`, per capacity dimension (deliveries and
// pickups apart), the largest over dimensions, when every vehicle has the same capacity: a lower bound
// on the vehicles any solution serving those jobs needs. 1 otherwise.
std::size_t vehicle_lower_bound(const Instance& in, const SearchSolution& s);

}  // namespace lastmile::optimize
