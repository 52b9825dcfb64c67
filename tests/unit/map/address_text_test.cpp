// How the geocoder reads address text: folding, street tokens, house numbers, line splitting.
#include "map/address_text.hpp"

#include <gtest/gtest.h>

namespace lastmile::map {
namespace {

using Tokens = std::vector<std::string>;

TEST(AddressTextTest, FoldingRemovesCaseAccentsAndPunctuation) {
  EXPECT_EQ(fold_address_text("Avenue de l'Annonciade"), "avenue de l annonciade");
  EXPECT_EQ(fold_address_text("  RUE DU TÉNAO "), "rue du tenao");
  EXPECT_EQ(fold_address_text("Crovetto-Frères"), "crovetto freres");
  EXPECT_EQ(fold_address_text("Œuvre  Straße"), "oeuvre strasse");
  EXPECT_EQ(fold_address_text("Łódź"), "lodz");
  EXPECT_EQ(fold_address_text("l’Église"), "l eglise");
  EXPECT_EQ(fold_address_text(""), "");
}

TEST(AddressTextTest, InvalidUtf8IsKeptNotCrashing) {
  const std::string text = std::string("rue ") + static_cast<char>(0xC3);
  EXPECT_EQ(fold_address_text(text), text);
}

TEST(AddressTextTest, StreetTokensExpandAbbreviationsAndDropLinkingWords) {
  EXPECT_EQ(street_tokens("Av. de la Costa"), (Tokens{"avenue", "costa"}));
  EXPECT_EQ(street_tokens("AVENUE DE LA COSTA"), (Tokens{"avenue", "costa"}));
  EXPECT_EQ(street_tokens("Bd d'Italie"), (Tokens{"boulevard", "italie"}));
  EXPECT_EQ(street_tokens("St Charles"), (Tokens{"saint", "charles"}));
  EXPECT_EQ(street_tokens("Main St"), (Tokens{"main", "street"}));
  EXPECT_EQ(street_key("Rue du Ténao"), "rue tenao");
  EXPECT_EQ(street_key("---"), "");
}

TEST(AddressTextTest, HouseNumbersKeepTheirSuffixAndFirstOfARange) {
  EXPECT_EQ(normalize_house_number("12"), "12");
  EXPECT_EQ(normalize_house_number("12 bis"), "12bis");
  EXPECT_EQ(normalize_house_number("5B"), "5b");
  EXPECT_EQ(normalize_house_number("4-6"), "4");
  EXPECT_EQ(normalize_house_number("3;5"), "3");
  EXPECT_EQ(normalize_house_number("bis"), "");
  EXPECT_EQ(house_number_value("12bis"), 12);
  EXPECT_EQ(house_number_value(""), 0);
}

TEST(AddressTextTest, AnAddressLineSplitsIntoNumberAndStreet) {
  auto line = split_address_line("12 bis, rue Grimaldi");
  EXPECT_EQ(line.house_number, "12bis");
  EXPECT_EQ(line.street, "rue grimaldi");
  line = split_address_line("Avenue de la Costa 12");
  EXPECT_EQ(line.house_number, "12");
  EXPECT_EQ(line.street, "avenue de la costa");
  line = split_address_line("7-9 rue Terrazzani");
  EXPECT_EQ(line.house_number, "7");
  EXPECT_EQ(line.street, "rue terrazzani");
  line = split_address_line("1 r Grimaldi");  // "r" is the street type, not a suffix
  EXPECT_EQ(line.house_number, "1");
  EXPECT_EQ(line.street, "r grimaldi");
  line = split_address_line("Place du Palais");
  EXPECT_EQ(line.house_number, "");
  EXPECT_EQ(line.street, "place du palais");
}

TEST(AddressTextTest, SimilarityToleratesOneTypoInLongWords) {
  EXPECT_DOUBLE_EQ(token_similarity({"avenue", "costa"}, {"avenue", "costa"}), 1.0);
  EXPECT_NEAR(token_similarity({"avenue", "grimaldy"}, {"avenue", "grimaldi"}), (1 + 0.8) / 2, 1e-9);
  EXPECT_NEAR(token_similarity({"avenue", "costa"}, {"avenue", "princesse", "grace"}), 2.0 / 5, 1e-9);
  EXPECT_DOUBLE_EQ(token_similarity({"rue"}, {"quai"}), 0.0);
  EXPECT_DOUBLE_EQ(token_similarity({}, {"quai"}), 0.0);
}

}  // namespace
}  // namespace lastmile::map
