// Where a new shipment is: the map's match, the order's coordinates, or nothing — by confidence.
#include "api/address_geocoding.hpp"

#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

map::AddressBook book() {
  map::AddressData d;
  d.points = {{"10", "Avenue Princesse Grace", "98000", "Monaco", {437450000, 74350000}}};
  d.streets = {{"Boulevard du Larvotto", {437480000, 74380000}}};
  return map::AddressBook(std::move(d));
}

domain::Address address(std::string line1, std::optional<core::LatLon> at = std::nullopt) {
  domain::Address a;
  a.line1 = std::move(line1);
  a.city = "Monaco";
  a.postal_code = "98000";
  a.location = at;
  return a;
}

const core::LatLon kGiven = *core::LatLon::from_unsafe({43.70, 7.40});

TEST(AddressGeocodingTest, AHouseNumberMatchIsUsedEvenOverGivenCoordinates) {
  const auto b = book();
  auto where = locate_address(&b, address("10 avenue Princesse Grace", kGiven));
  EXPECT_EQ(where.source, "geocoded");
  ASSERT_TRUE(where.location);
  EXPECT_NEAR(where.location->lat(), 43.745, 1e-9);
  EXPECT_EQ(where.match->level, map::MatchLevel::kHouseNumber);
}

TEST(AddressGeocodingTest, ALessCertainMatchFallsBackToGivenCoordinates) {
  const auto b = book();
  auto where = locate_address(&b, address("14 avenue Princesse Grace", kGiven));  // nearest number: 0.73
  EXPECT_EQ(where.source, "provided");
  EXPECT_EQ(where.location, kGiven);
  ASSERT_TRUE(where.match);
  EXPECT_EQ(where.match->level, map::MatchLevel::kNearbyHouseNumber);
}

TEST(AddressGeocodingTest, WithoutCoordinatesAnAcceptableMatchIsUsed) {
  const auto b = book();
  auto where = locate_address(&b, address("14 avenue Princesse Grace"));
  EXPECT_EQ(where.source, "geocoded");
  ASSERT_TRUE(where.location);
  // The street alone (0.58) is below the acceptance threshold: no location.
  where = locate_address(&b, address("Boulevard du Larvotto"));
  EXPECT_EQ(where.source, "none");
  EXPECT_FALSE(where.location);
  EXPECT_EQ(where.match->level, map::MatchLevel::kStreet);
}

TEST(AddressGeocodingTest, WithoutAMapTheGivenCoordinatesStand) {
  auto where = locate_address(nullptr, address("10 avenue Princesse Grace", kGiven));
  EXPECT_EQ(where.source, "provided");
  EXPECT_FALSE(where.match);
  where = locate_address(nullptr, address("10 avenue Princesse Grace"));
  EXPECT_EQ(where.source, "none");
  const map::AddressBook empty;
  EXPECT_EQ(locate_address(&empty, address("x", kGiven)).source, "provided");
}

TEST(AddressGeocodingTest, ThePayloadNamesTheSourceAndTheMatch) {
  const auto b = book();
  EXPECT_EQ(location_payload_json(locate_address(&b, address("10 avenue Princesse Grace"))),
            R"({"location":{"source":"geocoded","geocode":{"level":"house_number","confidence":1E0,)"
            R"("label":"10 Avenue Princesse Grace, 98000 Monaco"}}})");
  EXPECT_EQ(location_payload_json(locate_address(nullptr, address("x"))),
            R"({"location":{"source":"none","geocode":null}})");
}

}  // namespace
}  // namespace lastmile::api
