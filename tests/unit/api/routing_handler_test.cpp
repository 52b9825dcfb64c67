// GET /v1/route, POST /v1/matrix and the OSRM routes, called as handlers: answers from the Monaco
// road network and from great-circle estimates, every error path with its code, and the route
// table's roles for them.
#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <memory>
#include <string>

#include "api/handlers/handlers.hpp"
#include "api/routes_table.hpp"
#include "map/routing_service.hpp"
#include "storage/store.hpp"
#include "unit/map/map_test_support.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;
using core::ErrorCode;

class RoutingHandlerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto g = map::test::monaco_graph();
    ASSERT_TRUE(g.ok()) << g.error().message;
    road_ = new map::RoutingService(std::make_shared<const map::Router>(*g), {});
    great_circle_ = new map::RoutingService(nullptr, {1.5, 36});
  }
  static void TearDownTestSuite() {
    delete road_;
    delete great_circle_;
  }

  RoutingHandlerTest()
      : store_(storage::open_store("sqlite::memory:", {})),
        clock_(core::Timestamp{1'795'000'000'000}),
        services_{*store_, clock_, metrics_, "http://test", nullptr, nullptr, nullptr} {}

  // Calls `handler` with `target` (path and query) and optional path parameter and body.
  core::Result<Reply> call(Handler handler, const map::RoutingService* routing, const std::string& target,
                           std::string param = "", std::string body = "") {
    services_.routing = routing;
    Request req{http::verb::get, target, 11};
    req.body() = body;
    auto url = boost::urls::parse_origin_form(target);
    EXPECT_TRUE(url.has_value()) << target;
    std::vector<std::string> params;
    if (!param.empty()) params.push_back(param);
    RequestContext ctx{req, *url, params, Principal{}, clock_.now()};
    return handler(services_, ctx);
  }

  static json::object body_of(const core::Result<Reply>& r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return json::parse(r->body).as_object();
  }

  static map::RoutingService* road_;
  static map::RoutingService* great_circle_;
  std::unique_ptr<storage::Store> store_;
  core::ManualClock clock_;
  Metrics metrics_;
  Services services_;
};
map::RoutingService* RoutingHandlerTest::road_ = nullptr;
map::RoutingService* RoutingHandlerTest::great_circle_ = nullptr;

constexpr const char* kAToB = "/v1/route?from=43.7384,7.4246&to=43.7396,7.4270";

TEST_F(RoutingHandlerTest, RouteOnTheRoadNetwork) {
  auto o = body_of(call(handlers::get_road_route, road_, kAToB));
  EXPECT_EQ(o.at("source").as_string(), "road_network");
  EXPECT_GT(o.at("distance_m").as_double(), 200);
  EXPECT_LT(o.at("distance_m").as_double(), 2000);
  EXPECT_EQ(o.at("geometry").at("type").as_string(), "LineString");
}

TEST_F(RoutingHandlerTest, RouteFromGreatCircle) {
  auto o = body_of(call(handlers::get_road_route, great_circle_, kAToB));
  EXPECT_EQ(o.at("source").as_string(), "great_circle");
  const double d = core::haversine_m(*core::LatLon::from_unsafe({43.7384, 7.4246}),
                                     *core::LatLon::from_unsafe({43.7396, 7.4270})) *
                   1.5;
  EXPECT_NEAR(o.at("distance_m").as_double(), d, 0.06);
  EXPECT_NEAR(o.at("duration_s").as_double(), d / 10, 0.06);
  EXPECT_EQ(o.at("geometry").at("coordinates").as_array().size(), 2u);
}

TEST_F(RoutingHandlerTest, RouteErrors) {
  struct Case {
    const char* target;
    ErrorCode code;
    const char* field;
  };
  for (const Case& c :
       {Case{"/v1/route?to=43.7396,7.4270", ErrorCode::kMissingField, "from"},
        Case{"/v1/route?from=43.7384,7.4246", ErrorCode::kMissingField, "to"},
        Case{"/v1/route?from=43.7384;7.4246&to=43.7396,7.4270", ErrorCode::kInvalidField, "from"},
        Case{"/v1/route?from=43.7384,7.4246&to=143.7,7.4", ErrorCode::kInvalidField, "to"},
        Case{"/v1/route?from=43.7384,7.4246&to=43.7396,7.4270&geometry=kml", ErrorCode::kInvalidField,
             "geometry"},
        Case{"/v1/route?from=43.70,7.45&to=43.7396,7.4270", ErrorCode::kNotRoutable, ""}}) {
    auto r = call(handlers::get_road_route, road_, c.target);
    ASSERT_FALSE(r.ok()) << c.target;
    EXPECT_EQ(r.error().code, c.code) << c.target;
    EXPECT_EQ(r.error().field, c.field) << c.target;
  }
  auto off = call(handlers::get_road_route, nullptr, kAToB);
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().code, ErrorCode::kUnavailable);
}

