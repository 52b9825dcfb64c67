#pragma once
// Removal (ruin) operators: take about `q` assigned jobs out of `s` into s.unassigned. Each refreshes the
// routes it touches. With fewer than q assigned jobs they remove what there is.

#include <cstddef>

#include "optimize/rng.hpp"
#include "optimize/search_solution.hpp"

namespace lastmile::optimize {

// q jobs chosen uniformly.
void random_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q);
// The jobs whose removal saves the most cost, randomised (Ropke & Pisinger's y^p choice, p = 3).
void worst_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q);
// Related jobs (Shaw): close in distance, in window opening time and in demand to ones already removed.
void shaw_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q);
// Every job of one used route, preferring short routes (the smallest of three random used routes).
void route_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q);
// SISR strings (Christiaens & Vanden Berghe 2020): around a random seed job, consecutive strings of stops
// from several nearby routes; about q jobs in all, strings of at most 10.
void string_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q);

// Assigned jobs of s, in route order.
std::vector<std::size_t> assigned_jobs(const SearchSolution& s);

}  // namespace lastmile::optimize
