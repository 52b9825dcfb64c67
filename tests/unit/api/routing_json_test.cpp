// Parsing and serialising of GET /v1/route and POST /v1/matrix (api/routing_json.hpp): every error
// path names its code and field.
#include "api/routing_json.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>
#include <vector>

namespace lastmile::api {
namespace {

namespace json = boost::json;
using core::ErrorCode;

core::LatLon ll(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }

TEST(ParseLatLon, AcceptsDecimalDegreesWithSpaces) {
  auto p = parse_lat_lon("43.7384, 7.4246", "from");
  ASSERT_TRUE(p.ok());
  EXPECT_DOUBLE_EQ(p->lat(), 43.7384);
  EXPECT_DOUBLE_EQ(p->lon(), 7.4246);
  EXPECT_TRUE(parse_lat_lon("-33.9,+151.2", "to").ok());
}

TEST(ParseLatLon, MalformedOrOutOfRangeIsInvalidFieldOnThatField) {
  for (const char* bad : {"", "43.7", "43.7;7.4", "a,b", "43.7,7.4,1", "nan,7", "inf,7", "43.7,", ",7.4"}) {
    auto p = parse_lat_lon(bad, "from");
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidField) << bad;
    EXPECT_EQ(p.error().field, "from") << bad;
  }
  for (const char* out : {"91,0", "-90.5,0", "0,180.1", "0,-181"}) {
    auto p = parse_lat_lon(out, "to");
    ASSERT_FALSE(p.ok()) << out;
    EXPECT_EQ(p.error().code, ErrorCode::kInvalidField);
    EXPECT_NE(p.error().message.find("out of range"), std::string::npos);
  }
}

TEST(ParseMatrixRequest, DestinationsDefaultToSources) {
  auto r = parse_matrix_request(json::parse(R"({"sources":[[43.7,7.4],[43.8,7.5]]})").as_object());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sources.size(), 2u);
  EXPECT_EQ(r->destinations.size(), 2u);
  EXPECT_EQ(r->destinations[1], ll(43.8, 7.5));
}

TEST(ParseMatrixRequest, EveryErrorHasItsCodeAndField) {
  struct Case {
    const char* body;
    ErrorCode code;
    const char* field;
  };
  const std::vector<Case> cases = {
      {R"({})", ErrorCode::kMissingField, "sources"},
      {R"({"sources":"43.7,7.4"})", ErrorCode::kWrongType, "sources"},
      {R"({"sources":[]})", ErrorCode::kInvalidField, "sources"},
      {R"({"sources":[[43.7]]})", ErrorCode::kWrongType, "sources[0]"},
      {R"({"sources":[[43.7,7.4],[43.7,"7.4"]]})", ErrorCode::kWrongType, "sources[1]"},
      {R"({"sources":[[95,7.4]]})", ErrorCode::kInvalidField, "sources[0]"},
      {R"({"sources":[[43.7,7.4]],"destinations":[]})", ErrorCode::kInvalidField, "destinations"},
      {R"({"sources":[[43.7,7.4]],"destinations":[[1,2,3]]})", ErrorCode::kWrongType, "destinations[0]"},
  };
  for (const Case& c : cases) {
    auto r = parse_matrix_request(json::parse(c.body).as_object());
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().code, c.code) << c.body;
    EXPECT_EQ(r.error().field, c.field) << c.body;
  }
}

