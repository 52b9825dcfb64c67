// Router::matrix: many-to-many routing on the contraction hierarchy (bucket-based, after Knopp,
// Sanders, Schultes, Schulz and Wagner, "Computing many-to-many shortest paths using highway
// hierarchies", 2007). Each destination's backward upward search leaves, at every vertex it
// reaches, a bucket entry (destination, weight, duration, length to the destination); each
// source's forward upward search then scans the buckets of the vertices it reaches. A pair's best
// meeting vertex is chosen exactly as Router::search_ch chooses it, so a cell equals route().

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "map/ch_arc_costs.hpp"
#include "map/contraction_hierarchy.hpp"
#include "map/phantom.hpp"
#include "map/router.hpp"

namespace lastmile::map {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct Cost {
  double weight_ms = kInfinity;
  double duration_ms = 0;
  double length_m = 0;

  Cost plus(double w, const ArcCost& a) const {
    return {weight_ms + w, duration_ms + a.duration_ms, length_m + a.length_m};
  }
};

struct Label {
  Cost cost;
  bool initial = false;  // the best label is the seed (the phantom's own edge), not reached by an arc
};

Cost share_of(const Graph& g, uint32_t e, double share) {
  const Edge& edge = g.edge(e);
  return {share * edge.weight_ms, share * edge.duration_ms, share * static_cast<double>(edge.length_m)};
}

// An upward search over the whole upward space (no stopping criterion, as search_ch), reusing its
// labels between runs. Not thread-safe; one per matrix call.
class UpwardSearch {
 public:
  UpwardSearch(const Graph& g, const ContractionHierarchy& ch, const ChArcCosts& costs, bool forward)
      : g_(g), ch_(ch), costs_(costs), forward_(forward), labels_(g.edge_count()) {}

  // Seeds the search at `ends` (forward: the rest of the start edge; backward: minus the part of
  // the end edge after the point, since every arc into a vertex charges its whole edge) and runs it.
  void run(const Phantom& ends) {
    for (uint32_t v : seen_) labels_[v] = Label{};
    seen_.clear();
    for (int i = 0; i < 2; ++i) {
      const uint32_t e = ends.edge[i];
      if (e == kNoEdge) continue;
      Cost c = share_of(g_, e, 1 - ends.fraction[i]);
      if (!forward_) c = {-c.weight_ms, -c.duration_ms, -c.length_m};
      labels_[e] = {c, true};
      seen_.push_back(e);
    }
    heap_.clear();
    for (uint32_t v : seen_) push(labels_[v].cost.weight_ms, v);
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
      const auto [d, v] = heap_.back();
      heap_.pop_back();
      if (d > labels_[v].cost.weight_ms) continue;
      const auto arcs = forward_ ? ch_.up(v) : ch_.down(v);
      for (size_t i = 0; i < arcs.size(); ++i) {
        const ChArc& a = arcs[i];
        const Cost nc = labels_[v].cost.plus(a.weight_ms, forward_ ? costs_.up(v, i) : costs_.down(v, i));
        Label& l = labels_[a.other];
        if (nc.weight_ms < l.cost.weight_ms) {
          if (l.cost.weight_ms == kInfinity) seen_.push_back(a.other);
          l = {nc, false};
          push(nc.weight_ms, a.other);
        }
      }
    }
  }

  // The vertices reached, in the order first reached.
  const std::vector<uint32_t>& seen() const { return seen_; }
  const Label& label(uint32_t v) const { return labels_[v]; }

 private:
  void push(double d, uint32_t v) {
    heap_.emplace_back(d, v);
    std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
  }

  const Graph& g_;
  const ContractionHierarchy& ch_;
  const ChArcCosts& costs_;
  bool forward_;
  std::vector<Label> labels_;
  std::vector<uint32_t> seen_;
  std::vector<std::pair<double, uint32_t>> heap_;
};

struct BucketEntry {
  uint32_t destination;
  Cost cost;
  bool initial;
};

Result<std::vector<Snap>> snap_all(const Router& router, std::span<const core::LatLon> points,
                                   const char* what) {
  std::vector<Snap> snaps;
  snaps.reserve(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    auto s = router.snap(points[i]);
    if (!s)
      return Error{s.error().code, std::string(what) + " " + std::to_string(i) + ": " + s.error().message};
    snaps.push_back(*s);
  }
  return snaps;
}

