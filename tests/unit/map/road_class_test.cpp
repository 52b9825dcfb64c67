// Road classes: the highway → class table, the class stored on every edge of an imported graph, and
// Route::class_duration_s (seconds per class) from every search, summing to the route's duration.
#include "map/road_class.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "map/road_tags.hpp"
#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

double sum(const ClassDurations& d) { return std::accumulate(d.begin(), d.end(), 0.0); }

size_t index(RoadClass c) { return static_cast<size_t>(c); }

TEST(RoadClassOf, EveryDrivableHighwayValueHasItsClass) {
  const std::vector<std::pair<std::string, RoadClass>> cases = {
      {"motorway", RoadClass::kMotorway},
      {"motorway_link", RoadClass::kMotorway},
      {"trunk", RoadClass::kTrunk},
      {"trunk_link", RoadClass::kTrunk},
      {"primary", RoadClass::kPrimary},
      {"primary_link", RoadClass::kPrimary},
      {"secondary", RoadClass::kSecondary},
      {"secondary_link", RoadClass::kSecondary},
      {"tertiary", RoadClass::kTertiary},
      {"tertiary_link", RoadClass::kTertiary},
      {"unclassified", RoadClass::kTertiary},
      {"residential", RoadClass::kResidential},
      {"living_street", RoadClass::kResidential},
      {"service", RoadClass::kService},
  };
  for (const auto& [highway, expected] : cases) {
    EXPECT_EQ(road_class_of(highway), expected) << highway;
    // The car profile drives exactly these values and carries their class.
    ASSERT_TRUE(default_speed_kmh(highway).has_value()) << highway;
    WayTags tags;
    tags.highway = highway;
    const auto profile = car_profile(tags);
    ASSERT_TRUE(profile.has_value()) << highway;
    EXPECT_EQ(profile->road_class, expected) << highway;
  }
}

TEST(RoadClassOf, AnythingElseIsUnknown) {
  for (const char* highway :
       {"", "footway", "road", "track", "path", "Motorway", "motorway ", "construction"}) {
    EXPECT_EQ(road_class_of(highway), RoadClass::kUnknown) << highway;
    EXPECT_FALSE(default_speed_kmh(highway).has_value()) << highway;  // never on an edge
  }
}

TEST(RoadClassName, NamesAreStable) {
  EXPECT_EQ(road_class_name(RoadClass::kMotorway), "motorway");
  EXPECT_EQ(road_class_name(RoadClass::kTertiary), "tertiary");
  EXPECT_EQ(road_class_name(RoadClass::kResidential), "residential");
  EXPECT_EQ(road_class_name(RoadClass::kService), "service");
  EXPECT_EQ(road_class_name(RoadClass::kUnknown), "unknown");
}

TEST(EdgeRoadClass, SitsInFlagBitsEightToFifteenBesideTheSmallComponentBit) {
  Edge e;
  e.flags = road_class_flags(RoadClass::kService) | kEdgeInSmallComponent;
  EXPECT_EQ(e.flags, 0x601u);
  EXPECT_EQ(edge_road_class(e), RoadClass::kService);
  EXPECT_NE(e.flags & kEdgeInSmallComponent, 0u);
  e.flags = 0;
  EXPECT_EQ(edge_road_class(e), RoadClass::kMotorway);
}

// tests/data/osm/road_classes.osm: nodes 1..11 west to east, way 100+i joins node i to i+1.
class RoadClassFixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = std::make_unique<Graph>(test::import_fixture(dir_, "road_classes.osm"));
    router_ = std::make_unique<Router>(*graph_);
  }
  // The class and duration (s) of the edge from OSM node a to OSM node b.
  const Edge& edge_between(int64_t a, int64_t b) const {
    for (uint32_t e = 0; e < graph_->edge_count(); ++e) {
      const Edge& edge = graph_->edge(e);
      if (graph_->osm_node_id(edge.source) == a && graph_->osm_node_id(edge.target) == b) return edge;
    }
    ADD_FAILURE() << "no edge " << a << " -> " << b;
    return graph_->edge(0);
  }
  test::TempDir dir_;
  std::unique_ptr<Graph> graph_;
  std::unique_ptr<Router> router_;
};

const RoadClass kFixtureClasses[] = {RoadClass::kMotorway,    RoadClass::kTrunk,       RoadClass::kPrimary,
                                     RoadClass::kSecondary,   RoadClass::kTertiary,    RoadClass::kTertiary,
                                     RoadClass::kResidential, RoadClass::kResidential, RoadClass::kService};

TEST_F(RoadClassFixtureTest, EveryEdgeCarriesItsWaysClassInBothDirections) {
  EXPECT_EQ(graph_->edge_count(), 18u);  // nine two-way segments; the footway is not drivable
  for (int64_t i = 1; i <= 9; ++i) {
    EXPECT_EQ(edge_road_class(edge_between(i, i + 1)), kFixtureClasses[i - 1]) << "way " << 100 + i;
    EXPECT_EQ(edge_road_class(edge_between(i + 1, i)), kFixtureClasses[i - 1]) << "way " << 100 + i;
    EXPECT_EQ(edge_between(i, i + 1).flags & kEdgeInSmallComponent, 0u);
  }
}

