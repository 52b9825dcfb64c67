#include "api/http_error.hpp"

#include "api/json_io.hpp"

#include <boost/json.hpp>

namespace lastmile::api {

int http_status(core::ErrorCode code) {
  using C = core::ErrorCode;
  switch (code) {
    case C::kInvalidJson:
    case C::kInvalidField:
    case C::kMissingField:
    case C::kWrongType:
    case C::kInvalidTile:
    case C::kInvalidImage: return 400;
    case C::kUnauthenticated:
    case C::kInvalidCode: return 401;
    case C::kForbidden:
    case C::kInvalidSignature: return 403;
    case C::kNotFound:
    case C::kUnknownParcel:
    case C::kNoProof: return 404;
    case C::kMethodNotAllowed: return 405;
    case C::kIllegalTransition:
    case C::kConflict:
    case C::kIdempotencyConflict:
    case C::kIdempotencyMismatch: return 409;
    case C::kTooLarge: return 413;
    case C::kUnsupportedMediaType: return 415;
    case C::kNotRoutable:
    case C::kNoRoute:
    case C::kWebhookValidationFailed:
    case C::kInvalidTemplate: return 422;
    case C::kRateLimited: return 429;
    case C::kUnavailable: return 503;
    case C::kInternal: return 500;
  }
  return 500;
}

std::string error_body(const core::Error& e) {
  boost::json::object err{{"code", core::code_name(e.code)}, {"message", e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  return to_json(boost::json::object{{"error", std::move(err)}});
}

}  // namespace lastmile::api
