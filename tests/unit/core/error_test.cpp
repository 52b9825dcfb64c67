// Error codes are part of the HTTP contract (docs/api.md, "Errors"): their names never change, and
// Result/Status carry either a value or one specific Error.
#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace lastmile::core {
namespace {

// Every enumerator, with the name docs/api.md publishes for it. Adding an ErrorCode means adding a
// row here; the test below then checks the new name is distinct.
const std::vector<std::pair<ErrorCode, std::string_view>>& published_names() {
  static const std::vector<std::pair<ErrorCode, std::string_view>> kNames = {
      {ErrorCode::kInvalidJson, "invalid_json"},
      {ErrorCode::kInvalidField, "invalid_field"},
      {ErrorCode::kMissingField, "missing_field"},
      {ErrorCode::kWrongType, "wrong_type"},
      {ErrorCode::kTooLarge, "too_large"},
      {ErrorCode::kUnauthenticated, "unauthenticated"},
      {ErrorCode::kForbidden, "forbidden"},
      {ErrorCode::kNotFound, "not_found"},
      {ErrorCode::kMethodNotAllowed, "method_not_allowed"},
      {ErrorCode::kIllegalTransition, "illegal_transition"},
      {ErrorCode::kConflict, "conflict"},
      {ErrorCode::kIdempotencyConflict, "idempotency_conflict"},
      {ErrorCode::kUnsupportedMediaType, "unsupported_media_type"},
      {ErrorCode::kUnavailable, "unavailable"},
      {ErrorCode::kNotRoutable, "not_routable"},
      {ErrorCode::kNoRoute, "no_route"},
      {ErrorCode::kInvalidTile, "invalid_tile"},
      {ErrorCode::kInvalidImage, "invalid_image"},
      {ErrorCode::kNoProof, "no_proof"},
      {ErrorCode::kUnknownParcel, "unknown_parcel"},
      {ErrorCode::kInvalidCode, "invalid_code"},
      {ErrorCode::kIdempotencyMismatch, "idempotency_mismatch"},
      {ErrorCode::kWebhookValidationFailed, "webhook_validation_failed"},
      {ErrorCode::kRateLimited, "rate_limited"},
      {ErrorCode::kInvalidTemplate, "invalid_template"},
      {ErrorCode::kInvalidSignature, "invalid_signature"},
      {ErrorCode::kInternal, "internal"},
  };
  return kNames;
}

TEST(ErrorCode, EveryCodeHasItsPublishedName) {
  for (const auto& [code, name] : published_names())
    EXPECT_EQ(code_name(code), name) << "ErrorCode #" << static_cast<int>(code);
}

TEST(ErrorCode, TableCoversEveryEnumerator) {
  // kInternal is the last enumerator; the enum is dense from 0.
  ASSERT_EQ(published_names().size(), static_cast<size_t>(ErrorCode::kInternal) + 1);
  for (size_t i = 0; i < published_names().size(); ++i)
    EXPECT_EQ(static_cast<size_t>(published_names()[i].first), i);
}

TEST(ErrorCode, NamesAreDistinctSnakeCase) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    auto name = code_name(static_cast<ErrorCode>(i));
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    ASSERT_FALSE(name.empty());
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
  }
  EXPECT_EQ(seen.size(), 27u);
}

TEST(Error, MissingFieldNamesTheDottedPath) {
  Error e = Error::missing_field("recipient.name");
  EXPECT_EQ(e.code, ErrorCode::kMissingField);
  EXPECT_EQ(e.field, "recipient.name");
  EXPECT_EQ(e.message, "field 'recipient.name' is required");
}

TEST(Error, WrongTypeSaysWhatWasExpected) {
  Error e = Error::wrong_type("parcels[0].weight_kg", "a number");
  EXPECT_EQ(e.code, ErrorCode::kWrongType);
  EXPECT_EQ(e.field, "parcels[0].weight_kg");
  EXPECT_EQ(e.message, "field 'parcels[0].weight_kg' must be a number");
}

TEST(Error, InvalidFieldKeepsFieldAndMessageApart) {
  Error e = Error::invalid_field("limit", "limit must be an integer from 1 to 500");
  EXPECT_EQ(e.code, ErrorCode::kInvalidField);
  EXPECT_EQ(e.field, "limit");
  EXPECT_EQ(e.message, "limit must be an integer from 1 to 500");
}

TEST(Error, NotFoundIsAboutNoField) {
  Error e = Error::not_found("shipment");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "shipment not found");
  EXPECT_EQ(e.field, "");
}

TEST(Error, InternalRevealsNothing) {
  Error e = Error::internal();
  EXPECT_EQ(e.code, ErrorCode::kInternal);
  EXPECT_EQ(e.message, "internal error");
  EXPECT_EQ(e.field, "");
}

Result<int> parse_stops(int n) {
  if (n > 500) return Error{ErrorCode::kTooLarge, "at most 500 stops", "stops"};
  return n;
}

TEST(Result, HoldsAValue) {
  Result<int> r = parse_stops(12);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 12);
  EXPECT_EQ(*r, 12);
}

TEST(Result, HoldsTheSpecificError) {
  Result<int> r = parse_stops(501);
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(r.error().field, "stops");
  EXPECT_EQ(r.error().message, "at most 500 stops");
}

TEST(Result, GivesAccessToMembersAndMovesOut) {
  Result<std::string> r = std::string("LM12345678903");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 13u);
  r->append("!");
  EXPECT_EQ(*r, "LM12345678903!");
  std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "LM12345678903!");
}

TEST(Result, ConstAccess) {
  const Result<std::vector<int>> r = std::vector<int>{1, 2, 3};
  EXPECT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[2], 3);
  EXPECT_EQ(r.value().front(), 1);
}

TEST(Result, AStringValueIsNotMistakenForAnError) {
  // Result<std::string> must still be able to hold an Error distinct from any string.
  Result<std::string> bad = Error::not_found("carrier");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kNotFound);
}

TEST(Status, DefaultAndSuccessAreOk) {
  Status a;
  EXPECT_TRUE(a.ok());
  EXPECT_TRUE(static_cast<bool>(a));
  EXPECT_TRUE(Status::success().ok());
}

TEST(Status, CarriesTheError) {
  Status s = Error{ErrorCode::kConflict, "code 'riviera' is taken", "code"};
  ASSERT_FALSE(s.ok());
  EXPECT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(s.error().field, "code");
  EXPECT_EQ(code_name(s.error().code), "conflict");
}

}  // namespace
}  // namespace lastmile::core
