// The bundled Monaco extract (data/osm/monaco.osm.pbf): import, plausible counts, and 1,000 random
// routes that all answer with A* equal to Dijkstra.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

class MonacoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    Progress quiet("test", Progress::Mode::kQuiet);
    auto r = import_map(test::monaco_pbf(), dir_->file("monaco.lmgraph"), quiet);
    ASSERT_TRUE(r.ok()) << r.error().message;
    report_ = new ImportReport(*r);
    auto g = Graph::open(dir_->file("monaco.lmgraph"));
    ASSERT_TRUE(g.ok());
    router_ = new Router(*g);
  }
  static void TearDownTestSuite() {
    delete router_;
    delete report_;
    delete dir_;
  }
  static test::TempDir* dir_;
  static ImportReport* report_;
  static Router* router_;
};
test::TempDir* MonacoTest::dir_ = nullptr;
ImportReport* MonacoTest::report_ = nullptr;
Router* MonacoTest::router_ = nullptr;

TEST_F(MonacoTest, ImportCountsArePlausible) {
  ASSERT_NE(report_, nullptr);
  const ImportReport& r = *report_;
  std::printf("monaco: %.0f ms; file %llu bytes; read %llu nodes, %llu ways (%llu drivable), %llu relations; "
              "graph %llu nodes, %llu edges, %llu names; restrictions %llu applied, %llu unresolved, "
              "%llu via-way skipped, %llu other skipped; %llu missing node refs\n",
              r.seconds * 1000, static_cast<unsigned long long>(r.file_bytes),
              static_cast<unsigned long long>(r.read.nodes), static_cast<unsigned long long>(r.read.ways),
              static_cast<unsigned long long>(r.read.drivable_ways), static_cast<unsigned long long>(r.read.relations),
              static_cast<unsigned long long>(r.build.nodes), static_cast<unsigned long long>(r.build.edges),
              static_cast<unsigned long long>(r.build.names),
              static_cast<unsigned long long>(r.build.restrictions_applied),
              static_cast<unsigned long long>(r.build.restrictions_unresolved),
              static_cast<unsigned long long>(r.read.restrictions_via_way),
              static_cast<unsigned long long>(r.read.restrictions_skipped),
              static_cast<unsigned long long>(r.build.missing_nodes));
  // The file as described in /work/shared/data/README.md: 180,118 nodes, 27,377 ways, 212
  // relations, 1,763 car-type highways (our profile also drops private and area ways).
  EXPECT_EQ(r.read.nodes, 180118u);
  EXPECT_EQ(r.read.ways, 27377u);
  EXPECT_EQ(r.read.relations, 212u);
  EXPECT_GT(r.read.drivable_ways, 1400u);
  EXPECT_LE(r.read.drivable_ways, 1763u);
  EXPECT_GT(r.build.nodes, 5000u);
  EXPECT_GT(r.build.edges, r.build.nodes);
  EXPECT_GT(r.build.restrictions_applied, 0u);
  EXPECT_GT(r.build.names, 100u);
}

struct PairStats {
  int routed = 0;
  int no_route = 0;
  double astar_ms = 0;
  double max_astar_ms = 0;
  double dijkstra_ms = 0;
};

