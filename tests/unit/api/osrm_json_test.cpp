// The OSRM-compatible subset's parsing and JSON shapes (api/osrm_json.hpp).
#include "api/osrm_json.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <vector>

namespace lastmile::api {
namespace {

namespace json = boost::json;

core::LatLon ll(double lat, double lon) { return *core::LatLon::from_unsafe({lat, lon}); }

template <typename T>
std::string error_code(const std::variant<T, OsrmError>& v) {
  const auto* e = std::get_if<OsrmError>(&v);
  return e ? e->code : "";
}

TEST(OsrmCoordinates, AreLonLatPairs) {
  auto v = parse_osrm_coordinates("7.4246,43.7384;7.4270,43.7396.json");
  ASSERT_TRUE(std::holds_alternative<std::vector<core::LatLon>>(v));
  const auto& p = std::get<std::vector<core::LatLon>>(v);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_DOUBLE_EQ(p[0].lat(), 43.7384);
  EXPECT_DOUBLE_EQ(p[0].lon(), 7.4246);
}

TEST(OsrmCoordinates, ErrorsAreOsrmCodes) {
  EXPECT_EQ(error_code(parse_osrm_coordinates("")), "InvalidQuery");
  EXPECT_EQ(error_code(parse_osrm_coordinates("7.4,43.7;")), "InvalidQuery");
  EXPECT_EQ(error_code(parse_osrm_coordinates("7.4;43.7")), "InvalidQuery");
  EXPECT_EQ(error_code(parse_osrm_coordinates("7.4,43.7,1")), "InvalidQuery");
  EXPECT_EQ(error_code(parse_osrm_coordinates("x,43.7")), "InvalidQuery");
  EXPECT_EQ(error_code(parse_osrm_coordinates("7.4,95")), "InvalidValue");  // lat out of range
}

TEST(OsrmIndices, AllListOrError) {
  EXPECT_EQ(std::get<std::vector<size_t>>(parse_osrm_indices(std::nullopt, 3, "sources")).size(), 3u);
  EXPECT_EQ(std::get<std::vector<size_t>>(parse_osrm_indices("all", 2, "sources")).size(), 2u);
  EXPECT_EQ(std::get<std::vector<size_t>>(parse_osrm_indices("2;0", 3, "sources")),
            (std::vector<size_t>{2, 0}));
  EXPECT_EQ(error_code(parse_osrm_indices("3", 3, "sources")), "InvalidOptions");
  EXPECT_EQ(error_code(parse_osrm_indices("0;", 3, "sources")), "InvalidOptions");
  EXPECT_EQ(error_code(parse_osrm_indices("-1", 3, "destinations")), "InvalidOptions");
}

TEST(OsrmGeometryOptions, OverviewAndGeometries) {
  EXPECT_EQ(std::get<OsrmGeometry>(parse_osrm_geometry(std::nullopt, std::nullopt)), OsrmGeometry::kPolyline);
  EXPECT_EQ(std::get<OsrmGeometry>(parse_osrm_geometry("false", "geojson")), OsrmGeometry::kNone);
  EXPECT_EQ(std::get<OsrmGeometry>(parse_osrm_geometry("full", "geojson")), OsrmGeometry::kGeoJson);
  EXPECT_EQ(std::get<OsrmGeometry>(parse_osrm_geometry("simplified", "polyline6")), OsrmGeometry::kPolyline6);
  EXPECT_EQ(error_code(parse_osrm_geometry("some", std::nullopt)), "InvalidOptions");
  EXPECT_EQ(error_code(parse_osrm_geometry(std::nullopt, "wkt")), "InvalidOptions");
}

TEST(OsrmAnnotationsOption, DurationDistanceOrBoth) {
  auto a = std::get<OsrmAnnotations>(parse_osrm_annotations(std::nullopt));
  EXPECT_TRUE(a.duration);
  EXPECT_FALSE(a.distance);
  a = std::get<OsrmAnnotations>(parse_osrm_annotations("distance"));
  EXPECT_FALSE(a.duration);
  EXPECT_TRUE(a.distance);
  a = std::get<OsrmAnnotations>(parse_osrm_annotations("duration,distance"));
  EXPECT_TRUE(a.duration && a.distance);
  EXPECT_EQ(error_code(parse_osrm_annotations("speed")), "InvalidOptions");
}

TEST(OsrmErrors, MapCodesAndBodyShape) {
  EXPECT_EQ(osrm_error({map::ErrorCode::kOutsideMap, ""}).code, "NoSegment");
  EXPECT_EQ(osrm_error({map::ErrorCode::kNoRoute, ""}).code, "NoRoute");
  EXPECT_EQ(osrm_error({map::ErrorCode::kIoError, "/path"}).code, "InternalError");
  const Reply r = osrm_error_reply({"NoRoute", "Impossible route between points"});
  EXPECT_EQ(r.status, 400);
  auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("code").as_string(), "NoRoute");
  EXPECT_EQ(body.at("message").as_string(), "Impossible route between points");
}

TEST(OsrmRouteJson, HasOsrmsShape) {
  const std::vector<map::RouteAnswer> legs{{map::RouteSource::kRoadNetwork,
                                            10,
                                            100,
                                            {ll(43.70, 7.40), ll(43.71, 7.41)},
                                            ll(43.70, 7.40),
                                            ll(43.71, 7.41)},
                                           {map::RouteSource::kRoadNetwork,
                                            5,
                                            50,
                                            {ll(43.71, 7.41), ll(43.72, 7.42)},
                                            ll(43.71, 7.41),
                                            ll(43.72, 7.42)}};
  const std::vector<OsrmWaypoint> waypoints{
      {ll(43.70, 7.40), 1.26, "Avenue de la Costa"}, {ll(43.71, 7.41), 0, ""}, {ll(43.72, 7.42), 2, ""}};
  auto o = osrm_route_json(legs, waypoints, OsrmGeometry::kGeoJson);
  EXPECT_EQ(o.at("code").as_string(), "Ok");
  const auto& route = o.at("routes").as_array()[0].as_object();
  EXPECT_DOUBLE_EQ(route.at("duration").as_double(), 15);
  EXPECT_DOUBLE_EQ(route.at("distance").as_double(), 150);
  EXPECT_EQ(route.at("legs").as_array().size(), 2u);
  EXPECT_EQ(route.at("geometry").at("coordinates").as_array().size(), 3u);  // the joint once
  const auto& w = o.at("waypoints").as_array()[0].as_object();
  EXPECT_EQ(w.at("name").as_string(), "Avenue de la Costa");
  EXPECT_DOUBLE_EQ(w.at("location").as_array()[0].as_double(), 7.40);  // [lon, lat]
  EXPECT_DOUBLE_EQ(w.at("distance").as_double(), 1.3);
  EXPECT_EQ(o.at("source").as_string(), "road_network");
  EXPECT_FALSE(osrm_route_json(legs, waypoints, OsrmGeometry::kNone)
                   .at("routes")
                   .as_array()[0]
                   .as_object()
                   .contains("geometry"));
  EXPECT_TRUE(osrm_route_json(legs, waypoints, OsrmGeometry::kPolyline)
                  .at("routes")
                  .as_array()[0]
                  .at("geometry")
                  .is_string());
}

TEST(OsrmTableJson, AnnotationsAndNulls) {
  map::MatrixAnswer a;
  a.source = map::RouteSource::kGreatCircle;
  a.matrix.sources = 1;
  a.matrix.destinations = 2;
  a.matrix.duration_s = {0, map::Matrix::kUnreachable};
  a.matrix.distance_m = {0, map::Matrix::kUnreachable};
  a.matrix.weight_s = a.matrix.duration_s;
  const std::vector<OsrmWaypoint> s{{ll(43.7, 7.4), 0, ""}};
  const std::vector<OsrmWaypoint> d{{ll(43.7, 7.4), 0, ""}, {ll(43.8, 7.5), 0, ""}};
  auto o = osrm_table_json(a, s, d, OsrmAnnotations{true, false});
  EXPECT_EQ(o.at("code").as_string(), "Ok");
  EXPECT_TRUE(o.at("durations").as_array()[0].as_array()[1].is_null());
  EXPECT_FALSE(o.contains("distances"));
  EXPECT_EQ(o.at("sources").as_array().size(), 1u);
  EXPECT_EQ(o.at("destinations").as_array().size(), 2u);
  auto both = osrm_table_json(a, s, d, OsrmAnnotations{true, true});
  EXPECT_TRUE(both.contains("distances"));
}

}  // namespace
}  // namespace lastmile::api
