// RoutingService with an external router (serve --router osrm://HOST:PORT): the URL parser, and that
// route() and matrix() ask the external router, tag the answers external_osrm and pass its errors on.
// The HTTP client itself (osrm_client.cpp) is tested against a real server in
// tests/integration/test_external_router.py.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

#include "map/routing_service.hpp"

namespace lastmile::map {
namespace {

core::LatLon ll(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }

TEST(ParseOsrmUrl, AcceptsHostAndPort) {
  auto e = parse_osrm_url("osrm://127.0.0.1:5000");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 5000);
  e = parse_osrm_url("osrm://router.internal-net.example:65535/");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->host, "router.internal-net.example");
  EXPECT_EQ(e->port, 65535);
}

TEST(ParseOsrmUrl, RefusesEverythingElse) {
  for (const char* bad :
       {"", "osrm://", "http://127.0.0.1:5000", "osrm://127.0.0.1", "osrm://:5000", "osrm://127.0.0.1:0",
        "osrm://127.0.0.1:65536", "osrm://127.0.0.1:50x0", "osrm://user@host:5000", "osrm://host:5000/route",
        "OSRM://host:5000", "osrm://host:-1"}) {
    EXPECT_FALSE(parse_osrm_url(bad).has_value()) << bad;
  }
}

class FakeOsrm : public ExternalRouter {
 public:
  Result<RouteAnswer> route(core::LatLon from, core::LatLon to) const override {
    ++calls;
    if (fail) return *fail;
    return RouteAnswer{RouteSource::kExternalOsrm, 42, 420, {from, to}, from, to};
  }
  Result<Matrix> matrix(std::span<const core::LatLon> sources,
                        std::span<const core::LatLon> destinations) const override {
    ++calls;
    if (fail) return *fail;
    Matrix m;
    m.sources = sources.size();
    m.destinations = destinations.size();
    m.duration_s.assign(m.sources * m.destinations, 7);
    m.distance_m.assign(m.sources * m.destinations, 70);
    m.weight_s = m.duration_s;
    return m;
  }
  mutable int calls = 0;
  std::optional<Error> fail;
};

TEST(RoutingServiceExternal, AsksTheExternalRouterAndSaysSo) {
  auto fake = std::make_shared<FakeOsrm>();
  const RoutingService s = RoutingService::with_external(fake, {});
  EXPECT_FALSE(s.has_road_network());
  EXPECT_EQ(s.router(), nullptr);
  auto r = s.route(ll(43.73, 7.42), ll(43.74, 7.43));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->source, RouteSource::kExternalOsrm);
  EXPECT_EQ(source_name(r->source), "external_osrm");
  EXPECT_EQ(r->duration_s, 42);
  const std::vector<core::LatLon> points = {ll(43.73, 7.42), ll(43.74, 7.43)};
  auto m = s.matrix(points, points);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->source, RouteSource::kExternalOsrm);
  EXPECT_EQ(m->matrix.duration_s.size(), 4u);
  EXPECT_EQ(fake->calls, 2);
  // The great-circle estimate is still there for whoever wants one.
  EXPECT_EQ(s.great_circle(points[0], points[1]).source, RouteSource::kGreatCircle);
}

TEST(RoutingServiceExternal, PassesTheExternalErrorsOn) {
  auto fake = std::make_shared<FakeOsrm>();
  const RoutingService s = RoutingService::with_external(fake, {});
  for (ErrorCode code : {ErrorCode::kOutsideMap, ErrorCode::kNoRoute, ErrorCode::kIoError}) {
    fake->fail = Error{code, "external router: test"};
    auto r = s.route(ll(43.73, 7.42), ll(43.74, 7.43));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code);
    const std::vector<core::LatLon> points = {ll(43.73, 7.42)};
    auto m = s.matrix(points, points);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, code);
  }
}

}  // namespace
}  // namespace lastmile::map
