// Router::matrix on the bundled Monaco extract: every cell equals the point-to-point route, and the
// time of a 100 × 100 matrix (printed, not asserted).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "map/router.hpp"
#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

class MatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto g = test::monaco_graph();
    ASSERT_TRUE(g.ok()) << g.error().message;
    router_ = new Router(*g);
  }
  static void TearDownTestSuite() {
    delete router_;
  }

  // Points within about 10 m of random graph nodes (any node, so some lie in small components; or
  // nodes of the main network only).
  static std::vector<core::LatLon> random_points(size_t count, unsigned seed,
                                                 bool main_network_only = false) {
    const Graph& g = router_->graph();
    std::vector<uint32_t> nodes;
    for (uint32_t n = 0; n < g.node_count(); ++n) {
      bool main = false;
      for (uint32_t e = g.first_out(n); e < g.end_out(n); ++e)
        main = main || !(g.edge(e).flags & kEdgeInSmallComponent);
      if (main || !main_network_only) nodes.push_back(n);
    }
    std::mt19937 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, nodes.size() - 1);
    std::uniform_real_distribution<double> jitter(-0.0001, 0.0001);
    std::vector<core::LatLon> points;
    while (points.size() < count) {
      const core::LatLon c = g.coord(nodes[pick(rng)]);
      const auto p = *core::LatLon::from_unsafe({c.lat() + jitter(rng), c.lon() + jitter(rng)});
      if (router_->snap(p).ok()) points.push_back(p);
    }
    return points;
  }

  static Router* router_;
};
Router* MatrixTest::router_ = nullptr;

TEST_F(MatrixTest, EveryCellEqualsThePointToPointRoute) {
  ASSERT_NE(router_, nullptr);
  const auto sources = random_points(30, 11);
  auto destinations = random_points(29, 12);
  destinations.push_back(sources[3]);  // a pair on one segment, start = end
  auto m = router_->matrix(sources, destinations);
  ASSERT_TRUE(m.ok()) << m.error().message;
  ASSERT_EQ(m->sources, 30u);
  ASSERT_EQ(m->destinations, 30u);
  int routed = 0;
  for (size_t i = 0; i < sources.size(); ++i) {
    for (size_t j = 0; j < destinations.size(); ++j) {
      auto r = router_->route(sources[i], destinations[j]);
      ASSERT_EQ(r.ok(), m->reachable(i, j)) << i << "," << j;
      if (!r.ok()) continue;
      ++routed;
      const size_t k = m->index(i, j);
      EXPECT_NEAR(m->weight_s[k], r->weight_s, 1e-6) << i << "," << j;
      EXPECT_NEAR(m->duration_s[k], r->duration_s, 1e-6) << i << "," << j;
      EXPECT_NEAR(m->distance_m[k], r->distance_m, 1e-3) << i << "," << j;
    }
  }
  EXPECT_NEAR(m->duration_s[m->index(3, 29)], 0, 1e-9);
  EXPECT_GT(routed, 800);
}

TEST_F(MatrixTest, EveryCellWeighsWhatDijkstraFinds) {
  ASSERT_NE(router_, nullptr);
  const auto sources = random_points(5, 21);
  const auto destinations = random_points(4, 22);
  auto ch = router_->matrix(sources, destinations);
  ASSERT_TRUE(ch.ok());
  for (size_t i = 0; i < sources.size(); ++i) {
    for (size_t j = 0; j < destinations.size(); ++j) {
      auto r = router_->route(sources[i], destinations[j], Router::Search::kDijkstra);
      ASSERT_EQ(r.ok(), ch->reachable(i, j));
      if (r.ok()) {
        EXPECT_NEAR(ch->weight_s[ch->index(i, j)], r->weight_s, 1e-6);
      }
    }
  }
}

TEST_F(MatrixTest, APointOutsideTheMapIsNamed) {
  ASSERT_NE(router_, nullptr);
  const auto inside = random_points(2, 31);
  const std::vector<core::LatLon> with_sea{inside[0], *core::LatLon::from_unsafe({43.70, 7.45})};
  auto m = router_->matrix(inside, with_sea);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kOutsideMap);
  EXPECT_NE(m.error().message.find("destination 1"), std::string::npos) << m.error().message;
  auto s = router_->matrix(with_sea, inside);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("source 1"), std::string::npos) << s.error().message;
}

TEST_F(MatrixTest, EmptyListsGiveAnEmptyMatrix) {
  ASSERT_NE(router_, nullptr);
  auto m = router_->matrix({}, random_points(3, 41));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->sources, 0u);
  EXPECT_EQ(m->destinations, 3u);
  EXPECT_TRUE(m->duration_s.empty());
}

void time_hundred_by_hundred(const Router& router, const std::vector<core::LatLon>& sources,
                             const std::vector<core::LatLon>& destinations, const char* what) {
  double best_ms = 1e18;
  size_t unreachable = 0;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    auto m = router.matrix(sources, destinations);
    best_ms = std::min(
        best_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    ASSERT_TRUE(m.ok());
    unreachable =
        static_cast<size_t>(std::count(m->duration_s.begin(), m->duration_s.end(), Matrix::kUnreachable));
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < 100; ++i) (void)router.route(sources[i], destinations[i]);
  const double single_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 100;
  std::printf(
      "monaco: 100x100 matrix (%s) %.1f ms (best of 3), %zu cells unreachable; single CH route mean "
      "%.3f ms (x10000 = %.0f ms)\n",
      what, best_ms, unreachable, single_ms, single_ms * 10000);
}

TEST_F(MatrixTest, HundredByHundredTime) {
  ASSERT_NE(router_, nullptr);
  time_hundred_by_hundred(*router_, random_points(100, 51, true), random_points(100, 52, true),
                          "main network");
  time_hundred_by_hundred(*router_, random_points(100, 51), random_points(100, 52), "any node");
}

}  // namespace
}  // namespace lastmile::map