// 1,000 random pairs of points within about 10 m of graph nodes (of the main network only, or of
// any node), each routed with A* and with Dijkstra; the two must find the same weight.
PairStats route_random_pairs(const Router& router, bool main_network_only) {
  const Graph& g = router.graph();
  std::vector<uint32_t> nodes;
  for (uint32_t n = 0; n < g.node_count(); ++n) {
    bool main = false;
    for (uint32_t e = g.first_out(n); e < g.end_out(n); ++e) main = main || !(g.edge(e).flags & kEdgeInSmallComponent);
    if (main || !main_network_only) nodes.push_back(n);
  }
  std::mt19937 rng(20261130);
  std::uniform_int_distribution<size_t> pick(0, nodes.size() - 1);
  std::uniform_real_distribution<double> jitter(-0.0001, 0.0001);  // about ±10 m
  auto random_point = [&] {
    const core::LatLon c = g.coord(nodes[pick(rng)]);
    return *core::LatLon::from_unsafe({c.lat() + jitter(rng), c.lon() + jitter(rng)});
  };
  PairStats st;
  for (int i = 0; i < 1000; ++i) {
    const core::LatLon from = random_point(), to = random_point();
    const auto t0 = std::chrono::steady_clock::now();
    auto a = router.route(from, to, Router::Search::kAStar);
    const auto t1 = std::chrono::steady_clock::now();
    auto d = router.route(from, to, Router::Search::kDijkstra);
    const auto t2 = std::chrono::steady_clock::now();
    const double ams = std::chrono::duration<double, std::milli>(t1 - t0).count();
    st.astar_ms += ams / 1000;
    st.max_astar_ms = std::max(st.max_astar_ms, ams);
    st.dijkstra_ms += std::chrono::duration<double, std::milli>(t2 - t1).count() / 1000;
    EXPECT_EQ(a.ok(), d.ok()) << i;
    if (!a.ok() || !d.ok()) {
      EXPECT_EQ(a.ok() ? d.error().code : a.error().code, ErrorCode::kNoRoute);
      ++st.no_route;
      continue;
    }
    ++st.routed;
    EXPECT_NEAR(a->weight_s, d->weight_s, 1e-6) << i;
    EXPECT_GE(a->distance_m + 1.0, core::haversine_m(a->geometry.front(), a->geometry.back())) << i;
    EXPECT_GE(a->geometry.size(), 2u);
  }
  std::printf("monaco: 1000 random pairs (%s): %d routed, %d no route; A* mean %.3f ms (max %.3f), "
              "Dijkstra mean %.3f ms\n",
              main_network_only ? "main network" : "any node", st.routed, st.no_route, st.astar_ms,
              st.max_astar_ms, st.dijkstra_ms);
  return st;
}

TEST_F(MonacoTest, ThousandRandomPairsOnTheMainNetworkAllAnswerAndAStarEqualsDijkstra) {
  ASSERT_NE(router_, nullptr);
  const PairStats st = route_random_pairs(*router_, true);
  EXPECT_EQ(st.routed, 1000);
}

TEST_F(MonacoTest, ThousandRandomPairsAnywhereMostAnswer) {
  // 8.6% of the graph's nodes lie outside the main strongly connected component: the A8 and other
  // roads cut by the extract's bounding box (one-way stubs), more than the snapping radius from
  // the main network. A pair with an end there has no route.
  ASSERT_NE(router_, nullptr);
  const PairStats st = route_random_pairs(*router_, false);
  EXPECT_GE(st.routed, 900);
}

// Every turn restriction of Monaco holds: from the middle of the from edge to the middle of a
// forbidden edge, the route never takes the turn directly (which would pass only the via node).
TEST_F(MonacoTest, EveryTurnRestrictionIsObeyed) {
  ASSERT_NE(router_, nullptr);
  const Graph& g = router_->graph();
  auto middle = [&](uint32_t e) {
    const core::LatLon a = g.coord(g.edge(e).source), b = g.coord(g.edge(e).target);
    return *core::LatLon::from_unsafe({(a.lat() + b.lat()) / 2, (a.lon() + b.lon()) / 2});
  };
  int checked = 0;
  for (uint32_t from = 0; from < g.edge_count(); ++from) {
    const auto rs = g.restrictions_from(from);
    if (rs.empty()) continue;
    const uint32_t via = g.edge(from).target;
    for (uint32_t to = g.first_out(via); to < g.end_out(via); ++to) {
      if (to == g.edge(from).twin) continue;
      bool forbidden = false, only = false, listed = false;
      for (const TurnRestriction& r : rs) {
        forbidden = forbidden || (r.kind == RestrictionKind::kNo && r.to_edge == to);
        if (r.kind == RestrictionKind::kOnly) {
          only = true;
          listed = listed || r.to_edge == to;
        }
      }
      if (!forbidden && !(only && !listed)) continue;
      auto route = router_->route(middle(from), middle(to));
      ++checked;
      if (route.ok()) {
        EXPECT_NE(route->nodes, std::vector<uint32_t>{via}) << "edge " << from << " -> " << to;
      }
    }
  }
  std::printf("monaco: %d forbidden turns checked\n", checked);
  EXPECT_GT(checked, 20);
}

