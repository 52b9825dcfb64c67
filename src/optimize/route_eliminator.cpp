#include "optimize/route_eliminator.hpp"

#include <algorithm>
#include <limits>

#include "optimize/operators/repair.hpp"

namespace lastmile::optimize {
namespace {

bool has_pickups(const Instance& in) {
  for (const auto& j : in.problem().jobs) {
    for (auto a : j.pickup) {
      if (a != 0) return true;
    }
  }
  return false;
}

// Depth-first search over the stops of one route: each stop is kept or ejected, and the new job goes in
// once, somewhere. Times are carried forward from the start; once the job is in and a kept stop can be
// served no later than its cached latest start, the rest of the route is feasible as it is.
class EjectionSearch {
 public:
  EjectionSearch(const Instance& in, const RouteState& r, std::size_t route, std::size_t job,
                 const std::vector<uint64_t>& penalty, std::size_t k_max, bool pickups, Rng& rng,
                 uint64_t& best_penalty, std::size_t& ties, std::optional<EjectionMove>& best)
      : in_(in), p_(in.problem()), r_(r), veh_(p_.vehicles[r.vehicle]), job_(job), j_(p_.jobs[job]),
        route_(route), penalty_(penalty), k_max_(k_max), pickups_(pickups), rng_(rng),
        best_penalty_(best_penalty), ties_(ties), best_(best) {}

  void run() {
    if (!in_.compatible(r_.vehicle, job_)) return;
    before(0, veh_.shift.start, veh_.start, 0);
  }

 private:
  // The job is not in yet; stops 0..k-1 are decided.
  void before(std::size_t k, double departure, std::optional<LocationIndex> at, uint64_t sum) {
    const auto n = r_.jobs.size();
    if (const auto start = in_.earliest_start(job_, departure + in_.travel(at, j_.location))) {
      insert_at_ = k;
      after(k, *start + j_.service, j_.location, sum);
    }
    if (k == n) return;
    const auto jk = r_.jobs[k];
    if (ejected_.size() < k_max_ && sum + penalty_[jk] <= best_penalty_) {
      ejected_.push_back(k);
      before(k + 1, departure, at, sum + penalty_[jk]);
      ejected_.pop_back();
    }
    const auto& job = p_.jobs[jk];
    if (const auto start = in_.earliest_start(jk, departure + in_.travel(at, job.location))) {
      before(k + 1, *start + job.service, job.location, sum);
    }
  }

  // The job is in (before original stop insert_at_); stops k.. are open.
  void after(std::size_t k, double departure, std::optional<LocationIndex> at, uint64_t sum) {
    const auto n = r_.jobs.size();
    if (k == n) {
      if (departure + in_.travel(at, veh_.end) <= veh_.shift.end) leaf(sum);
      return;
    }
    const auto jk = r_.jobs[k];
    const auto& job = p_.jobs[jk];
    const auto start = in_.earliest_start(jk, departure + in_.travel(at, job.location));
    if (start && *start <= r_.latest[k] && leaf(sum)) return;  // more ejections only cost more
    if (ejected_.size() < k_max_ && sum + penalty_[jk] <= best_penalty_) {
      ejected_.push_back(k);
      after(k + 1, departure, at, sum + penalty_[jk]);
      ejected_.pop_back();
    }
    if (start) after(k + 1, *start + job.service, job.location, sum);
  }

  bool capacity_ok() const {
    const auto d = in_.dims();
    // The load leaving the start: every delivery on board.
    for (std::size_t i = 0; i < d; ++i) {
      int64_t load = r_.load[i] + j_.delivery[i];
      for (auto k : ejected_) load -= p_.jobs[r_.jobs[k]].delivery[i];
      if (load > veh_.capacity[i]) return false;
      if (!pickups_) continue;
      std::size_t e = 0;
      bool job_done = false;
      const auto step = [&](const Job& jb) {
        load += jb.pickup[i] - jb.delivery[i];
        return load <= veh_.capacity[i];
      };
      for (std::size_t k = 0; k <= r_.jobs.size(); ++k) {
        if (k == insert_at_ && !job_done) {
          job_done = true;
          if (!step(j_)) return false;
        }
        if (k == r_.jobs.size()) break;
        if (e < ejected_.size() && ejected_[e] == k) {
          ++e;
          continue;
        }
        if (!step(p_.jobs[r_.jobs[k]])) return false;
      }
    }
    return true;
  }

