#include "map/tile_index.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

namespace lastmile::map {
namespace {

constexpr uint32_t kNone = 0xFFFF'FFFF;
constexpr double kWorldScale = 4294967296.0;  // 2^32
constexpr int kCellShift = 32 - static_cast<int>(TileIndex::kBaseZoom);

uint32_t to_world_u32(double v) {
  return static_cast<uint32_t>(std::clamp(std::floor(v * kWorldScale), 0.0, kWorldScale - 1));
}

// One drawn segment: a one-way edge, or the lower-numbered edge of a two-way pair.
struct Segment {
  uint32_t u;
  uint32_t v;
  uint32_t name;
  RoadClass road_class;
  bool oneway;
};

bool same_road(const Segment& a, const Segment& b) {
  return a.name == b.name && a.road_class == b.road_class && a.oneway == b.oneway;
}

}  // namespace

TileIndex::TileIndex(Graph graph) : graph_(std::move(graph)) {
  const uint32_t n = graph_.node_count();
  node_x_.resize(n);
  node_y_.resize(n);
  if (n > 0) {
    bounds_ = {180, 90, -180, -90};
    for (uint32_t i = 0; i < n; ++i) {
      const NodeCoord c = graph_.node(i);
      const double lat = c.lat_e7 * 1e-7;
      const double lon = c.lon_e7 * 1e-7;
      const WorldPoint p = project(lat, lon);
      node_x_[i] = to_world_u32(p.x);
      node_y_[i] = to_world_u32(p.y);
      bounds_.west = std::min(bounds_.west, lon);
      bounds_.east = std::max(bounds_.east, lon);
      bounds_.south = std::min(bounds_.south, lat);
      bounds_.north = std::max(bounds_.north, lat);
    }
  }
  build_chains();
  build_cells();
}

void TileIndex::build_chains() {
  std::vector<Segment> segments;
  for (uint32_t e = 0; e < graph_.edge_count(); ++e) {
    const Edge& edge = graph_.edge(e);
    if (edge.twin != kNoEdge && edge.twin < e) continue;  // drawn once, from the lower edge
    if (node_x_[edge.source] == node_x_[edge.target] && node_y_[edge.source] == node_y_[edge.target])
      continue;  // two OSM nodes at one place: nothing to draw
    segments.push_back({edge.source, edge.target, edge.name, edge_road_class(edge), edge.twin == kNoEdge});
  }
  // Segments at each node (CSR); a segment appears at both its ends.
  const uint32_t n = graph_.node_count();
  std::vector<uint32_t> first(n + 1, 0);
  for (const Segment& s : segments) {
    ++first[s.u + 1];
    ++first[s.v + 1];
  }
  for (uint32_t i = 0; i < n; ++i) first[i + 1] += first[i];
  std::vector<uint32_t> at(first.back());
  {
    std::vector<uint32_t> fill(first.begin(), first.end() - 1);
    for (uint32_t s = 0; s < segments.size(); ++s) {
      at[fill[segments[s].u]++] = s;
      at[fill[segments[s].v]++] = s;
    }
  }
  // The segment that continues the road of segment s through node `node`, or kNone where the road
  // ends there (a junction, a dead end, a change of name, class or direction).
  auto continuation = [&](uint32_t node, uint32_t s) {
    if (first[node + 1] - first[node] != 2) return kNone;
    const uint32_t a = at[first[node]];
    const uint32_t b = at[first[node] + 1];
    if (a == b) return kNone;  // a loop on one node
    const uint32_t o = a == s ? b : a;
    if (!same_road(segments[s], segments[o])) return kNone;
    if (segments[s].oneway && (segments[s].v == node) != (segments[o].u == node)) return kNone;
    return o;
  };

  std::vector<char> used(segments.size(), 0);
  chain_first_.push_back(0);
  std::deque<uint32_t> nodes;
  for (uint32_t s0 = 0; s0 < segments.size(); ++s0) {
    if (used[s0]) continue;
    used[s0] = 1;
    nodes.assign({segments[s0].u, segments[s0].v});
    uint32_t count = 1;
    for (const bool forward : {true, false}) {
      uint32_t s = s0;
      uint32_t node = forward ? segments[s0].v : segments[s0].u;
      while (count < kMaxChainSegments) {
        const uint32_t o = continuation(node, s);
        if (o == kNone || used[o]) break;
        used[o] = 1;
        ++count;
        node = segments[o].u == node ? segments[o].v : segments[o].u;
        if (forward) {
          nodes.push_back(node);
        } else {
          nodes.push_front(node);
        }
        s = o;
      }
    }
    chain_nodes_.insert(chain_nodes_.end(), nodes.begin(), nodes.end());
    chain_first_.push_back(static_cast<uint32_t>(chain_nodes_.size()));
    chain_info_.push_back({segments[s0].name, segments[s0].road_class, segments[s0].oneway});
  }
}

void TileIndex::build_cells() {
  for (uint32_t c = 0; c < chain_info_.size(); ++c) {
    for (uint32_t i = chain_first_[c]; i + 1 < chain_first_[c + 1]; ++i) {
      const uint32_t a = chain_nodes_[i];
      const uint32_t b = chain_nodes_[i + 1];
      const uint32_t x0 = std::min(node_x_[a], node_x_[b]) >> kCellShift;
      const uint32_t x1 = std::max(node_x_[a], node_x_[b]) >> kCellShift;
      const uint32_t y0 = std::min(node_y_[a], node_y_[b]) >> kCellShift;
      const uint32_t y1 = std::max(node_y_[a], node_y_[b]) >> kCellShift;
      for (uint32_t x = x0; x <= x1; ++x) {
        for (uint32_t y = y0; y <= y1; ++y) cells_.push_back({(x << kBaseZoom) | y, c});
      }
    }
  }
  std::sort(cells_.begin(), cells_.end());
  cells_.erase(std::unique(cells_.begin(), cells_.end()), cells_.end());
  cells_.shrink_to_fit();
}

std::vector<TileFeature> TileIndex::features(TileId id) const {
  std::vector<TileFeature> out;
  if (id.z < kMinContentZoom || id.z > kMaxContentZoom || cells_.empty()) return out;

  // The tile and its buffer in world units (2^32 per world side), then the base-zoom cells under it.
  const int64_t size = int64_t{1} << (32 - id.z);
  const int64_t buffer = size * kTileBuffer / kTileExtent;
  const int64_t max_cell = (int64_t{1} << kBaseZoom) - 1;
  auto cell_of = [&](int64_t world) { return std::clamp(world >> kCellShift, int64_t{0}, max_cell); };
  const int64_t cx0 = cell_of(id.x * size - buffer);
  const int64_t cx1 = cell_of((id.x + 1) * size + buffer - 1);
  const int64_t cy0 = cell_of(id.y * size - buffer);
  const int64_t cy1 = cell_of((id.y + 1) * size + buffer - 1);
  std::vector<uint32_t> chains;
  for (int64_t cx = cx0; cx <= cx1; ++cx) {
    // Keys of one column are consecutive in y.
    const Cell from{static_cast<uint32_t>((cx << kBaseZoom) | cy0), 0};
    const uint32_t last_key = static_cast<uint32_t>((cx << kBaseZoom) | cy1);
    for (auto it = std::lower_bound(cells_.begin(), cells_.end(), from); it != cells_.end() && it->key <= last_key;
         ++it)
      chains.push_back(it->chain);
  }
  std::sort(chains.begin(), chains.end());
  chains.erase(std::unique(chains.begin(), chains.end()), chains.end());

  // World units → tile units: subtract the tile's corner, scale by extent / size.
  const double scale = static_cast<double>(kTileExtent) / static_cast<double>(size);
  const double origin_x = static_cast<double>(id.x * size);
  const double origin_y = static_cast<double>(id.y * size);
  const double lo = -static_cast<double>(kTileBuffer);
  const double hi = static_cast<double>(kTileExtent + kTileBuffer);
  std::vector<TileVec> line;
  for (uint32_t c : chains) {
    line.clear();
    for (uint32_t i = chain_first_[c]; i < chain_first_[c + 1]; ++i) {
      const uint32_t node = chain_nodes_[i];
      line.push_back({(node_x_[node] - origin_x) * scale, (node_y_[node] - origin_y) * scale});
    }
    TileFeature f;
    for (const auto& piece : clip_polyline(line, lo, hi)) {
      auto part = simplify_line(piece, kSimplifyTolerance);
      if (part.size() >= 2) f.parts.push_back(std::move(part));
    }
    if (f.parts.empty()) continue;
    const ChainInfo& info = chain_info_[c];
    f.id = uint64_t{c} + 1;
    f.name = graph_.name(info.name);
    f.road_class = info.road_class;
    f.oneway = info.oneway;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace lastmile::map
