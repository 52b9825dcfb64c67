#include "api/http_error.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace lastmile::api {
namespace {

using core::ErrorCode;

TEST(HttpError, EveryCodeMapsToItsDocumentedStatus) {
  const std::vector<std::pair<ErrorCode, int>> table = {
      {ErrorCode::kInvalidJson, 400},       {ErrorCode::kInvalidField, 400},
      {ErrorCode::kMissingField, 400},      {ErrorCode::kWrongType, 400},
      {ErrorCode::kTooLarge, 413},          {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kForbidden, 403},         {ErrorCode::kNotFound, 404},
      {ErrorCode::kMethodNotAllowed, 405},  {ErrorCode::kIllegalTransition, 409},
      {ErrorCode::kConflict, 409},          {ErrorCode::kIdempotencyConflict, 409},
      {ErrorCode::kUnsupportedMediaType, 415}, {ErrorCode::kUnavailable, 503},
      {ErrorCode::kNotRoutable, 422},       {ErrorCode::kNoRoute, 422},
      {ErrorCode::kWebhookValidationFailed, 422},
      {ErrorCode::kInvalidTemplate, 422},      {ErrorCode::kInvalidSignature, 403},
      {ErrorCode::kInvalidTile, 400},
      {ErrorCode::kInvalidImage, 400},
      {ErrorCode::kNoProof, 404},
      {ErrorCode::kInternal, 500},
      {ErrorCode::kUnknownParcel, 404},     {ErrorCode::kInvalidCode, 401},
      {ErrorCode::kIdempotencyMismatch, 409},
      {ErrorCode::kRateLimited, 429},
  };
  for (auto [code, status] : table) EXPECT_EQ(http_status(code), status) << core::code_name(code);
}

TEST(HttpError, BodyHasCodeMessageAndFieldWhenSet) {
  auto body = boost::json::parse(error_body(core::Error::missing_field("recipient.name"))).as_object();
  const auto& err = body.at("error").as_object();
  EXPECT_EQ(err.at("code").as_string(), "missing_field");
  EXPECT_EQ(err.at("field").as_string(), "recipient.name");
  EXPECT_NE(std::string(err.at("message").as_string()).find("recipient.name"), std::string::npos);
}

TEST(HttpError, BodyOmitsEmptyField) {
  auto body = boost::json::parse(error_body(core::Error::not_found("shipment"))).as_object();
  EXPECT_FALSE(body.at("error").as_object().contains("field"));
  EXPECT_EQ(body.at("error").at("message").as_string(), "shipment not found");
}

}  // namespace
}  // namespace lastmile::api