TEST_F(MonacoTest, ContractionHierarchyEqualsDijkstraOnThousandRandomPairs) {
  ASSERT_NE(router_, nullptr);
  const Graph& g = router_->graph();
  ASSERT_TRUE(g.has_contraction_hierarchy());
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> pick(0, g.node_count() - 1);
  std::uniform_real_distribution<double> jitter(-0.0001, 0.0001);
  auto random_point = [&] {
    const core::LatLon c = g.coord(pick(rng));
    return *core::LatLon::from_unsafe({c.lat() + jitter(rng), c.lon() + jitter(rng)});
  };
  int routed = 0;
  double ch_ms = 0;
  for (int i = 0; i < 1000; ++i) {
    const core::LatLon from = random_point(), to = random_point();
    const auto t0 = std::chrono::steady_clock::now();
    auto c = router_->route(from, to, Router::Search::kContractionHierarchy);
    ch_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 1000;
    auto d = router_->route(from, to, Router::Search::kDijkstra);
    ASSERT_EQ(c.ok(), d.ok()) << i;
    if (!c.ok()) continue;
    ++routed;
    ASSERT_NEAR(c->weight_s, d->weight_s, 1e-6) << i;
    EXPECT_NEAR(c->distance_m, d->distance_m, 0.05) << i;  // the same path, or an equal-time tie
    // The unpacked path is a real drive: consecutive nodes joined by an edge.
    for (size_t k = 1; k < c->nodes.size(); ++k) {
      bool joined = false;
      for (uint32_t e = g.first_out(c->nodes[k - 1]); e < g.end_out(c->nodes[k - 1]); ++e) {
        joined = joined || g.edge(e).target == c->nodes[k];
      }
      ASSERT_TRUE(joined) << i;
    }
  }
  std::printf("monaco: contraction hierarchy (%llu shortcuts, built in %.0f ms); 1000 random pairs: %d routed, "
              "CH mean %.3f ms\n",
              static_cast<unsigned long long>(report_->shortcuts), report_->ch_seconds * 1000, routed, ch_ms);
  EXPECT_GT(routed, 900);
}

TEST_F(MonacoTest, KnownTripAcrossMonaco) {
  ASSERT_NE(router_, nullptr);
  // Fontvieille (stadium) to Monte-Carlo (casino): a few kilometres, a few minutes.
  auto r = router_->route(*core::LatLon::from_unsafe({43.7277, 7.4157}),
                          *core::LatLon::from_unsafe({43.7393, 7.4282}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::printf("monaco: Fontvieille -> Monte-Carlo: %.0f m, %.0f s, %zu points\n", r->distance_m, r->duration_s,
              r->geometry.size());
  EXPECT_GT(r->distance_m, 1500);
  EXPECT_LT(r->distance_m, 6000);
  EXPECT_GT(r->duration_s, 120);
  EXPECT_LT(r->duration_s, 900);
}

TEST_F(MonacoTest, CoordinateOutsideTheMap) {
  ASSERT_NE(router_, nullptr);
  auto r = router_->route(*core::LatLon::from_unsafe({48.8566, 2.3522}),  // Paris
                          *core::LatLon::from_unsafe({43.7393, 7.4282}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kOutsideMap);
  auto sea = router_->snap(*core::LatLon::from_unsafe({43.70, 7.45}));  // 2 km out at sea
  ASSERT_FALSE(sea.ok());
  EXPECT_EQ(sea.error().code, ErrorCode::kOutsideMap);
}

}  // namespace
}  // namespace lastmile::map
