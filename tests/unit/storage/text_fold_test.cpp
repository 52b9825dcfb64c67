#include "storage/text_fold.hpp"

#include <gtest/gtest.h>

namespace lastmile::storage {
namespace {

TEST(FoldCase, Ascii) { EXPECT_EQ(fold_case("Marie DUPONT 42!"), "marie dupont 42!"); }

TEST(FoldCase, LatinAccents) {
  EXPECT_EQ(fold_case("ÉLODIE MÜLLER"), "élodie müller");
  EXPECT_EQ(fold_case("ÇÀÏÕØÞ"), "çàïõøþ");
  EXPECT_EQ(fold_case("×"), "×");  // the multiplication sign has no case
  EXPECT_EQ(fold_case("ß"), "ß");
}

TEST(FoldCase, LatinExtendedA) {
  EXPECT_EQ(fold_case("ŁÓDŹ"), "łódź");
  EXPECT_EQ(fold_case("ŠKODA ČESKÁ"), "škoda česká");
  EXPECT_EQ(fold_case("ŒUVRE Ÿ"), "œuvre ÿ");
  EXPECT_EQ(fold_case("İSTANBUL"), "istanbul");
}

TEST(FoldCase, GreekAndCyrillic) {
  EXPECT_EQ(fold_case("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(fold_case("Άρης"), "άρησ");  // final sigma folds to sigma
  EXPECT_EQ(fold_case("МОСКВА Ёж"), "москва ёж");
}

TEST(FoldCase, OtherScriptsAndInvalidBytesAreKept) {
  EXPECT_EQ(fold_case("東京 😀"), "東京 😀");
  const std::string invalid = "A\xff\xc3";
  EXPECT_EQ(fold_case(invalid), "a\xff\xc3");
}

TEST(EscapeLike, EscapesWildcardsAndTheEscape) {
  EXPECT_EQ(escape_like("100%_a\\b"), "100\\%\\_a\\\\b");
  EXPECT_EQ(escape_like("plain"), "plain");
}

}  // namespace
}  // namespace lastmile::storage
