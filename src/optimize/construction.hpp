#pragma once
// Initial solution: regret-k insertion of every job into initially unused vehicles (a new route is opened
// only for a job that fits no used one). Jobs that no vehicle can serve are left unassigned.
//
// Deadline: `stop` (when given; the solver passes its time limit) is asked between insertions. Once it
// answers true the jobs left go in by cheap greedy insertion (regret_insertion in operators/repair.hpp),
// so the result is still feasible, every job routed or unassigned; while it answers false the result is
// the same as without it (deterministic for a seed).

#include <functional>

#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

// Inserts `jobs` (by default every servable job); those that do not fit stay unassigned. REQUIRES: k >= 2.
SearchSolution construct(const Instance& in, std::size_t k, Rng& rng, const std::function<bool()>& stop = {});
SearchSolution construct(const Instance& in, std::vector<std::size_t> jobs, std::size_t k, Rng& rng,
                         const std::function<bool()>& stop = {});

// Jobs that fit alone on at least one vehicle (the others can never be served).
std::vector<std::size_t> servable_jobs(const Instance& in);

}  // namespace lastmile::optimize