Matrix empty_matrix(size_t sources, size_t destinations) {
  Matrix m;
  m.sources = sources;
  m.destinations = destinations;
  m.duration_s.assign(sources * destinations, Matrix::kUnreachable);
  m.distance_m.assign(sources * destinations, Matrix::kUnreachable);
  m.weight_s.assign(sources * destinations, Matrix::kUnreachable);
  return m;
}

// The bucket-based many-to-many search over the snapped ends (a missing end takes no part);
// calls found(i, j, cost) for every pair that has a route.
template <typename Found>
void many_to_many(const Graph& g, const ContractionHierarchy& ch, const ChArcCosts& costs,
                  const std::vector<std::optional<Snap>>& sources,
                  const std::vector<std::optional<Snap>>& destinations, Found&& found) {
  std::vector<std::optional<Phantom>> source_ends, destination_ends;
  for (const auto& s : sources) source_ends.push_back(s ? std::optional(phantom_of(g, *s)) : std::nullopt);
  for (const auto& s : destinations)
    destination_ends.push_back(s ? std::optional(phantom_of(g, *s)) : std::nullopt);

  // Buckets: per vertex, the destinations whose backward search reached it (CSR by vertex, in
  // destination order).
  std::vector<std::pair<uint32_t, BucketEntry>> entries;
  UpwardSearch backward(g, ch, costs, false);
  for (size_t j = 0; j < destinations.size(); ++j) {
    if (!destination_ends[j]) continue;
    backward.run(*destination_ends[j]);
    for (uint32_t v : backward.seen()) {
      const Label& l = backward.label(v);
      entries.push_back({v, {static_cast<uint32_t>(j), l.cost, l.initial}});
    }
  }
  std::vector<uint32_t> first(g.edge_count() + 1, 0);
  for (const auto& e : entries) ++first[e.first + 1];
  for (size_t v = 1; v < first.size(); ++v) first[v] += first[v - 1];
  std::vector<BucketEntry> buckets(entries.size());
  {
    std::vector<uint32_t> next(first.begin(), first.end() - 1);
    for (const auto& e : entries) buckets[next[e.first]++] = e.second;
  }
  entries = {};

  UpwardSearch forward(g, ch, costs, true);
  std::vector<Cost> best(destinations.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    if (!source_ends[i]) continue;
    const Phantom& s = *source_ends[i];
    // The one-edge route (start before end on a shared edge), checked first as search_ch does.
    std::fill(best.begin(), best.end(), Cost{});
    for (size_t j = 0; j < destinations.size(); ++j) {
      if (!destination_ends[j]) continue;
      const Phantom& t = *destination_ends[j];
      for (int a = 0; a < 2; ++a) {
        if (s.edge[a] == kNoEdge) continue;
        for (int b = 0; b < 2; ++b) {
          if (t.edge[b] == s.edge[a] && s.fraction[a] <= t.fraction[b]) {
            const Cost c = share_of(g, s.edge[a], t.fraction[b] - s.fraction[a]);
            if (c.weight_ms < best[j].weight_ms) best[j] = c;
          }
        }
      }
    }
    forward.run(s);
    // Meeting vertices in the order search_ch visits them, replacing only on a strictly smaller
    // weight, so ties resolve as route() resolves them.
    for (uint32_t x : forward.seen()) {
      const Label& f = forward.label(x);
      const uint32_t loop_ms = ch.self_loop_ms(x);
      for (uint32_t k = first[x]; k < first[x + 1]; ++k) {
        const BucketEntry& b = buckets[k];
        const Cost through{f.cost.weight_ms + b.cost.weight_ms, f.cost.duration_ms + b.cost.duration_ms,
                           f.cost.length_m + b.cost.length_m};
        Cost& cell = best[b.destination];
        if (!(f.initial && b.initial) && through.weight_ms < cell.weight_ms) cell = through;
        if (loop_ms != kNoEdge && through.weight_ms + loop_ms < cell.weight_ms) {
          cell = through.plus(loop_ms, costs.self_loop(x));
        }
      }
    }
    for (size_t j = 0; j < destinations.size(); ++j) {
      if (best[j].weight_ms != kInfinity) found(i, j, best[j]);
    }
  }
}

