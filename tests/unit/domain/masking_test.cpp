// What a tracking page may show about people (DESIGN.md §6: a tracking token masks personal data).
#include "domain/masking.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lastmile::domain {
namespace {

const std::string kDot = "\xE2\x80\xA2";  // U+2022 BULLET
std::string dots(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += kDot;
  return out;
}

TEST(FirstName, KeepsTheFirstWordOnly) {
  EXPECT_EQ(first_name("Marie Dupont"), "Marie");
  EXPECT_EQ(first_name("Marie-Claire Dupont"), "Marie-Claire");
  EXPECT_EQ(first_name("Luca Rossi Bianchi"), "Luca");
  EXPECT_EQ(first_name("Luca\tRossi"), "Luca");
  EXPECT_EQ(first_name("Cher"), "Cher");
}

TEST(FirstName, IgnoresSurroundingWhitespace) {
  EXPECT_EQ(first_name("  Luca   Rossi "), "Luca");
  EXPECT_EQ(first_name("\tMarie Dupont\n"), "Marie");
}

TEST(FirstName, EmptyStaysEmpty) {
  EXPECT_EQ(first_name(""), "");
  EXPECT_EQ(first_name("   "), "");
}

TEST(FirstName, KeepsUtf8Intact) {
  EXPECT_EQ(first_name("Jos\xC3\xA9 \xC3\x81lvarez"), "Jos\xC3\xA9");
  EXPECT_EQ(first_name("\xC3\x89lodie Martin"), "\xC3\x89lodie");
}

TEST(StreetOnly, DropsTheHouseNumberBefore) {
  EXPECT_EQ(street_only("12 Avenue de la Costa"), "Avenue de la Costa");
  EXPECT_EQ(street_only("12, Avenue de la Costa"), "Avenue de la Costa");
  EXPECT_EQ(street_only("221B Baker Street"), "Baker Street");
}

TEST(StreetOnly, DropsTheHouseNumberAfter) {
  EXPECT_EQ(street_only("Rue Grimaldi 7b"), "Rue Grimaldi");
  EXPECT_EQ(street_only("Rue Grimaldi 7"), "Rue Grimaldi");
  EXPECT_EQ(street_only("Hauptstra\xC3\x9F" "e 5a"), "Hauptstra\xC3\x9F" "e");
}

TEST(StreetOnly, DropsFlatNumbersToo) {
  EXPECT_EQ(street_only("12 Avenue de la Costa 3F"), "Avenue de la Costa");
  EXPECT_EQ(street_only("7-9 Boulevard des Moulins"), "Boulevard des Moulins");
}

TEST(StreetOnly, AStreetWithoutNumbersIsUnchanged) {
  EXPECT_EQ(street_only("Boulevard des Moulins"), "Boulevard des Moulins");
}

TEST(StreetOnly, NormalisesSpacing) {
  EXPECT_EQ(street_only("  12   Avenue  de la Costa  "), "Avenue de la Costa");
}

TEST(StreetOnly, EmptyAndNumbersOnly) {
  EXPECT_EQ(street_only(""), "");
  EXPECT_EQ(street_only("12"), "");
  EXPECT_EQ(street_only("   "), "");
}

TEST(MaskPhone, KeepsCountryPrefixAndLastFour) {
  // The number of hidden digits is not revealed: always five bullets.
  EXPECT_EQ(mask_phone("+37793151234"), "+377" + dots(5) + "1234");
  EXPECT_EQ(mask_phone("+33612345678"), "+336" + dots(5) + "5678");
  EXPECT_EQ(mask_phone("+4915112345678"), "+491" + dots(5) + "5678");
  EXPECT_EQ(mask_phone("123456789"), "1234" + dots(5) + "6789");
}

TEST(MaskPhone, ShortNumbersAreHiddenEntirely) {
  EXPECT_EQ(mask_phone("12345678"), dots(5));
  EXPECT_EQ(mask_phone("112"), dots(5));
}

TEST(MaskPhone, NeverRevealsTheMiddle) {
  std::string masked = mask_phone("+37793151234");
  EXPECT_EQ(masked.find("9315"), std::string::npos);
  EXPECT_EQ(masked.find("93151"), std::string::npos);
}

TEST(MaskPhone, EmptyStaysEmpty) {
  EXPECT_EQ(mask_phone(""), "");
  EXPECT_EQ(mask_phone("  "), "");
}

TEST(MaskEmail, KeepsFirstLetterAndDomain) {
  EXPECT_EQ(mask_email("marie.dupont@example.com"), "m" + dots(3) + "@example.com");
  EXPECT_EQ(mask_email("luca@example.com"), "l" + dots(3) + "@example.com");
  EXPECT_EQ(mask_email("x@example.mc"), "x" + dots(3) + "@example.mc");
  EXPECT_EQ(mask_email(" marie@example.com "), "m" + dots(3) + "@example.com");
}

TEST(MaskEmail, KeepsAWholeUtf8FirstLetter) {
  EXPECT_EQ(mask_email("\xC3\xA9lodie@example.fr"), "\xC3\xA9" + dots(3) + "@example.fr");  // élodie
  EXPECT_EQ(mask_email("\xE2\x82\xAC@example.fr"), "\xE2\x82\xAC" + dots(3) + "@example.fr");
}

TEST(MaskEmail, NotAnAddressRevealsNothing) {
  EXPECT_EQ(mask_email("marie.dupont"), dots(3));
  EXPECT_EQ(mask_email("@example.com"), dots(3));
}

TEST(MaskEmail, EmptyStaysEmpty) {
  EXPECT_EQ(mask_email(""), "");
}

}  // namespace
}  // namespace lastmile::domain
