// Tracking numbers are "LM" + 10-digit serial + Luhn check digit; a mistyped number is refused
// before any lookup (docs/api.md, Shipments).
#include "domain/tracking_number.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto.hpp"

namespace lastmile::domain {
namespace {

TEST(LuhnCheckDigit, KnownVectors) {
  EXPECT_EQ(luhn_check_digit("7992739871"), 3);       // the textbook 79927398713
  EXPECT_EQ(luhn_check_digit("1234567890"), 3);       // LM12345678903, the header's example
  EXPECT_EQ(luhn_check_digit("0000000000"), 0);
  EXPECT_EQ(luhn_check_digit("0000000001"), 8);
  EXPECT_EQ(luhn_check_digit("9876543210"), 3);
  EXPECT_EQ(luhn_check_digit("411111111111111"), 1);  // Visa test card 4111 1111 1111 1111
  EXPECT_EQ(luhn_check_digit("453914880343646"), 7);  // 4539 1488 0343 6467
}

TEST(MakeTrackingNumber, PrefixSerialCheckDigit) {
  EXPECT_EQ(make_tracking_number("1234567890"), "LM12345678903");
  EXPECT_EQ(make_tracking_number("7992739871"), "LM79927398713");
  EXPECT_EQ(make_tracking_number("0000000000"), "LM00000000000");
}

TEST(IsValidTrackingNumber, AcceptsWellFormedNumbers) {
  EXPECT_TRUE(is_valid_tracking_number("LM12345678903"));
  EXPECT_TRUE(is_valid_tracking_number("LM79927398713"));
  EXPECT_TRUE(is_valid_tracking_number("LM00000000000"));
}

TEST(IsValidTrackingNumber, PrefixIsCaseInsensitive) {
  EXPECT_TRUE(is_valid_tracking_number("lm12345678903"));
  EXPECT_TRUE(is_valid_tracking_number("Lm12345678903"));
  EXPECT_TRUE(is_valid_tracking_number("lM12345678903"));
}

TEST(IsValidTrackingNumber, MakeAndValidateRoundTrip) {
  for (int i = 0; i < 1000; ++i) {
    std::string serial = core::random_digits(10);
    std::string number = make_tracking_number(serial);
    ASSERT_EQ(number.size(), 13u);
    EXPECT_EQ(number.substr(0, 2), "LM");
    EXPECT_EQ(number.substr(2, 10), serial);
    EXPECT_EQ(number.back() - '0', luhn_check_digit(serial));
    EXPECT_TRUE(is_valid_tracking_number(number)) << number;
  }
}

std::vector<std::string> sample_numbers() {
  std::vector<std::string> out = {make_tracking_number("1234567890"), make_tracking_number("7992739871"),
                                  make_tracking_number("0000000000"), make_tracking_number("9999999999"),
                                  make_tracking_number("1209345678")};
  for (int i = 0; i < 50; ++i) out.push_back(make_tracking_number(core::random_digits(10)));
  return out;
}

TEST(IsValidTrackingNumber, EverySingleDigitTypoIsRejected) {
  for (const std::string& good : sample_numbers()) {
    ASSERT_TRUE(is_valid_tracking_number(good));
    for (size_t pos = 2; pos < good.size(); ++pos) {  // serial and check digit
      for (char d = '0'; d <= '9'; ++d) {
        if (d == good[pos]) continue;
        std::string typo = good;
        typo[pos] = d;
        EXPECT_FALSE(is_valid_tracking_number(typo)) << good << " -> " << typo;
      }
    }
  }
}

TEST(IsValidTrackingNumber, AdjacentTranspositionsAreRejectedExceptZeroNine) {
  // Luhn catches every swap of two different adjacent digits except 09 <-> 90.
  int swaps = 0;
  for (const std::string& good : sample_numbers()) {
    for (size_t pos = 2; pos + 1 < good.size(); ++pos) {
      char a = good[pos], b = good[pos + 1];
      if (a == b) continue;
      std::string swapped = good;
      std::swap(swapped[pos], swapped[pos + 1]);
      bool zero_nine = (a == '0' && b == '9') || (a == '9' && b == '0');
      EXPECT_EQ(is_valid_tracking_number(swapped), zero_nine) << good << " -> " << swapped;
      ++swaps;
    }
  }
  EXPECT_GT(swaps, 400);
}

TEST(IsValidTrackingNumber, TheZeroNineBlindSpotIsKnown) {
  // LM1209345678|3: swapping "09" gives 1290345678, which Luhn cannot tell apart.
  EXPECT_TRUE(is_valid_tracking_number("LM12093456783"));
  EXPECT_TRUE(is_valid_tracking_number("LM12903456783"));
}

TEST(IsValidTrackingNumber, WrongPrefix) {
  for (const char* bad : {"XX12345678903", "LN12345678903", "ML12345678903", "L012345678903", "0012345678903",
                          "1M12345678903", "L\xC3\x9C" "2345678903"})
    EXPECT_FALSE(is_valid_tracking_number(bad)) << bad;
}

TEST(IsValidTrackingNumber, WrongLength) {
  for (const char* bad : {"", "LM", "LM1234567890", "LM123456789035", "12345678903", "LM2345678903",
                          "LM012345678903", " LM12345678903", "LM12345678903 "})
    EXPECT_FALSE(is_valid_tracking_number(bad)) << '"' << bad << '"';
}

TEST(IsValidTrackingNumber, NonDigits) {
  for (const char* bad : {"LM1234567890A", "LMA2345678903", "LM12345 78903", "LM-2345678903", "LM12345678.03",
                          "LM1234567890\x01", "LM+2345678903"})
    EXPECT_FALSE(is_valid_tracking_number(bad)) << bad;
  using namespace std::string_view_literals;
  EXPECT_FALSE(is_valid_tracking_number("LM12345\0" "78903"sv));
}

}  // namespace
}  // namespace lastmile::domain

namespace lastmile::domain {
namespace {

TEST(TrackingToken, OnlyTwentyTwoBase64UrlCharactersArePlausible) {
  EXPECT_TRUE(is_plausible_tracking_token("rqDzcwk-LAblqUSc8IXILQ"));
  EXPECT_TRUE(is_plausible_tracking_token("AAAAAAAAAAAAAAAAAAAA_-"));
  EXPECT_FALSE(is_plausible_tracking_token(""));
  EXPECT_FALSE(is_plausible_tracking_token("rqDzcwk-LAblqUSc8IXIL"));    // 21
  EXPECT_FALSE(is_plausible_tracking_token("rqDzcwk-LAblqUSc8IXILQQ"));  // 23
  EXPECT_FALSE(is_plausible_tracking_token("rqDzcwk+LAblqUSc8IXILQ"));   // base64, not base64url
  EXPECT_FALSE(is_plausible_tracking_token("rqDzcwk-LAblqUSc8IX%LQ"));
}

}  // namespace
}  // namespace lastmile::domain