void store(Matrix* m, size_t i, size_t j, const Cost& c) {
  const size_t k = m->index(i, j);
  m->duration_s[k] = c.duration_ms / 1000.0;
  m->distance_m[k] = c.length_m;
  m->weight_s[k] = c.weight_ms / 1000.0;
}

}  // namespace

Result<Matrix> Router::matrix_pairwise(std::span<const core::LatLon> sources,
                                       std::span<const core::LatLon> destinations) const {
  auto source_snaps = snap_all(*this, sources, "source");
  if (!source_snaps) return source_snaps.error();
  auto destination_snaps = snap_all(*this, destinations, "destination");
  if (!destination_snaps) return destination_snaps.error();
  Matrix m = empty_matrix(sources.size(), destinations.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    for (size_t j = 0; j < destinations.size(); ++j) {
      auto r = route(sources[i], destinations[j]);
      if (!r) continue;
      const size_t k = m.index(i, j);
      m.duration_s[k] = r->duration_s;
      m.distance_m[k] = r->distance_m;
      m.weight_s[k] = r->weight_s;
    }
  }
  return m;
}

Result<Matrix> Router::matrix(std::span<const core::LatLon> sources,
                              std::span<const core::LatLon> destinations) const {
  if (ch_ == nullptr || arc_costs_ == nullptr) return matrix_pairwise(sources, destinations);
  const Graph& g = graph_;
  auto source_snaps = snap_all(*this, sources, "source");
  if (!source_snaps) return source_snaps.error();
  auto destination_snaps = snap_all(*this, destinations, "destination");
  if (!destination_snaps) return destination_snaps.error();
  Matrix m = empty_matrix(sources.size(), destinations.size());
  if (sources.empty() || destinations.empty()) return m;
  std::vector<std::optional<Snap>> from(source_snaps->begin(), source_snaps->end());
  std::vector<std::optional<Snap>> to(destination_snaps->begin(), destination_snaps->end());
  many_to_many(g, *ch_, *arc_costs_, from, to,
               [&](size_t i, size_t j, const Cost& c) { store(&m, i, j, c); });

  // As route(): a pair without a route whose end lies in a small component tries again with that
  // end snapped to the nearest road of a big component (no second try when that snap fails).
  auto small = [&](const Snap& s) { return (g.edge(s.edge).flags & kEdgeInSmallComponent) != 0; };
  auto resnap = [&](std::span<const core::LatLon> points, const std::vector<std::optional<Snap>>& snaps) {
    std::vector<std::optional<Snap>> again(snaps.size());
    std::vector<bool> failed(snaps.size(), false);
    for (size_t i = 0; i < snaps.size(); ++i) {
      if (!small(*snaps[i])) {
        again[i] = snaps[i];
        continue;
      }
      auto s = snap(points[i], true);
      if (s)
        again[i] = *s;
      else
        failed[i] = true;
    }
    return std::pair{again, failed};
  };
  bool retry = false;
  for (size_t i = 0; i < sources.size() && !retry; ++i) {
    for (size_t j = 0; j < destinations.size() && !retry; ++j) {
      retry = !m.reachable(i, j) && (small(*from[i]) || small(*to[j]));
    }
  }
  if (!retry) return m;
  // Not structured bindings: clang 14 cannot capture those in the lambda below.
  auto from_resnapped = resnap(sources, from);
  auto to_resnapped = resnap(destinations, to);
  const auto& from_failed = from_resnapped.second;
  const auto& to_failed = to_resnapped.second;
  many_to_many(g, *ch_, *arc_costs_, from_resnapped.first, to_resnapped.first, [&](size_t i, size_t j, const Cost& c) {
    const bool small_end = small(*from[i]) || small(*to[j]);
    const bool snap_failed = (small(*from[i]) && from_failed[i]) || (small(*to[j]) && to_failed[j]);
    if (!m.reachable(i, j) && small_end && !snap_failed) store(&m, i, j, c);
  });
  return m;
}

}  // namespace lastmile::map