  // A time-feasible candidate: records it when the loads fit. Returns whether it was feasible.
  bool leaf(uint64_t sum) {
    if (!capacity_ok()) return false;
    if (sum < best_penalty_ || !best_) {
      best_penalty_ = sum;
      ties_ = 1;
    } else if (sum == best_penalty_) {
      ++ties_;
      if (rng_.below(ties_) != 0) return true;
    } else {
      return true;
    }
    EjectionMove m;
    m.route = route_;
    m.ejected = ejected_;
    m.penalty = sum;
    m.pos = insert_at_;
    for (auto k : ejected_) {
      if (k < insert_at_) --m.pos;
    }
    best_ = std::move(m);
    return true;
  }

  const Instance& in_;
  const Problem& p_;
  const RouteState& r_;
  const Vehicle& veh_;
  std::size_t job_;
  const Job& j_;
  std::size_t route_;
  const std::vector<uint64_t>& penalty_;
  std::size_t k_max_;
  bool pickups_;
  Rng& rng_;
  uint64_t& best_penalty_;
  std::size_t& ties_;
  std::optional<EjectionMove>& best_;
  std::vector<std::size_t> ejected_;  // increasing positions
  std::size_t insert_at_ = 0;
};

std::optional<EjectionMove> search_ejection(const Instance& in, const SearchSolution& s, std::size_t job,
                                            const std::vector<uint64_t>& penalty, std::size_t k_max, bool pickups,
                                            Rng& rng) {
  uint64_t best_penalty = std::numeric_limits<uint64_t>::max();
  std::size_t ties = 0;
  std::optional<EjectionMove> best;
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    if (s.routes[r].empty()) continue;
    EjectionSearch(in, s.routes[r], r, job, penalty, k_max, pickups, rng, best_penalty, ties, best).run();
  }
  return best;
}

// Random feasible relocations: a job next to one of its nearest neighbours in another route (before or
// after it), taken whenever feasible whatever it costs (diversification, as in Nagata & Bräysy).
void perturb(const Instance& in, SearchSolution& s, Rng& rng, std::size_t moves) {
  constexpr auto kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> where(in.job_count(), kNone);
  std::vector<std::size_t> used;
  for (std::size_t r = 0; r < s.routes.size(); ++r) {
    if (s.routes[r].empty()) continue;
    used.push_back(r);
    for (auto j : s.routes[r].jobs) where[j] = r;
  }
  if (used.size() < 2) return;
  for (std::size_t t = 0; t < moves; ++t) {
    const auto a = used[rng.below(used.size())];
    auto& ra = s.routes[a];
    if (ra.empty()) continue;
    const auto ia = rng.below(ra.jobs.size());
    const auto u = ra.jobs[ia];
    const auto& near = in.neighbours(u);
    if (near.empty()) continue;
    const auto w = near[rng.below(std::min<std::size_t>(near.size(), 10))];
    const auto b = where[w];
    if (b == kNone || b == a) continue;
    auto& rb = s.routes[b];
    const auto iw = static_cast<std::size_t>(std::find(rb.jobs.begin(), rb.jobs.end(), w) - rb.jobs.begin());
    if (rng.below(2) == 0) {
      // 2-opt*: u followed by w's successors, w followed by u's successors (same end depot only).
      const auto& p = in.problem();
      if (p.vehicles[ra.vehicle].end != p.vehicles[rb.vehicle].end) continue;
      RouteState na = ra, nb = rb;
      na.jobs.assign(ra.jobs.begin(), ra.jobs.begin() + static_cast<std::ptrdiff_t>(ia + 1));
      na.jobs.insert(na.jobs.end(), rb.jobs.begin() + static_cast<std::ptrdiff_t>(iw + 1), rb.jobs.end());
      nb.jobs.assign(rb.jobs.begin(), rb.jobs.begin() + static_cast<std::ptrdiff_t>(iw + 1));
      nb.jobs.insert(nb.jobs.end(), ra.jobs.begin() + static_cast<std::ptrdiff_t>(ia + 1), ra.jobs.end());
      if (!refresh(in, na) || !refresh(in, nb)) continue;
      ra = std::move(na);
      rb = std::move(nb);
      for (auto j : ra.jobs) where[j] = a;
      for (auto j : rb.jobs) where[j] = b;
    } else {
      const auto pos = iw + rng.below(2);
      if (!insertion_delta(in, rb, u, pos)) continue;
      RouteState shorter = ra;
      shorter.jobs.erase(shorter.jobs.begin() + static_cast<std::ptrdiff_t>(ia));
      if (!refresh(in, shorter)) continue;  // only without the triangle inequality
      ra = std::move(shorter);
      insert_job(in, rb, u, pos);
      where[u] = b;
    }
  }
}


// The penalty of a route that may break its windows and capacity (the squeeze step): the capacity
// excess summed over dimensions, and the time warp — arriving after a stop's last window, the time is
// set back to that window's end and the difference counts (Nagata's time-warp penalty) — plus the late
// return to the end depot.
struct RoutePenalty {
  double capacity = 0;
  double time = 0;
  bool zero() const { return capacity <= 0 && time <= 1e-9; }
};

RoutePenalty route_penalty(const Instance& in, std::size_t vehicle, const std::vector<std::size_t>& jobs) {
  RoutePenalty out;
  if (jobs.empty()) return out;
  const auto& p = in.problem();
  const auto& veh = p.vehicles[vehicle];
  double t = veh.shift.start;
  std::optional<LocationIndex> at = veh.start;
  for (auto j : jobs) {
    const auto& job = p.jobs[j];
    if (!in.compatible(vehicle, j)) out.time += 1e9;
    const double arrival = t + in.travel(at, job.location);
    double start = arrival;
    if (const auto s = in.earliest_start(j, arrival)) {
      start = *s;
    } else {
      start = job.windows.back().end;
      out.time += arrival - start;
    }
    t = start + job.service;
    at = job.location;
  }
  const double back = t + in.travel(at, veh.end);
  if (back > veh.shift.end) out.time += back - veh.shift.end;
  for (std::size_t i = 0; i < in.dims(); ++i) {
    int64_t load = 0;
    for (auto j : jobs) load += p.jobs[j].delivery[i];
    int64_t peak = load;
    for (auto j : jobs) {
      load += p.jobs[j].pickup[i] - p.jobs[j].delivery[i];
      peak = std::max(peak, load);
    }
    if (peak > veh.capacity[i]) out.capacity += static_cast<double>(peak - veh.capacity[i]);
  }
  return out;
}

// Squeeze (Nagata & Bräysy): `job` goes where it makes the penalty capacity + alpha * time warp
// smallest, then moves around infeasible routes (relocate, swap, 2-opt* with nearest neighbours) that
// lower the total penalty are made, best first, until every route is feasible (success) or no move
// helps (s restored). alpha adapts to which kind of violation was left over.
class Squeeze {
 public:
  Squeeze(const Instance& in, Rng& rng) : in_(in), rng_(rng) {}