TEST_F(RoadClassFixtureTest, EverySearchSplitsTheDurationByClass) {
  // From the middle of the motorway segment to the middle of the service segment, and back.
  const core::LatLon west = test::between(*graph_, 1, 2), east = test::between(*graph_, 9, 10);
  for (auto search : {Router::Search::kAuto, Router::Search::kAStar, Router::Search::kDijkstra}) {
    for (bool eastward : {true, false}) {
      auto r = eastward ? router_->route(west, east, search) : router_->route(east, west, search);
      ASSERT_TRUE(r.ok()) << r.error().message;
      ClassDurations expected{};
      for (int64_t i = 1; i <= 9; ++i) {
        const Edge& e = eastward ? edge_between(i, i + 1) : edge_between(i + 1, i);
        const double share = (i == 1 || i == 9) ? 0.5 : 1.0;
        expected[index(kFixtureClasses[i - 1])] += share * e.duration_ms / 1000.0;
      }
      for (size_t c = 0; c < kRoadClassCount; ++c) {
        EXPECT_NEAR(r->class_duration_s[c], expected[c], 1e-3) << road_class_name(static_cast<RoadClass>(c));
      }
      EXPECT_GT(r->class_duration_s[index(RoadClass::kMotorway)], 0);
      EXPECT_GT(r->class_duration_s[index(RoadClass::kService)], 0);
      EXPECT_EQ(r->class_duration_s[index(RoadClass::kUnknown)], 0);
      EXPECT_NEAR(sum(r->class_duration_s), r->duration_s, 1e-9);
    }
  }
}

TEST_F(RoadClassFixtureTest, RouteOnOneSegmentCountsThePartDriven) {
  const core::LatLon a = test::between(*graph_, 5, 6, 0.2), b = test::between(*graph_, 5, 6, 0.7);
  for (auto search : {Router::Search::kAuto, Router::Search::kAStar, Router::Search::kDijkstra}) {
    auto r = router_->route(a, b, search);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->nodes.empty());
    EXPECT_NEAR(r->class_duration_s[index(RoadClass::kTertiary)],
                0.5 * edge_between(5, 6).duration_ms / 1000.0, 1e-3);
    EXPECT_NEAR(sum(r->class_duration_s), r->duration_s, 1e-12);
    EXPECT_EQ(r->class_duration_s[index(RoadClass::kTertiary)], r->duration_s);
  }
}

TEST(RoadClassMonacoTest, ClassDurationsSumToTheDurationOnRandomRoutes) {
  test::TempDir dir;
  Progress quiet("test", Progress::Mode::kQuiet);
  const std::string path = dir.file("monaco.lmgraph");
  auto report = import_map(test::monaco_pbf(), path, quiet);
  ASSERT_TRUE(report.ok()) << report.error().message;
  auto g = Graph::open(path);
  ASSERT_TRUE(g.ok()) << g.error().message;
  std::vector<size_t> edges_per_class(kRoadClassCount, 0);
  for (uint32_t e = 0; e < g->edge_count(); ++e) ++edges_per_class[index(edge_road_class(g->edge(e)))];
  EXPECT_EQ(edges_per_class[index(RoadClass::kUnknown)], 0u);  // every drivable value has a class
  EXPECT_GT(edges_per_class[index(RoadClass::kPrimary)], 0u);
  EXPECT_GT(edges_per_class[index(RoadClass::kResidential)], 0u);
  EXPECT_GT(edges_per_class[index(RoadClass::kService)], 0u);

  const Router router(*g);
  std::mt19937 rng(20261130);
  std::uniform_int_distribution<uint32_t> pick(0, g->node_count() - 1);
  int routed = 0;
  ClassDurations total{};
  for (int i = 0; i < 300; ++i) {
    const core::LatLon from = g->coord(pick(rng)), to = g->coord(pick(rng));
    for (auto search : {Router::Search::kAuto, Router::Search::kAStar, Router::Search::kDijkstra}) {
      auto r = router.route(from, to, search);
      if (!r.ok()) continue;
      ++routed;
      EXPECT_NEAR(sum(r->class_duration_s), r->duration_s, 1e-6 * std::max(1.0, r->duration_s)) << i;
      for (double s : r->class_duration_s) EXPECT_GE(s, 0);
      for (size_t c = 0; c < kRoadClassCount; ++c) total[c] += r->class_duration_s[c];
    }
  }
  EXPECT_GT(routed, 800);
  EXPECT_EQ(total[index(RoadClass::kUnknown)], 0);
  EXPECT_GT(total[index(RoadClass::kPrimary)], 0);
  EXPECT_GT(total[index(RoadClass::kResidential)], 0);
}

}  // namespace
}  // namespace lastmile::map
