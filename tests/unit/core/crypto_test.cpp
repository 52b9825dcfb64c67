// Tokens and secrets: tracking tokens are 128 random bits in 22 base64url characters (docs/api.md),
// secrets are stored as SHA-256 and compared in constant time.
#include "core/crypto.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>

namespace lastmile::core {
namespace {

bool all_in(std::string_view s, std::string_view alphabet) {
  return s.find_first_not_of(alphabet) == std::string_view::npos;
}

constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

TEST(RandomToken, TrackingTokenIs22Base64UrlCharacters) {
  std::string token = random_token(16);
  EXPECT_EQ(token.size(), 22u);
  EXPECT_TRUE(all_in(token, kBase64Url)) << token;
  EXPECT_EQ(token.find('='), std::string::npos);  // no padding
}

TEST(RandomToken, LengthIsCeilOfBitsOverSix) {
  EXPECT_EQ(random_token(0), "");
  EXPECT_EQ(random_token(1).size(), 2u);
  EXPECT_EQ(random_token(2).size(), 3u);
  EXPECT_EQ(random_token(3).size(), 4u);
  EXPECT_EQ(random_token(24).size(), 32u);
  EXPECT_EQ(random_token(32).size(), 43u);
}

TEST(RandomToken, LastCharacterOf16BytesCarriesOnlyTwoBits) {
  // 128 bits = 21 full sextets + 2 bits, so the 22nd character is one of A, Q, g, w.
  for (int i = 0; i < 200; ++i) {
    std::string token = random_token(16);
    EXPECT_NE(std::string_view("AQgw").find(token.back()), std::string_view::npos) << token;
  }
}

TEST(RandomToken, ThousandDrawsAreAllDifferent) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string token = random_token(16);
    ASSERT_EQ(token.size(), 22u);
    ASSERT_TRUE(all_in(token, kBase64Url)) << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomToken, UsesTheWholeAlphabet) {
  std::set<char> chars;
  for (int i = 0; i < 1000; ++i)
    for (char c : random_token(16)) chars.insert(c);
  EXPECT_EQ(chars.size(), 64u);
}

TEST(RandomAlnum, LowerCaseLettersAndDigitsOnly) {
  std::set<std::string> seen;
  std::set<char> chars;
  for (int i = 0; i < 1000; ++i) {
    std::string s = random_alnum(16);
    ASSERT_EQ(s.size(), 16u);
    ASSERT_TRUE(all_in(s, "abcdefghijklmnopqrstuvwxyz0123456789")) << s;
    seen.insert(s);
    chars.insert(s.begin(), s.end());
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(chars.size(), 36u);
  EXPECT_EQ(random_alnum(0), "");
}

TEST(RandomDigits, DecimalDigitsOnlyAndEveryDigitOccurs) {
  std::array<int, 10> counts{};
  for (int i = 0; i < 1000; ++i) {
    std::string s = random_digits(12);
    ASSERT_EQ(s.size(), 12u);
    ASSERT_TRUE(all_in(s, "0123456789")) << s;
    for (char c : s) ++counts[c - '0'];
  }
  // 12,000 digits, 1,200 expected each; a loose band that only a broken generator leaves.
  for (int d = 0; d < 10; ++d) {
    EXPECT_GT(counts[d], 900) << "digit " << d;
    EXPECT_LT(counts[d], 1500) << "digit " << d;
  }
}

TEST(Sha256Hex, KnownVectors) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Hex, HashesEmbeddedNulBytes) {
  using namespace std::string_view_literals;
  EXPECT_NE(sha256_hex("a\0b"sv), sha256_hex("a"sv));
  EXPECT_EQ(sha256_hex("\0"sv), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(Sha256Hex, Is64LowerCaseHexCharacters) {
  std::string h = sha256_hex("lm_abcd1234_secret");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_TRUE(all_in(h, "0123456789abcdef")) << h;
}

TEST(ConstantTimeEqual, EqualStrings) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("lm_abcd_secret", "lm_abcd_secret"));
  std::string h = sha256_hex("abc");
  EXPECT_TRUE(constant_time_equal(h, sha256_hex("abc")));
}

TEST(ConstantTimeEqual, DifferenceAnywhere) {
  EXPECT_FALSE(constant_time_equal("lm_abcd_secret", "Lm_abcd_secret"));  // first byte
  EXPECT_FALSE(constant_time_equal("lm_abcd_secret", "lm_abcd_secreT"));  // last byte
  EXPECT_FALSE(constant_time_equal("lm_abcd_secret", "lm_abce_secret"));  // middle
  using namespace std::string_view_literals;
  EXPECT_FALSE(constant_time_equal("a\0b"sv, "a\0c"sv));  // past a NUL
}

TEST(ConstantTimeEqual, DifferentLengthsAreNeverEqual) {
  EXPECT_FALSE(constant_time_equal("secret", "secret "));
  EXPECT_FALSE(constant_time_equal("secret", "secre"));
  EXPECT_FALSE(constant_time_equal("", "x"));
  using namespace std::string_view_literals;
  EXPECT_FALSE(constant_time_equal("abc"sv, "abc\0"sv));
}

TEST(CredentialPrefix, ApiKeysAndDeviceTokensHaveATwelveCharacterPrefix) {
  EXPECT_EQ(credential_prefix("lm_abcdefghijkl_secret"), "abcdefghijkl");
  EXPECT_EQ(credential_prefix("lmd_abcdefghijkl_secret"), "abcdefghijkl");
}

TEST(CredentialPrefix, OtherFormsHaveNone) {
  EXPECT_EQ(credential_prefix(""), "");
  EXPECT_EQ(credential_prefix("lm_root_token"), "");           // prefix too short
  EXPECT_EQ(credential_prefix("lmd_abcdefghijkl_"), "");       // no secret after the prefix
  EXPECT_EQ(credential_prefix("lmd_abcdefghijklm_secret"), "");  // no '_' after 12 characters
  EXPECT_EQ(credential_prefix("xlm_abcdefghijkl_secret"), "");
  EXPECT_EQ(credential_prefix("4711"), "");
}

TEST(SecretMatches, ComparesTheTokenWithItsStoredHash) {
  const std::string hash = sha256_hex("lmd_abcdefghijkl_secret");
  EXPECT_TRUE(secret_matches("lmd_abcdefghijkl_secret", hash));
  EXPECT_FALSE(secret_matches("lmd_abcdefghijkl_secreT", hash));
  EXPECT_FALSE(secret_matches("", hash));
  EXPECT_FALSE(secret_matches("lmd_abcdefghijkl_secret", ""));
}

TEST(Base64Decode, DecodesPaddedStandardBase64) {
  EXPECT_EQ(base64_decode("dXNlcjpwYXNz"), "user:pass");
  EXPECT_EQ(base64_decode("YQ=="), "a");
  EXPECT_EQ(base64_decode("YWI="), "ab");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("+/+/"), std::string("\xfb\xff\xbf"));
}

TEST(Base64Decode, RefusesWhatIsNotBase64) {
  EXPECT_EQ(base64_decode("YQ"), std::nullopt);        // unpadded
  EXPECT_EQ(base64_decode("YQ=a"), std::nullopt);
  EXPECT_EQ(base64_decode("!!!!"), std::nullopt);
  EXPECT_EQ(base64_decode("-_-_"), std::nullopt);      // base64url is another alphabet
  EXPECT_EQ(base64_decode(" YQ="), std::nullopt);
  EXPECT_EQ(base64_decode("YQ==YQ=="), std::nullopt);
}

}  // namespace
}  // namespace lastmile::core
