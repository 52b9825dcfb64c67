#include "optimize/local_search/local_search.hpp"

namespace lastmile::optimize {

bool or_opt_pass(const Instance& in, SearchSolution& s) {
  bool moved = false;
  for (auto& r : s.routes) {
    for (std::size_t len = 1; len <= 3; ++len) {
      for (std::size_t i = 0; i + len <= r.jobs.size(); ++i) {
        const auto n = r.jobs.size();
        // Cost of cutting the string [i, i + len) out.
        const auto before = location_before(in, r, i), after = location_at(in, r, i + len);
        const auto first = in.problem().jobs[r.jobs[i]].location;
        const auto last = in.problem().jobs[r.jobs[i + len - 1]].location;
        const double cut = in.cost(before, after) - in.cost(before, first) - in.cost(last, after);
        for (std::size_t p = 0; p <= n; ++p) {
          if (p >= i && p <= i + len) continue;  // the string's own place
          const auto x = location_before(in, r, p), y = location_at(in, r, p);
          const double delta = cut + in.cost(x, first) + in.cost(last, y) - in.cost(x, y);
          if (delta > -1e-7) continue;
          RouteState nr = r;
          std::vector<std::size_t> str(r.jobs.begin() + static_cast<std::ptrdiff_t>(i),
                                       r.jobs.begin() + static_cast<std::ptrdiff_t>(i + len));
          nr.jobs.clear();
          for (std::size_t k = 0; k <= n; ++k) {
            if (k == p) nr.jobs.insert(nr.jobs.end(), str.begin(), str.end());
            if (k < n && (k < i || k >= i + len)) nr.jobs.push_back(r.jobs[k]);
          }
          if (!refresh(in, nr) || nr.cost >= r.cost - 1e-7) continue;
          r = std::move(nr);
          moved = true;
          break;
        }
      }
    }
  }
  return moved;
}

}  // namespace lastmile::optimize
