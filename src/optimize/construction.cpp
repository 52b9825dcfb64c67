#include "optimize/construction.hpp"

#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {

std::vector<std::size_t> servable_jobs(const Instance& in) {
  std::vector<std::size_t> out;
  for (std::size_t j = 0; j < in.job_count(); ++j) {
    for (std::size_t v = 0; v < in.vehicle_count(); ++v) {
      RouteState r;
      r.vehicle = v;
      const auto& job = in.problem().jobs[j];
      // A shipment is servable when both halves fit one vehicle, pickup first.
      if (job.partner) r.jobs = job.pickup_half ? std::vector<std::size_t>{j, *job.partner}
                                                : std::vector<std::size_t>{*job.partner, j};
      else r.jobs = {j};
      if (refresh(in, r)) {
        out.push_back(j);
        break;
      }
    }
  }
  return out;
}

SearchSolution construct(const Instance& in, std::size_t k, Rng& rng, const std::function<bool()>& stop) {
  return construct(in, servable_jobs(in), k, rng, stop);
}

SearchSolution construct(const Instance& in, std::vector<std::size_t> jobs, std::size_t k, Rng& rng,
                         const std::function<bool()>& stop) {
  auto s = empty_solution(in, std::move(jobs));
  regret_insertion(in, s, rng, k, RepairOptions{}, stop);
  return s;
}

}  // namespace lastmile::optimize