  bool run(SearchSolution& s, std::size_t job) {
    const auto n = s.routes.size();
    pen_.assign(n, RoutePenalty{});
    std::optional<std::pair<std::size_t, std::size_t>> best_at;
    double best = 0;
    std::vector<std::size_t> seq;
    for (std::size_t r = 0; r < n; ++r) {
      const auto& rs = s.routes[r];
      if (rs.empty() || !in_.compatible(rs.vehicle, job)) continue;
      for (std::size_t pos = 0; pos <= rs.jobs.size(); ++pos) {
        seq = rs.jobs;
        seq.insert(seq.begin() + static_cast<std::ptrdiff_t>(pos), job);
        const double f = weigh(route_penalty(in_, rs.vehicle, seq));
        if (!best_at || f < best) {
          best = f;
          best_at = {r, pos};
        }
      }
    }
    if (!best_at) return false;
    SearchSolution saved = s;
    auto& target = s.routes[best_at->first].jobs;
    target.insert(target.begin() + static_cast<std::ptrdiff_t>(best_at->second), job);
    for (std::size_t r = 0; r < n; ++r) pen_[r] = route_penalty(in_, s.routes[r].vehicle, s.routes[r].jobs);
    where_.assign(in_.job_count(), kNone);
    for (std::size_t r = 0; r < n; ++r) {
      for (auto j : s.routes[r].jobs) where_[j] = r;
    }
    for (int step = 0; step < 500; ++step) {
      std::vector<std::size_t> bad;
      for (std::size_t r = 0; r < n; ++r) {
        if (!pen_[r].zero()) bad.push_back(r);
      }
      if (bad.empty()) break;
      if (!improve_route(s, bad[rng_.below(bad.size())])) break;
    }
    RoutePenalty left;
    for (const auto& p : pen_) {
      left.capacity += p.capacity;
      left.time += p.time;
    }
    if (!left.zero()) {
      alpha_ = left.time > left.capacity ? std::min(100.0, alpha_ / 0.99) : std::max(0.01, alpha_ * 0.99);
      s = std::move(saved);
      return false;
    }
    for (auto& r : s.routes) {
      if (!refresh(in_, r)) {  // a constraint the penalty does not model
        s = std::move(saved);
        return false;
      }
    }
    return true;
  }