TEST_F(RoutingHandlerTest, MatrixOnTheRoadNetworkAndItsErrors) {
  auto o =
      body_of(call(handlers::post_road_matrix, road_, "/v1/matrix", "",
                   R"({"sources":[[43.7384,7.4246],[43.7396,7.4270]],"destinations":[[43.7396,7.4270]]})"));
  EXPECT_EQ(o.at("source").as_string(), "road_network");
  ASSERT_EQ(o.at("durations").as_array().size(), 2u);
  EXPECT_EQ(o.at("durations").as_array()[1].as_array()[0].to_number<double>(), 0);  // B → B
  auto route = body_of(call(handlers::get_road_route, road_, kAToB));
  EXPECT_NEAR(o.at("distances").as_array()[0].as_array()[0].as_double(), route.at("distance_m").as_double(),
              0.11);

  auto sea = call(handlers::post_road_matrix, road_, "/v1/matrix", "",
                  R"({"sources":[[43.7384,7.4246],[43.70,7.45]]})");
  ASSERT_FALSE(sea.ok());
  EXPECT_EQ(sea.error().code, ErrorCode::kNotRoutable);
  EXPECT_NE(sea.error().message.find("source 1"), std::string::npos) << sea.error().message;
  auto bad_json = call(handlers::post_road_matrix, road_, "/v1/matrix", "", "{");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.error().code, ErrorCode::kInvalidJson);
  auto missing = call(handlers::post_road_matrix, road_, "/v1/matrix", "", "{}");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kMissingField);
}

TEST_F(RoutingHandlerTest, OsrmRouteAndTable) {
  const std::string coords = "7.4246,43.7384;7.4270,43.7396";
  auto o =
      body_of(call(handlers::osrm_route, road_, "/route/v1/driving/" + coords + "?overview=full", coords));
  EXPECT_EQ(o.at("code").as_string(), "Ok");
  EXPECT_TRUE(o.at("routes").as_array()[0].at("geometry").is_string());
  EXPECT_EQ(o.at("waypoints").as_array().size(), 2u);
  auto t =
      body_of(call(handlers::osrm_table, road_, "/table/v1/driving/" + coords + "?destinations=1", coords));
  EXPECT_EQ(t.at("durations").as_array().size(), 2u);
  EXPECT_EQ(t.at("durations").as_array()[0].as_array().size(), 1u);
  EXPECT_EQ(t.at("durations").as_array()[1].as_array()[0].to_number<double>(), 0);
}

TEST_F(RoutingHandlerTest, OsrmErrorsAreOsrmBodies) {
  auto code_of = [](const core::Result<Reply>& r) {
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->status, 400);
    return std::string(json::parse(r->body).at("code").as_string());
  };
  const std::string sea = "7.4246,43.7384;7.45,43.70";
  EXPECT_EQ(code_of(call(handlers::osrm_route, road_, "/route/v1/driving/x", sea)), "NoSegment");
  EXPECT_EQ(code_of(call(handlers::osrm_table, road_, "/table/v1/driving/x", sea)), "NoSegment");
  EXPECT_EQ(code_of(call(handlers::osrm_route, road_, "/route/v1/driving/x", "7.4246,43.7384")),
            "InvalidQuery");
  EXPECT_EQ(code_of(call(handlers::osrm_route, road_, "/route/v1/driving/x?geometries=wkt",
                         "7.4246,43.7384;7.4270,43.7396")),
            "InvalidOptions");
  EXPECT_EQ(code_of(call(handlers::osrm_table, road_, "/table/v1/driving/x?sources=5",
                         "7.4246,43.7384;7.4270,43.7396")),
            "InvalidOptions");
  std::string many;
  for (int i = 0; i < 101; ++i) many += (i ? ";" : "") + std::string("7.4246,43.7384");
  EXPECT_EQ(code_of(call(handlers::osrm_table, road_, "/table/v1/driving/x", many)), "TooBig");
  EXPECT_EQ(
      code_of(call(handlers::osrm_route, nullptr, "/route/v1/driving/x", "7.4246,43.7384;7.4270,43.7396")),
      "InvalidService");
}

TEST(RoutingRoutes, RolesAndOsrmPublicFlag) {
  using domain::Role;
  auto find = [](const std::vector<RouteSpec>& table, std::string_view pattern) -> const RouteSpec* {
    for (const auto& r : table) {
      if (r.pattern == pattern) return &r;
    }
    return nullptr;
  };
  const auto table = route_table();
  for (const char* p :
       {"/v1/route", "/v1/matrix", "/route/v1/driving/{coordinates}", "/table/v1/driving/{coordinates}"}) {
    const RouteSpec* r = find(table, p);
    ASSERT_NE(r, nullptr) << p;
    EXPECT_FALSE(r->is_public) << p;
    for (Role role : {Role::kTenantAdmin, Role::kDispatcher, Role::kIntegration, Role::kDriver}) {
      EXPECT_TRUE(r->roles.contains(role)) << p;
    }
    EXPECT_FALSE(r->roles.contains(Role::kCarrier)) << p;
    EXPECT_FALSE(r->roles.contains(Role::kRoot)) << p;
  }
  const auto open = route_table(RouteTableOptions{true});
  EXPECT_TRUE(find(open, "/route/v1/driving/{coordinates}")->is_public);
  EXPECT_TRUE(find(open, "/table/v1/driving/{coordinates}")->is_public);
  EXPECT_FALSE(find(open, "/v1/route")->is_public);
}

}  // namespace
}  // namespace lastmile::api
