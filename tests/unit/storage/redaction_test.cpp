// Redaction of personal fields in event payloads (docs/privacy.md).
#include "storage/redaction.hpp"

#include <gtest/gtest.h>

namespace lastmile::storage {
namespace {

TEST(Redaction, ReplacesPersonalFieldsAtAnyDepthAndKeepsTheRest) {
  auto out = redact_personal_fields(
      R"({"proof":{"recipient_name":"Marie","notes":"gate 12","left_at":"front_door","photos":[{"sha256":"ab"}]}})",
      "[erased]");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            R"({"proof":{"recipient_name":"[erased]","notes":"[erased]","left_at":"front_door","photos":[{"sha256":"ab"}]}})");
}

TEST(Redaction, NothingPersonalMeansNoChange) {
  EXPECT_FALSE(redact_personal_fields("{}", "[erased]"));
  EXPECT_FALSE(redact_personal_fields(R"({"note":"","stars":5})", "[erased]"));  // empty stays empty
  EXPECT_FALSE(redact_personal_fields(R"({"note":"[erased]"})", "[erased]"));    // already redacted
  EXPECT_FALSE(redact_personal_fields(R"({"note":12})", "[erased]"));            // not text
}

TEST(Redaction, NotAnObjectIsLeftAlone) {
  EXPECT_FALSE(redact_personal_fields("not json", "[erased]"));
  EXPECT_FALSE(redact_personal_fields(R"(["note"])", "[erased]"));
}

TEST(Redaction, ArraysOfObjectsAreWalked) {
  auto out = redact_personal_fields(R"({"items":[{"comment":"call me"},{"comment":""}]})", "[erased]");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, R"({"items":[{"comment":"[erased]"},{"comment":""}]})");
}

}  // namespace
}  // namespace lastmile::storage