 private:
  static constexpr auto kNone = static_cast<std::size_t>(-1);

  double weigh(const RoutePenalty& p) const { return p.capacity + alpha_ * p.time; }

  // The best penalty-lowering move touching a job of route a and a neighbouring job of another route.
  bool improve_route(SearchSolution& s, std::size_t a) {
    double best = -1e-9;
    std::vector<std::size_t> best_a, best_b;
    std::size_t best_rb = kNone;
    RoutePenalty best_pa, best_pb;
    const auto ja = s.routes[a].jobs;
    const double fa = weigh(pen_[a]);
    for (std::size_t iu = 0; iu < ja.size(); ++iu) {
      const auto u = ja[iu];
      const auto& near = in_.neighbours(u);
      for (std::size_t t = 0; t < std::min<std::size_t>(near.size(), 20); ++t) {
        const auto w = near[t];
        const auto b = where_[w];
        if (b == kNone || b == a) continue;
        const auto& jb = s.routes[b].jobs;
        const auto iw = static_cast<std::size_t>(std::find(jb.begin(), jb.end(), w) - jb.begin());
        const double fb = weigh(pen_[b]);
        const auto consider = [&](std::vector<std::size_t> na, std::vector<std::size_t> nb) {
          const auto pa = route_penalty(in_, s.routes[a].vehicle, na);
          const auto pb = route_penalty(in_, s.routes[b].vehicle, nb);
          const double delta = weigh(pa) + weigh(pb) - fa - fb;
          if (delta < best) {
            best = delta;
            best_a = std::move(na);
            best_b = std::move(nb);
            best_rb = b;
            best_pa = pa;
            best_pb = pb;
          }
        };
        const auto cut = [](const std::vector<std::size_t>& v, std::size_t from, std::size_t to) {
          return std::vector<std::size_t>(v.begin() + static_cast<std::ptrdiff_t>(from),
                                          v.begin() + static_cast<std::ptrdiff_t>(to));
        };
        auto without_u = ja;
        without_u.erase(without_u.begin() + static_cast<std::ptrdiff_t>(iu));
        for (std::size_t off = 0; off < 2; ++off) {  // relocate u before / after w
          auto nb = jb;
          nb.insert(nb.begin() + static_cast<std::ptrdiff_t>(iw + off), u);
          consider(without_u, std::move(nb));
        }
        {  // swap
          auto na = ja, nb = jb;
          std::swap(na[iu], nb[iw]);
          consider(std::move(na), std::move(nb));
        }
        {  // 2-opt*: u then w's successors; w then u's successors
          auto na = cut(ja, 0, iu + 1), nb = cut(jb, 0, iw + 1);
          na.insert(na.end(), jb.begin() + static_cast<std::ptrdiff_t>(iw + 1), jb.end());
          nb.insert(nb.end(), ja.begin() + static_cast<std::ptrdiff_t>(iu + 1), ja.end());
          consider(std::move(na), std::move(nb));
        }
        {  // 2-opt*: u's predecessors then w; w's predecessors then u
          auto na = cut(ja, 0, iu), nb = cut(jb, 0, iw);
          na.insert(na.end(), jb.begin() + static_cast<std::ptrdiff_t>(iw), jb.end());
          nb.insert(nb.end(), ja.begin() + static_cast<std::ptrdiff_t>(iu), ja.end());
          consider(std::move(na), std::move(nb));
        }
      }
    }
    if (best_rb == kNone) return false;
    s.routes[a].jobs = std::move(best_a);
    s.routes[best_rb].jobs = std::move(best_b);
    pen_[a] = best_pa;
    pen_[best_rb] = best_pb;
    for (auto j : s.routes[a].jobs) where_[j] = a;
    for (auto j : s.routes[best_rb].jobs) where_[j] = best_rb;
    return true;
  }

  const Instance& in_;
  Rng& rng_;
  double alpha_ = 1.0;
  std::vector<RoutePenalty> pen_;
  std::vector<std::size_t> where_;
};

}  // namespace

