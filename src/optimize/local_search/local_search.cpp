#include "optimize/local_search/local_search.hpp"

namespace lastmile::optimize {

void local_search(const Instance& in, SearchSolution& s, Rng& rng, std::size_t max_rounds,
                  const std::function<bool()>& stop) {
  auto stopped = [&] { return stop && stop(); };
  for (std::size_t round = 0; round < max_rounds; ++round) {
    bool improved = false;
    improved |= relocate_pass(in, s, rng);
    if (stopped()) return;
    improved |= two_opt_star_pass(in, s);
    if (stopped()) return;
    improved |= swap_pass(in, s);
    if (stopped()) return;
    improved |= or_opt_pass(in, s);
    if (!improved || stopped()) return;
  }
}

}  // namespace lastmile::optimize
