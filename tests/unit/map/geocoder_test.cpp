// The geocoder on a small hand-made book, then on the addresses of the bundled Monaco extract.
#include "map/geocoder.hpp"

#include <gtest/gtest.h>

#include "map/address_file.hpp"
#include "map/import_map.hpp"
#include "map_test_support.hpp"

namespace lastmile::map {
namespace {

NodeCoord c(double lat, double lon) { return NodeCoord{static_cast<int32_t>(lat * 1e7), static_cast<int32_t>(lon * 1e7)}; }

AddressBook small_book() {
  AddressData d;
  d.points = {
      {"10", "Avenue Princesse Grace", "98000", "Monaco", c(43.7450, 7.4350)},
      {"12", "Avenue Princesse Grace", "98000", "Monaco", c(43.7452, 7.4352)},
      {"12bis", "Avenue Princesse Grace", "98000", "Monaco", c(43.7453, 7.4353)},
      {"3;5", "Rue Grimaldi", "98000", "Monaco", c(43.7340, 7.4200)},
      {"7", "Rue Grimaldi", "06240", "Beausoleil", c(43.7400, 7.4230)},
  };
  d.streets = {{"Boulevard du Larvotto", c(43.7480, 7.4380)}, {"Avenue Princesse Grace", c(43.7460, 7.4360)}};
  return AddressBook(std::move(d));
}

TEST(GeocoderTest, AnExactHouseNumberIsFoundWithFullConfidence) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"12 avenue Princesse-Grace", "", "Monaco", "98000"});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kHouseNumber);
  EXPECT_DOUBLE_EQ(m[0].confidence, 1.0);
  EXPECT_NEAR(m[0].lat, 43.7452, 1e-6);
  EXPECT_EQ(m[0].label, "12 Avenue Princesse Grace, 98000 Monaco");
}

TEST(GeocoderTest, AbbreviationsSuffixesAndOneLineAddressesWork) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"12 bis av. Princesse Grace, 98000 Monaco", "", "", ""});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kHouseNumber);
  EXPECT_EQ(m[0].label, "12bis Avenue Princesse Grace, 98000 Monaco");
  // Every number of "3;5" is indexed.
  m = geocode(book, {"5 rue Grimaldi", "", "", "98000"});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kHouseNumber);
  EXPECT_NEAR(m[0].lat, 43.7340, 1e-6);
}

TEST(GeocoderTest, ThePostcodePicksBetweenStreetsOfTheSameName) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"7 rue Grimaldi", "", "", "98000"});
  ASSERT_GE(m.size(), 2u);
  // The 7 is in Beausoleil (06240): a house-number match with a postcode penalty still wins over
  // the nearest number in 98000, but with less confidence.
  EXPECT_EQ(m[0].level, MatchLevel::kHouseNumber);
  EXPECT_DOUBLE_EQ(m[0].confidence, 0.85);
  EXPECT_EQ(m[1].level, MatchLevel::kNearbyHouseNumber);
}

TEST(GeocoderTest, AMissingNumberFallsBackToTheNearestThenToTheStreet) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"14 avenue Princesse Grace", "", "", "98000"});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kNearbyHouseNumber);
  EXPECT_DOUBLE_EQ(m[0].confidence, 0.73);  // 0.75 - 2 numbers away
  EXPECT_NEAR(m[0].lat, 43.7452, 1e-6);
  m = geocode(book, {"Boulevard du Larvotto", "", "", ""});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kStreet);
  EXPECT_DOUBLE_EQ(m[0].confidence, 0.58);  // 0.6 × 0.97 (no postcode to compare)
  EXPECT_NEAR(m[0].lat, 43.7480, 1e-6);
}

TEST(GeocoderTest, ATypoStillMatchesWithLessConfidence) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"12 avenue Princese Grace", "", "", "98000"});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].label, "12 Avenue Princesse Grace, 98000 Monaco");
  EXPECT_LT(m[0].confidence, 1.0);
  EXPECT_GE(m[0].confidence, kGeocodeAcceptConfidence);
}

