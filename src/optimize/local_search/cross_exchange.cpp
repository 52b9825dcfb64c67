#include "optimize/local_search/local_search.hpp"

namespace lastmile::optimize {
namespace {

constexpr std::size_t kMaxSegment = 3;

// Cost change of replacing the stops [i, i + len) of r by the segment `seg` (no feasibility check).
double replace_segment_delta(const Instance& in, const RouteState& r, std::size_t i, std::size_t len,
                             const std::vector<std::size_t>& route_jobs_b, std::size_t j, std::size_t len_b) {
  const auto& jobs = in.problem().jobs;
  const auto before = location_before(in, r, i), after = location_at(in, r, i + len);
  const auto old_first = jobs[r.jobs[i]].location, old_last = jobs[r.jobs[i + len - 1]].location;
  const auto new_first = jobs[route_jobs_b[j]].location, new_last = jobs[route_jobs_b[j + len_b - 1]].location;
  return in.cost(before, new_first) + in.cost(new_last, after) - in.cost(before, old_first) - in.cost(old_last, after);
}

// r's jobs with [i, i + len) replaced by other[j, j + len_other).
std::vector<std::size_t> spliced(const std::vector<std::size_t>& r, std::size_t i, std::size_t len,
                                 const std::vector<std::size_t>& other, std::size_t j, std::size_t len_other) {
  std::vector<std::size_t> out(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(i));
  out.insert(out.end(), other.begin() + static_cast<std::ptrdiff_t>(j),
             other.begin() + static_cast<std::ptrdiff_t>(j + len_other));
  out.insert(out.end(), r.begin() + static_cast<std::ptrdiff_t>(i + len), r.end());
  return out;
}

}  // namespace

bool cross_exchange_pass(const Instance& in, SearchSolution& s) {
  bool moved = false;
  for (std::size_t a = 0; a < s.routes.size(); ++a) {
    for (std::size_t b = a + 1; b < s.routes.size(); ++b) {
      if (s.routes[a].empty() || s.routes[b].empty()) continue;
      bool done = false;
      for (std::size_t la = 1; la <= kMaxSegment && !done; ++la) {
        for (std::size_t lb = 1; lb <= kMaxSegment && !done; ++lb) {
          if (la == 1 && lb == 1) continue;  // the swap pass
          auto& ra = s.routes[a];
          auto& rb = s.routes[b];
          for (std::size_t i = 0; i + la <= ra.jobs.size() && !done; ++i) {
            for (std::size_t j = 0; j + lb <= rb.jobs.size() && !done; ++j) {
              const double delta = replace_segment_delta(in, ra, i, la, rb.jobs, j, lb) +
                                   replace_segment_delta(in, rb, j, lb, ra.jobs, i, la);
              if (delta > -1e-7) continue;
              RouteState na = ra, nb = rb;
              na.jobs = spliced(ra.jobs, i, la, rb.jobs, j, lb);
              nb.jobs = spliced(rb.jobs, j, lb, ra.jobs, i, la);
              if (!refresh(in, na) || !refresh(in, nb)) continue;
              ra = std::move(na);
              rb = std::move(nb);
              moved = done = true;
            }
          }
        }
      }
    }
  }
  return moved;
}

}  // namespace lastmile::optimize
