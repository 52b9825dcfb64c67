// Routes on hand-made networks (tests/data/osm/*.osm): each scenario has one right answer, the
// sequence of OSM nodes the car passes.
#include "map/router.hpp"

#include <gtest/gtest.h>

#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

using test::between;
using test::osm_nodes;

class RouterTest : public ::testing::Test {
 protected:
  Router router_for(const std::string& fixture) { return Router(test::import_fixture(dir_, fixture)); }
  test::TempDir dir_;
};

// Square 4 3 / 1 2 with 2 -> 1 one-way.
TEST_F(RouterTest, OnewayStreetIsDrivenOnlyItsWayAndTheRouteGoesAround) {
  const Router router = router_for("oneway.osm");
  const Graph& g = router.graph();
  auto against = router.route(between(g, 1, 4), between(g, 2, 3));
  ASSERT_TRUE(against.ok()) << against.error().message;
  EXPECT_EQ(osm_nodes(g, *against), (std::vector<int64_t>{4, 3}));
  auto with = router.route(between(g, 2, 3), between(g, 1, 4));
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(osm_nodes(g, *with), (std::vector<int64_t>{2, 1}));
  // Half a side (111 m of latitude), the one-way (80.4 m of longitude), half a side.
  EXPECT_NEAR(with->distance_m, 111.19 / 2 + 80.39 + 111.19 / 2, 0.5);
  EXPECT_NEAR(against->distance_m, 111.19 / 2 + 80.39 + 111.19 / 2, 0.5);
  EXPECT_NEAR(with->duration_s, with->distance_m / (25 / 3.6), 0.01);  // residential, 25 km/h
  ASSERT_EQ(with->geometry.size(), 4u);
}

TEST_F(RouterTest, OnewayMinusOneIsDrivenAgainstTheWayDirection) {
  const Router router = router_for("oneway_reverse.osm");
  const Graph& g = router.graph();
  auto a = router.route(between(g, 1, 4), between(g, 2, 3));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(osm_nodes(g, *a), (std::vector<int64_t>{4, 3}));
  auto b = router.route(between(g, 2, 3), between(g, 1, 4));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(osm_nodes(g, *b), (std::vector<int64_t>{2, 1}));
}

TEST_F(RouterTest, RoundaboutIsDrivenCounterClockwiseOnly) {
  const Router router = router_for("roundabout.osm");
  const Graph& g = router.graph();
  auto south_to_west = router.route(between(g, 21, 11), between(g, 14, 24));
  ASSERT_TRUE(south_to_west.ok());
  EXPECT_EQ(osm_nodes(g, *south_to_west), (std::vector<int64_t>{11, 12, 13, 14}));
  auto west_to_south = router.route(between(g, 24, 14), between(g, 11, 21));
  ASSERT_TRUE(west_to_south.ok());
  EXPECT_EQ(osm_nodes(g, *west_to_south), (std::vector<int64_t>{14, 11}));
}

