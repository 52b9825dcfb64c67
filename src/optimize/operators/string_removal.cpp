#include <algorithm>
#include <cmath>

#include "optimize/operators/removal.hpp"

namespace lastmile::optimize {
namespace {
constexpr double kMaxString = 10.0;  // L^max of SISR
}

void string_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q) {
  const auto assigned = assigned_jobs(s);
  if (assigned.empty()) return;
  std::size_t used = 0;
  for (const auto& r : s.routes) used += r.empty() ? 0 : 1;
  const double avg_len = static_cast<double>(assigned.size()) / static_cast<double>(used);
  const double l_max = std::min(kMaxString, avg_len);
  const double ks_max = 4.0 * static_cast<double>(q) / (1.0 + l_max) - 1.0;
  const auto strings = static_cast<std::size_t>(std::floor(rng.real() * ks_max)) + 1;
  const auto pos = positions(in, s);
  const auto seed = assigned[rng.below(assigned.size())];
  std::vector<bool> route_done(s.routes.size(), false);
  std::vector<std::size_t> chosen;
  std::size_t ruined = 0;
  auto visit = [&](std::size_t job) {
    const auto r = pos[job].route;
    if (r == static_cast<std::size_t>(-1) || route_done[r]) return;
    route_done[r] = true;
    ++ruined;
    const auto& route = s.routes[r].jobs;
    const double cap = std::min(static_cast<double>(route.size()), l_max);
    const auto len = static_cast<std::size_t>(std::floor(rng.real() * cap)) + 1;
    // A string of `len` consecutive stops containing the job, at a random offset.
    const auto k = pos[job].pos;
    const auto lo = k + 1 >= len ? k + 1 - len : 0;
    const auto hi = std::min(k, route.size() - len);
    const auto first = lo + rng.below(hi - lo + 1);
    for (std::size_t i = first; i < first + len; ++i) chosen.push_back(route[i]);
  };
  visit(seed);
  for (auto n : in.neighbours(seed)) {
    if (ruined >= strings) break;
    visit(n);
  }
  remove_jobs(in, s, chosen);
}

}  // namespace lastmile::optimize