std::optional<EjectionMove> best_ejection(const Instance& in, const SearchSolution& s, std::size_t job,
                                          const std::vector<uint64_t>& penalty, std::size_t k_max, Rng& rng) {
  return search_ejection(in, s, job, penalty, k_max, has_pickups(in), rng);
}

bool apply_ejection(const Instance& in, SearchSolution& s, std::size_t job, const EjectionMove& move) {
  auto& r = s.routes[move.route];
  std::vector<std::size_t> kept;
  kept.reserve(r.jobs.size() + 1);
  std::size_t e = 0;
  for (std::size_t k = 0; k < r.jobs.size(); ++k) {
    if (e < move.ejected.size() && move.ejected[e] == k) {
      s.unassigned.push_back(r.jobs[k]);
      ++e;
    } else {
      kept.push_back(r.jobs[k]);
    }
  }
  kept.insert(kept.begin() + static_cast<std::ptrdiff_t>(move.pos), job);
  r.jobs = std::move(kept);
  return refresh(in, r);
}

bool eliminate_route(const Instance& in, SearchSolution& s, std::size_t route, Rng& rng,
                     std::vector<uint64_t>& penalty, uint64_t max_steps, uint64_t& iteration,
                     const std::function<bool()>& stop, const EliminationOptions& options) {
  if (route >= s.routes.size() || s.routes[route].empty() || !s.unassigned.empty()) return false;
  const bool pickups = has_pickups(in);
  SearchSolution work = s;
  std::vector<std::size_t> pool = std::move(work.routes[route].jobs);
  work.routes[route].jobs.clear();
  refresh(in, work.routes[route]);
  for (std::size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng.below(i)]);
  std::vector<std::pair<std::size_t, std::size_t>> fits;  // (route, position)
  Squeeze squeeze(in, rng);
  uint64_t steps = 0;
  while (!pool.empty()) {
    if (steps >= max_steps || (stop && stop())) return false;
    ++steps;
    ++iteration;
    const auto v = pool.back();
    pool.pop_back();
    fits.clear();
    for (std::size_t r = 0; r < work.routes.size(); ++r) {
      const auto& rs = work.routes[r];
      if (rs.empty()) continue;
      for (std::size_t pos = 0; pos <= rs.jobs.size(); ++pos) {
        if (insertion_delta(in, rs, v, pos)) fits.emplace_back(r, pos);
      }
    }
    if (!fits.empty()) {
      auto [r, pos] = fits[rng.below(fits.size())];
      if (options.cheapest) {
        double best = 0;
        bool first = true;
        for (auto [fr, fp] : fits) {
          const double d = *insertion_delta(in, work.routes[fr], v, fp);
          if (first || d < best) {
            best = d;
            r = fr;
            pos = fp;
            first = false;
          }
        }
      }
      insert_job(in, work.routes[r], v, pos);
      continue;
    }
    if (options.squeeze && squeeze.run(work, v)) continue;
    ++penalty[v];
    const auto move = search_ejection(in, work, v, penalty, options.k_max, pickups, rng);
    if (!move) {
      pool.insert(pool.begin(), v);  // fits nowhere even with ejections: try again later
    } else {
      // A constraint the ejection search does not model (refresh() is the reference): give up.
      if (!apply_ejection(in, work, v, *move)) return false;
      pool.insert(pool.end(), work.unassigned.begin(), work.unassigned.end());
      work.unassigned.clear();
    }
    perturb(in, work, rng, options.perturb_moves);
  }
  for (const auto& r : work.routes) {
    if (!r.feasible) return false;
  }
  s = std::move(work);
  return true;
}

std::size_t vehicle_lower_bound(const Instance& in, const SearchSolution& s) {
  const auto& p = in.problem();
  if (p.vehicles.empty()) return 1;
  for (const auto& v : p.vehicles) {
    if (v.capacity != p.vehicles.front().capacity) return 1;
  }
  std::size_t bound = 1;
  const auto& cap = p.vehicles.front().capacity;
  for (std::size_t i = 0; i < in.dims(); ++i) {
    int64_t delivery = 0, pickup = 0;
    for (const auto& r : s.routes) {
      for (auto j : r.jobs) {
        delivery += p.jobs[j].delivery[i];
        pickup += p.jobs[j].pickup[i];
      }
    }
    if (cap[i] <= 0) continue;
    const auto need = static_cast<std::size_t>((std::max(delivery, pickup) + cap[i] - 1) / cap[i]);
    bound = std::max(bound, need);
  }
  return bound;
}

}  // namespace lastmile::optimize
