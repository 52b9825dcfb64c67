// GraphBuilder: ways in OSM ids become a dense, CSR-ordered graph.
#include "map/graph_builder.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace lastmile::map {
namespace {

NodeCoord at(double lat, double lon) {
  return {static_cast<int32_t>(lat * 1e7), static_cast<int32_t>(lon * 1e7)};
}

TEST(GraphBuilder, TwoWayAndOneWaySegmentsWithTwins) {
  GraphBuilder b;
  const std::vector<int64_t> two_way = {100, 200, 300};
  const std::vector<int64_t> one_way = {300, 400};
  b.add_way(1, two_way, WayProfile{36, Direction::kBoth, false}, "Main");
  b.add_way(2, one_way, WayProfile{36, Direction::kForward, false}, "");
  ASSERT_EQ(b.needed_nodes(), (std::vector<int64_t>{100, 200, 300, 400}));
  b.set_location(100, at(43.0, 7.0));
  b.set_location(200, at(43.001, 7.0));
  b.set_location(300, at(43.002, 7.0));
  b.set_location(400, at(43.003, 7.0));
  b.set_location(999, at(0, 0));  // not needed: ignored
  BuildStats stats;
  const GraphData g = b.build(&stats);
  EXPECT_EQ(stats.nodes, 4u);
  EXPECT_EQ(stats.edges, 5u);
  ASSERT_EQ(g.first_out.size(), 5u);
  for (uint32_t e = 0; e < g.edges.size(); ++e) {
    const Edge& edge = g.edges[e];
    EXPECT_GE(e, g.first_out[edge.source]);
    EXPECT_LT(e, g.first_out[edge.source + 1]);
    if (edge.twin != kNoEdge) {
      EXPECT_EQ(g.edges[edge.twin].twin, e);
      EXPECT_EQ(g.edges[edge.twin].source, edge.target);
    }
    EXPECT_NEAR(edge.length_m, 111.2, 0.1);
    EXPECT_NEAR(edge.duration_ms, 11120, 10);  // 36 km/h = 10 m/s
  }
  // The one-way 300 -> 400 (dense 2 -> 3) has no twin and no reverse edge.
  EXPECT_EQ(g.first_out[4] - g.first_out[3], 0u);
}

TEST(GraphBuilder, MissingNodeSplitsTheWay) {
  GraphBuilder b;
  const std::vector<int64_t> refs = {1, 2, 3, 4};
  b.add_way(7, refs, WayProfile{30, Direction::kForward, false}, "");
  b.needed_nodes();
  b.set_location(1, at(43.0, 7.0));
  b.set_location(2, at(43.001, 7.0));
  b.set_location(4, at(43.003, 7.0));  // 3 is missing (outside the extract)
  BuildStats stats;
  const GraphData g = b.build(&stats);
  EXPECT_EQ(stats.missing_nodes, 1u);
  EXPECT_EQ(stats.edges, 1u);
  EXPECT_EQ(stats.nodes, 2u);  // 4 is located but touches no segment
  EXPECT_EQ(g.osm_node_ids, (std::vector<int64_t>{1, 2}));
}

TEST(GraphBuilder, RestrictionOnUnknownWayIsUnresolved) {
  GraphBuilder b;
  const std::vector<int64_t> refs = {1, 2, 3};
  b.add_way(7, refs, WayProfile{30, Direction::kBoth, false}, "");
  b.add_restriction(7, 2, 8, false);   // way 8 does not exist
  b.add_restriction(7, 3, 7, false);   // resolves: 2->3 then 3->2 (a u-turn ban)
  b.needed_nodes();
  b.set_location(1, at(43.0, 7.0));
  b.set_location(2, at(43.001, 7.0));
  b.set_location(3, at(43.002, 7.0));
  BuildStats stats;
  const GraphData g = b.build(&stats);
  EXPECT_EQ(stats.restrictions_unresolved, 1u);
  EXPECT_EQ(stats.restrictions_applied, 1u);
  ASSERT_EQ(g.restrictions.size(), 1u);
  EXPECT_EQ(g.edges[g.restrictions[0].from_edge].target, 2u);
  EXPECT_EQ(g.edges[g.restrictions[0].to_edge].source, 2u);
}

TEST(GraphBuilder, DestinationOnlyRaisesWeightNotDuration) {
  GraphBuilder b;
  const std::vector<int64_t> refs = {1, 2};
  b.add_way(7, refs, WayProfile{36, Direction::kForward, true}, "");
  b.needed_nodes();
  b.set_location(1, at(43.0, 7.0));
  b.set_location(2, at(43.001, 7.0));
  const GraphData g = b.build(nullptr);
  ASSERT_EQ(g.edges.size(), 1u);
  EXPECT_EQ(g.edges[0].weight_ms, 5 * g.edges[0].duration_ms);
}

}  // namespace
}  // namespace lastmile::map
