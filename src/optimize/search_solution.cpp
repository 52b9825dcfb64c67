#include "optimize/search_solution.hpp"

#include <algorithm>

namespace lastmile::optimize {

bool better(const Score& a, const Score& b) {
  if (a.unassigned != b.unassigned) return a.unassigned < b.unassigned;
  if (a.vehicles != b.vehicles) return a.vehicles < b.vehicles;
  return a.cost < b.cost - 1e-7;
}

Score SearchSolution::score() const {
  Score s;
  s.unassigned = unassigned.size();
  for (const auto& r : routes) {
    if (!r.empty()) {
      ++s.vehicles;
      s.cost += r.cost;
    }
  }
  return s;
}

Solution SearchSolution::to_solution() const {
  Solution out;
  for (const auto& r : routes) {
    out.routes.push_back(r.jobs);
    out.breaks.push_back(r.breaks);
  }
  out.unassigned = unassigned;
  std::sort(out.unassigned.begin(), out.unassigned.end());
  return out;
}

SearchSolution empty_solution(const Instance& in, std::vector<std::size_t> jobs) {
  SearchSolution s;
  s.routes.resize(in.vehicle_count());
  for (std::size_t v = 0; v < s.routes.size(); ++v) {
    s.routes[v].vehicle = v;
    refresh(in, s.routes[v]);
  }
  s.unassigned = std::move(jobs);
  return s;
}

std::vector<Position> positions(const Instance& in, const SearchSolution& s) {
  std::vector<Position> out(in.job_count());
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    for (std::size_t k = 0; k < s.routes[r].jobs.size(); ++k) out[s.routes[r].jobs[k]] = {r, k};
  }
  return out;
}

void remove_jobs(const Instance& in, SearchSolution& s, const std::vector<std::size_t>& jobs) {
  if (jobs.empty()) return;
  std::vector<bool> gone(in.job_count(), false);
  // A shipment's halves leave together: the partner of a job named goes too (once).
  std::vector<std::size_t> all;
  all.reserve(jobs.size());
  for (auto j : jobs) {
    if (!gone[j]) all.push_back(j);
    gone[j] = true;
  }
  const auto named = all.size();
  for (std::size_t i = 0; i < named; ++i) {
    const auto& partner = in.problem().jobs[all[i]].partner;
    if (partner && !gone[*partner]) {
      gone[*partner] = true;
      all.push_back(*partner);
    }
  }
  for (auto& r : s.routes) {
    const auto before = r.jobs.size();
    std::erase_if(r.jobs, [&](std::size_t j) { return gone[j]; });
    if (r.jobs.size() != before) refresh(in, r);
  }
  s.unassigned.insert(s.unassigned.end(), all.begin(), all.end());
}

}  // namespace lastmile::optimize
