#include "optimize/operators/removal.hpp"

namespace lastmile::optimize {

std::vector<std::size_t> assigned_jobs(const SearchSolution& s) {
  std::vector<std::size_t> out;
  for (const auto& r : s.routes) out.insert(out.end(), r.jobs.begin(), r.jobs.end());
  return out;
}

void random_removal(const Instance& in, SearchSolution& s, Rng& rng, std::size_t q) {
  auto jobs = assigned_jobs(s);
  q = std::min(q, jobs.size());
  for (std::size_t i = 0; i < q; ++i) std::swap(jobs[i], jobs[i + rng.below(jobs.size() - i)]);
  jobs.resize(q);
  remove_jobs(in, s, jobs);
}

}  // namespace lastmile::optimize
