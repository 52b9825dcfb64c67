#include "map/contraction_hierarchy.hpp"

#include <algorithm>
#include <queue>
#include <utility>

namespace lastmile::map {
namespace {

constexpr uint32_t kNone = kNoEdge;
constexpr uint32_t kWitnessSettleLimit = 200;
constexpr uint64_t kInfinity = ~uint64_t{0};

using DynArc = ChArc;

// The graph while it is contracted: arcs both ways per vertex; contracted vertices are skipped.
struct Dynamic {
  std::vector<std::vector<DynArc>> out;
  std::vector<std::vector<DynArc>> in;
  std::vector<bool> contracted;
  std::vector<uint32_t> self_loop;
  std::vector<uint32_t> self_loop_middle;

  // Adds u -> x or lowers its weight. Returns whether something changed.
  bool add(uint32_t u, uint32_t x, uint32_t w, uint32_t middle) {
    for (DynArc& a : out[u]) {
      if (a.other == x) {
        if (a.weight_ms <= w) return false;
        a.weight_ms = w;
        a.middle = middle;
        for (DynArc& b : in[x]) {
          if (b.other == u) {
            b.weight_ms = w;
            b.middle = middle;
          }
        }
        return true;
      }
    }
    out[u].push_back({x, w, middle});
    in[x].push_back({u, w, middle});
    return true;
  }
};

// Bounded Dijkstra from u avoiding `skip`: whether some path u -> x weighs at most `limit`.
class Witness {
 public:
  explicit Witness(size_t n) : dist_(n, kInfinity) {}

  bool exists(const Dynamic& g, uint32_t u, uint32_t x, uint32_t skip, uint64_t limit) {
    for (uint32_t v : touched_) dist_[v] = kInfinity;
    touched_.clear();
    heap_ = {};
    set(u, 0);
    heap_.emplace(0, u);
    uint32_t settled = 0;
    while (!heap_.empty()) {
      const auto [d, v] = heap_.top();
      heap_.pop();
      if (d > dist_[v]) continue;
      if (v == x) return d <= limit;
      if (d > limit || ++settled > kWitnessSettleLimit) return false;
      for (const DynArc& a : g.out[v]) {
        if (a.other == skip || g.contracted[a.other]) continue;
        const uint64_t nd = d + a.weight_ms;
        if (nd < dist_[a.other]) {
          set(a.other, nd);
          heap_.emplace(nd, a.other);
        }
      }
    }
    return false;
  }