TEST_F(RouterTest, PrivateRoadIsNotUsedDestinationRoadIsUsedWhenNeeded) {
  const Router router = router_for("access_private.osm");
  const Graph& g = router.graph();
  auto r = router.route(between(g, 1, 4), between(g, 2, 3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(osm_nodes(g, *r), (std::vector<int64_t>{4, 3}));
  EXPECT_GT(r->weight_s, r->duration_s);  // way 4-3 is access=destination: penalised, still taken
  // The private road is not in the graph at all: a point on it snaps to another road.
  auto on_private = router.snap(between(g, 1, 2, 0.5));
  ASSERT_TRUE(on_private.ok());
  EXPECT_GT(on_private->distance_m, 30);
}

// Grid 7 8 9 / 4 5 6 / 1 2 3.
TEST_F(RouterTest, NoLeftTurnForcesADetour) {
  const Router router = router_for("restrictions.osm");
  const Graph& g = router.graph();
  EXPECT_EQ(g.restriction_count(), 2u);
  // Northbound on 2 -> 5, left onto 5 -> 4 is forbidden: back to 2, round by 1 and 4.
  auto r = router.route(between(g, 2, 5), between(g, 4, 5));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(osm_nodes(g, *r), (std::vector<int64_t>{2, 1, 4}));
  EXPECT_NEAR(r->distance_m, 111.19 / 2 + 80.39 + 111.19 + 80.39 / 2, 0.5);
  // Southbound on 8 -> 5, the right turn onto 5 -> 4 is allowed.
  auto right = router.route(between(g, 8, 5), between(g, 4, 5));
  ASSERT_TRUE(right.ok());
  EXPECT_EQ(osm_nodes(g, *right), (std::vector<int64_t>{5}));
}

TEST_F(RouterTest, OnlyStraightOnForbidsTheOtherTurns) {
  const Router router = router_for("restrictions.osm");
  const Graph& g = router.graph();
  // Eastbound on 4 -> 5, only straight on to 6: a left turn to 8 means going round by 7.
  auto left = router.route(between(g, 4, 5), between(g, 8, 5));
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(osm_nodes(g, *left), (std::vector<int64_t>{4, 7, 8}));
  auto straight = router.route(between(g, 4, 5), between(g, 5, 6));
  ASSERT_TRUE(straight.ok());
  EXPECT_EQ(osm_nodes(g, *straight), (std::vector<int64_t>{5}));
  // Westbound on 6 -> 5 the restriction does not apply: left turn (south) to 2 directly.
  auto other = router.route(between(g, 6, 5), between(g, 5, 2));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(osm_nodes(g, *other), (std::vector<int64_t>{5}));
}

TEST_F(RouterTest, NoUTurnAtMedianOpeningSendsTheCarRoundTheLoop) {
  const Router router = router_for("no_u_turn.osm");
  const Graph& g = router.graph();
  auto r = router.route(between(g, 1, 2), between(g, 2, 4));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(osm_nodes(g, *r), (std::vector<int64_t>{2, 3, 6, 2}));
}

TEST_F(RouterTest, AStarAndDijkstraAgreeOnFixtures) {
  const Router router = router_for("restrictions.osm");
  const Graph& g = router.graph();
  for (int64_t a : {1, 2, 3, 4, 5, 6}) {
    for (int64_t b : {5, 6, 7, 8, 9}) {
      if (a == b) continue;
      auto x = router.route(between(g, a, b, 0.3), between(g, b, a, 0.2), Router::Search::kAStar);
      auto y = router.route(between(g, a, b, 0.3), between(g, b, a, 0.2), Router::Search::kDijkstra);
      if (!x.ok()) continue;  // a and b not neighbours
      ASSERT_TRUE(y.ok());
      EXPECT_NEAR(x->weight_s, y->weight_s, 1e-6);
    }
  }
}

TEST_F(RouterTest, ContractionHierarchyAndAStarMatchDijkstraOnEveryFixture) {
  for (const char* fixture : {"oneway.osm", "oneway_reverse.osm", "roundabout.osm", "access_private.osm",
                              "restrictions.osm", "no_u_turn.osm", "two_islands.osm"}) {
    const Graph g = test::import_fixture(dir_, fixture);
    ASSERT_TRUE(g.has_contraction_hierarchy());
    const Router router(g);
    // Every pair of points at 30% and 70% of every edge, both ways.
    std::vector<core::LatLon> points;
    for (uint32_t e = 0; e < g.edge_count(); ++e) {
      for (double share : {0.3, 0.7}) {
        points.push_back(between(g, g.osm_node_id(g.edge(e).source), g.osm_node_id(g.edge(e).target), share));
      }
    }
    for (const auto& a : points) {
      for (const auto& b : points) {
        auto c = router.route(a, b, Router::Search::kContractionHierarchy);
        auto d = router.route(a, b, Router::Search::kDijkstra);
        auto s = router.route(a, b, Router::Search::kAStar);
        ASSERT_EQ(c.ok(), d.ok()) << fixture;
        ASSERT_EQ(s.ok(), d.ok()) << fixture;
        if (!c.ok()) continue;
        ASSERT_NEAR(s->weight_s, d->weight_s, 1e-6) << fixture;
        ASSERT_NEAR(c->weight_s, d->weight_s, 1e-6) << fixture;
        EXPECT_NEAR(c->distance_m, d->distance_m, 0.05) << fixture;  // equal-time ties in the grid differ by mm
      }
    }
  }
}

TEST_F(RouterTest, StartAndEndOnOneSegment) {
  const Router router = router_for("oneway.osm");
  const Graph& g = router.graph();
  auto along = router.route(between(g, 2, 1, 0.2), between(g, 2, 1, 0.7));
  ASSERT_TRUE(along.ok());
  EXPECT_TRUE(along->nodes.empty());
  EXPECT_NEAR(along->distance_m, 80.39 * 0.5, 0.2);
  EXPECT_EQ(along->geometry.size(), 2u);
  // Backwards on the one-way: all the way round the square.
  auto back = router.route(between(g, 2, 1, 0.7), between(g, 2, 1, 0.2));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(osm_nodes(g, *back), (std::vector<int64_t>{1, 4, 3, 2}));
}

TEST_F(RouterTest, CoordinateFarFromEveryRoadIsOutsideMap) {
  const Router router = router_for("oneway.osm");
  const Graph& g = router.graph();
  const auto far = *core::LatLon::from_unsafe({44.5, 8.0});
  auto s = router.snap(far);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kOutsideMap);
  auto r = router.route(between(g, 1, 4), far);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kOutsideMap);
  // 300 m beyond the square's corner is within the default 500 m radius; 800 m is not.
  EXPECT_TRUE(router.snap(*core::LatLon::from_unsafe({43.7300 - 0.0027, 7.42})).ok());
  EXPECT_FALSE(router.snap(*core::LatLon::from_unsafe({43.7300 - 0.0072, 7.42})).ok());
}

TEST_F(RouterTest, NoRouteBetweenIslands) {
  const Router router = router_for("two_islands.osm");
  const Graph& g = router.graph();
  auto r = router.route(between(g, 1, 2), between(g, 11, 12));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNoRoute);
  EXPECT_EQ(code_name(r.error().code), "no_route");
  EXPECT_TRUE(router.route(between(g, 1, 2), between(g, 3, 4)).ok());
}

TEST_F(RouterTest, StartOnAOneWayStubSnapsAgainToTheMainNetwork) {
  // no_u_turn.osm: way 41 runs one-way 2 -> 4 into a dead end, a component of its own. From the
  // middle of 2 -> 4 nothing is reachable, so the start snaps again onto the loop 2 3 6.
  const Router router = router_for("no_u_turn.osm");
  const Graph& g = router.graph();
  const auto stub = router.snap(between(g, 2, 4));
  ASSERT_TRUE(stub.ok());
  EXPECT_NE(g.edge(stub->edge).flags & kEdgeInSmallComponent, 0u);
  auto r = router.route(between(g, 2, 4), between(g, 3, 6));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(core::haversine_m(r->geometry.front(), stub->point), 10);
}

TEST_F(RouterTest, EmptyGraphSnapsNothing) {
  GraphData empty;
  empty.first_out = {0};
  const Router router(Graph::from_data(empty));
  auto s = router.snap(*core::LatLon::from_unsafe({43.73, 7.42}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kOutsideMap);
}

}  // namespace
}  // namespace lastmile::map