TEST(ParseMatrixRequest, MoreThanAHundredPointsIsTooLarge) {
  json::array many;
  for (int i = 0; i < 101; ++i) many.push_back(json::array{43.7, 7.4});
  auto r = parse_matrix_request(json::object{{"sources", many}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(r.error().field, "sources");
  many.pop_back();
  EXPECT_TRUE(parse_matrix_request(json::object{{"sources", many}}).ok());
  auto d = parse_matrix_request(
      json::object{{"sources", json::array{json::array{1, 2}}}, {"destinations", [] {
                                                                   json::array a;
                                                                   for (int i = 0; i < 101; ++i)
                                                                     a.push_back(json::array{1, 2});
                                                                   return a;
                                                                 }()}});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().field, "destinations");
}

TEST(EncodePolyline, MatchesGooglesReferenceExample) {
  // developers.google.com/maps/documentation/utilities/polylinealgorithm
  const std::vector<core::LatLon> points{ll(38.5, -120.2), ll(40.7, -120.95), ll(43.252, -126.453)};
  EXPECT_EQ(encode_polyline(points), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
  EXPECT_EQ(encode_polyline({}), "");
  EXPECT_EQ(encode_polyline(std::vector<core::LatLon>{ll(0, 0)}, 6), "??");
}

TEST(GeoJsonLine, IsLonLat) {
  const std::vector<core::LatLon> points{ll(43.7, 7.4), ll(43.8, 7.5)};
  auto g = geojson_line(points);
  EXPECT_EQ(g.at("type").as_string(), "LineString");
  EXPECT_EQ(g.at("coordinates").as_array()[0].as_array()[0].as_double(), 7.4);
  EXPECT_EQ(g.at("coordinates").as_array()[0].as_array()[1].as_double(), 43.7);
}

TEST(GeometryFormat, KnownNamesAndDefault) {
  EXPECT_EQ(*parse_geometry_format(std::nullopt), GeometryFormat::kGeoJson);
  EXPECT_EQ(*parse_geometry_format("polyline"), GeometryFormat::kPolyline);
  EXPECT_EQ(*parse_geometry_format("none"), GeometryFormat::kNone);
  auto bad = parse_geometry_format("kml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidField);
  EXPECT_EQ(bad.error().field, "geometry");
}

TEST(RoutingError, MapCodesBecomeApiCodes) {
  EXPECT_EQ(routing_error({map::ErrorCode::kOutsideMap, "x"}).code, ErrorCode::kNotRoutable);
  EXPECT_EQ(routing_error({map::ErrorCode::kNoRoute, "x"}).code, ErrorCode::kNoRoute);
  const auto internal = routing_error({map::ErrorCode::kCorrupt, "/secret/path.lmgraph: checksum"});
  EXPECT_EQ(internal.code, ErrorCode::kInternal);
  EXPECT_EQ(internal.message.find("/secret"), std::string::npos);  // file paths never reach clients
}

TEST(RouteJson, RoundsAndNamesTheSource) {
  const map::RouteAnswer a{map::RouteSource::kRoadNetwork, 88.2345,       894.26,
                           {ll(43.7, 7.4), ll(43.8, 7.5)}, ll(43.7, 7.4), ll(43.8, 7.5)};
  auto o = route_json(a, GeometryFormat::kPolyline);
  EXPECT_DOUBLE_EQ(o.at("duration_s").as_double(), 88.2);
  EXPECT_DOUBLE_EQ(o.at("distance_m").as_double(), 894.3);
  EXPECT_EQ(o.at("source").as_string(), "road_network");
  EXPECT_TRUE(o.at("geometry").is_string());
  EXPECT_FALSE(route_json(a, GeometryFormat::kNone).contains("geometry"));
}

TEST(MatrixJson, UnreachableIsNull) {
  map::MatrixAnswer a;
  a.source = map::RouteSource::kRoadNetwork;
  a.matrix.sources = 1;
  a.matrix.destinations = 2;
  a.matrix.duration_s = {12.34, map::Matrix::kUnreachable};
  a.matrix.distance_m = {100.04, map::Matrix::kUnreachable};
  a.matrix.weight_s = a.matrix.duration_s;
  auto o = matrix_json(a);
  EXPECT_DOUBLE_EQ(o.at("durations").as_array()[0].as_array()[0].as_double(), 12.3);
  EXPECT_TRUE(o.at("durations").as_array()[0].as_array()[1].is_null());
  EXPECT_TRUE(o.at("distances").as_array()[0].as_array()[1].is_null());
  EXPECT_EQ(o.at("source").as_string(), "road_network");
}

}  // namespace
}  // namespace lastmile::api