 private:
  void set(uint32_t v, uint64_t d) {
    if (dist_[v] == kInfinity) touched_.push_back(v);
    dist_[v] = d;
  }
  std::vector<uint64_t> dist_;
  std::vector<uint32_t> touched_;
  std::priority_queue<std::pair<uint64_t, uint32_t>, std::vector<std::pair<uint64_t, uint32_t>>, std::greater<>> heap_;
};

// Shortcuts contracting v would add (simulate) or adds them (apply). Returns how many.
int contract(Dynamic& g, Witness& witness, uint32_t v, bool apply) {
  int added = 0;
  for (const DynArc& in : std::vector<DynArc>(g.in[v])) {
    if (g.contracted[in.other] || in.other == v) continue;
    for (const DynArc& out : std::vector<DynArc>(g.out[v])) {
      if (g.contracted[out.other] || out.other == v) continue;
      const uint64_t w = uint64_t{in.weight_ms} + out.weight_ms;
      if (w >= kNone) continue;
      if (in.other == out.other) {
        if (apply && w < g.self_loop[in.other]) {
          g.self_loop[in.other] = static_cast<uint32_t>(w);
          g.self_loop_middle[in.other] = v;
        }
        continue;
      }
      if (witness.exists(g, in.other, out.other, v, w)) continue;
      ++added;
      if (apply) g.add(in.other, out.other, static_cast<uint32_t>(w), v);
    }
  }
  return added;
}

int priority(Dynamic& g, Witness& witness, uint32_t v) {
  int degree = 0;
  for (const DynArc& a : g.in[v]) degree += g.contracted[a.other] ? 0 : 1;
  for (const DynArc& a : g.out[v]) degree += g.contracted[a.other] ? 0 : 1;
  return contract(g, witness, v, false) - degree;
}

}  // namespace

uint64_t build_contraction_hierarchy(const Graph& graph, GraphData* data) {
  const uint32_t n = graph.edge_count();
  Dynamic g;
  g.out.resize(n);
  g.in.resize(n);
  g.contracted.assign(n, false);
  g.self_loop.assign(n, kNone);
  g.self_loop_middle.assign(n, kNone);
  for (uint32_t e = 0; e < n; ++e) {
    const uint32_t v = graph.edge(e).target;
    for (uint32_t f = graph.first_out(v); f < graph.end_out(v); ++f) {
      // f == e cannot happen: the builder makes no edge from a node to itself.
      if (f == e || !graph.turn_allowed(e, f)) continue;
      g.add(e, f, graph.edge(f).weight_ms, kNone);
    }
  }

  Witness witness(n);
  using Item = std::pair<int, uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  for (uint32_t v = 0; v < n; ++v) queue.emplace(priority(g, witness, v), v);

  uint64_t shortcuts = 0;
  std::vector<uint32_t> rank(n, 0);
  uint32_t next_rank = 0;
  std::vector<std::vector<ChArc>> up(n), down(n);
  while (!queue.empty()) {
    const auto [p, v] = queue.top();
    queue.pop();
    if (g.contracted[v]) continue;
    const int now = priority(g, witness, v);
    if (!queue.empty() && now > queue.top().first) {
      queue.emplace(now, v);
      continue;
    }
    shortcuts += static_cast<uint64_t>(contract(g, witness, v, true));
    for (const DynArc& a : g.out[v]) {
      if (!g.contracted[a.other] && a.other != v) up[v].push_back({a.other, a.weight_ms, a.middle});
    }
    for (const DynArc& a : g.in[v]) {
      if (!g.contracted[a.other] && a.other != v) down[v].push_back({a.other, a.weight_ms, a.middle});
    }
    g.contracted[v] = true;
    rank[v] = next_rank++;
  }

  data->ch_rank = std::move(rank);
  data->ch_up_first.assign(n + 1, 0);
  data->ch_down_first.assign(n + 1, 0);
  data->ch_up.clear();
  data->ch_down.clear();
  for (uint32_t v = 0; v < n; ++v) {
    data->ch_up_first[v + 1] = data->ch_up_first[v] + static_cast<uint32_t>(up[v].size());
    data->ch_down_first[v + 1] = data->ch_down_first[v] + static_cast<uint32_t>(down[v].size());
    data->ch_up.insert(data->ch_up.end(), up[v].begin(), up[v].end());
    data->ch_down.insert(data->ch_down.end(), down[v].begin(), down[v].end());
  }
  data->ch_self_loop = std::move(g.self_loop);
  data->ch_self_loop_middle = std::move(g.self_loop_middle);
  return shortcuts;
}

const ChArc* ContractionHierarchy::find_up(uint32_t v, uint32_t other) const {
  for (const ChArc& a : up(v)) {
    if (a.other == other) return &a;
  }
  return nullptr;
}

const ChArc* ContractionHierarchy::find_down(uint32_t v, uint32_t other) const {
  for (const ChArc& a : down(v)) {
    if (a.other == other) return &a;
  }
  return nullptr;
}

void ContractionHierarchy::unpack(uint32_t from, uint32_t to, const ChArc& arc, std::vector<uint32_t>* out) const {
  std::vector<UnpackStep> stack;
  unpack(from, to, arc, out, &stack);
}

void ContractionHierarchy::unpack(uint32_t from, uint32_t to, const ChArc& arc, std::vector<uint32_t>* out,
                                  std::vector<UnpackStep>* stack) const {
  // Iterative, left to right: a stack of arcs still to expand, the leftmost on top.
  stack->clear();
  stack->push_back({from, to, &arc});
  while (!stack->empty()) {
    const UnpackStep p = stack->back();
    stack->pop_back();
    if (p.arc->middle == kNoEdge) {
      out->push_back(p.to);
      continue;
    }
    // The bypassed vertex m is lower than both ends: from → m is in down(m), m → to is in up(m).
    const uint32_t m = p.arc->middle;
    const ChArc* first = find_down(m, p.from);
    const ChArc* second = find_up(m, p.to);
    if (first == nullptr || second == nullptr) continue;  // only in a corrupt hierarchy
    stack->push_back({m, p.to, second});
    stack->push_back({p.from, m, first});
  }
}

void ContractionHierarchy::unpack_self_loop(uint32_t v, std::vector<uint32_t>* out) const {
  const uint32_t m = g_.ch_self_loop_middle()[v];
  if (m == kNoEdge) return;
  const ChArc* first = find_down(m, v);
  const ChArc* second = find_up(m, v);
  if (first == nullptr || second == nullptr) return;  // only in a corrupt hierarchy
  unpack(v, m, *first, out);
  unpack(m, v, *second, out);
}

}  // namespace lastmile::map
