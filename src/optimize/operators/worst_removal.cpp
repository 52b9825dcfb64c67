#include <algorithm>
#include <cmath>
#include <utility>

#include "optimize/operators/removal.hpp"

namespace lastmile::optimize {

void worst_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q) {
  std::vector<std::pair<double, std::size_t>> saving;  // (cost saved, job)
  for (const auto& r : s.routes) {
    for (std::size_t k = 0; k < r.jobs.size(); ++k) saving.emplace_back(-removal_delta(in, r, k), r.jobs[k]);
  }
  std::sort(saving.begin(), saving.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  std::vector<std::size_t> chosen;
  q = std::min(q, saving.size());
  while (chosen.size() < q) {
    const double y = rng.real();
    const auto idx = static_cast<std::size_t>(std::pow(y, 3.0) * static_cast<double>(saving.size()));
    chosen.push_back(saving[idx].second);
    saving.erase(saving.begin() + static_cast<std::ptrdiff_t>(idx));
  }
  remove_jobs(in, s, chosen);
}

}  // namespace lastmile::optimize
