#pragma once
// One end of a query on the graph (internal to the router and the matrix): the directed edges the
// snapped point lies on — the snapped one and its twin, when the segment is drivable both ways — and
// the fraction of each edge between the edge's source and the point.

#include <cstdint>

#include "map/graph.hpp"
#include "map/router.hpp"

namespace lastmile::map {

struct Phantom {
  uint32_t edge[2] = {kNoEdge, kNoEdge};
  double fraction[2] = {0, 0};
};

inline Phantom phantom_of(const Graph& g, const Snap& s) {
  Phantom p;
  p.edge[0] = s.edge;
  p.fraction[0] = s.fraction;
  const uint32_t twin = g.edge(s.edge).twin;
  if (twin != kNoEdge) {
    p.edge[1] = twin;
    p.fraction[1] = 1 - s.fraction;
  }
  return p;
}

}  // namespace lastmile::map