TEST(GeocoderTest, TheSecondLineIsTriedWhenTheFirstIsABuildingName) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"Résidence Les Pins", "10 avenue Princesse Grace", "", ""});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].label, "10 Avenue Princesse Grace, 98000 Monaco");
}

TEST(GeocoderTest, OnlyAPostcodeGivesItsCentreWithLowConfidence) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"Nowhere Lane", "", "", "98000"});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].level, MatchLevel::kPostcode);
  EXPECT_DOUBLE_EQ(m[0].confidence, 0.3);
  EXPECT_LT(m[0].confidence, kGeocodeAcceptConfidence);
}

TEST(GeocoderTest, NothingSimilarGivesNoMatch) {
  const AddressBook book = small_book();
  EXPECT_TRUE(geocode(book, {"1 Nowhere Lane", "", "", "75001"}).empty());
  EXPECT_TRUE(geocode(book, {"", "", "", ""}).empty());
  EXPECT_TRUE(geocode(AddressBook(), {"12 avenue Princesse Grace", "", "", ""}).empty());
}

TEST(GeocoderTest, ResultsAreRankedAndLimited) {
  const AddressBook book = small_book();
  auto m = geocode(book, {"11 avenue Princesse Grace", "", "", "98000"}, 2);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_GE(m[0].confidence, m[1].confidence);
}

// The bundled Monaco extract: addresses as the import finds them in the OSM data.
class MonacoGeocoderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    Progress quiet("test", Progress::Mode::kQuiet);
    auto r = import_map(test::monaco_pbf(), dir_->file("monaco.lmgraph"), quiet);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto data = read_address_file(address_file_path(dir_->file("monaco.lmgraph")));
    ASSERT_TRUE(data.ok()) << data.error().message;
    points_ = data->points.size();
    book_ = new AddressBook(std::move(*data));
  }
  static void TearDownTestSuite() {
    delete book_;
    delete dir_;
  }
  static test::TempDir* dir_;
  static AddressBook* book_;
  static size_t points_;
};
test::TempDir* MonacoGeocoderTest::dir_ = nullptr;
AddressBook* MonacoGeocoderTest::book_ = nullptr;
size_t MonacoGeocoderTest::points_ = 0;

TEST_F(MonacoGeocoderTest, TheImportFindsTheExtractsAddresses) {
  ASSERT_NE(book_, nullptr);
  EXPECT_EQ(points_, 62u);  // nodes and buildings with addr:housenumber + addr:street in the 2016 extract
  EXPECT_GT(book_->streets().size(), 300u);
}

TEST_F(MonacoGeocoderTest, HouseNumbersOfMonacoAreFound) {
  ASSERT_NE(book_, nullptr);
  auto m = geocode(*book_, {"10 avenue Princesse Grace", "", "Monaco", "98000"});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kHouseNumber);
  EXPECT_DOUBLE_EQ(m[0].confidence, 1.0);
  EXPECT_EQ(m[0].label, "10 Avenue Princesse Grace, 98000 Monaco");
  m = geocode(*book_, {"17 av. de l'Annonciade", "", "", "98000"});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].label, "17 Avenue de l'Annonciade, 98000 Monaco");
  m = geocode(*book_, {"1 Rue du Tenao", "", "Monaco", ""});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kHouseNumber);
  EXPECT_NEAR(m[0].lat, 43.75, 0.02);
  EXPECT_NEAR(m[0].lon, 7.43, 0.03);
}

TEST_F(MonacoGeocoderTest, AStreetWithoutAddressesIsFoundByItsRoad) {
  ASSERT_NE(book_, nullptr);
  auto m = geocode(*book_, {"3 boulevard du Larvotto", "", "Monaco", "98000"});
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].level, MatchLevel::kStreet);
  EXPECT_NEAR(m[0].lat, 43.745, 0.01);
  EXPECT_NEAR(m[0].lon, 7.43, 0.02);
}

}  // namespace
}  // namespace lastmile::map
