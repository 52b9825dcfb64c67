#include "core/error.hpp"

namespace lastmile::core {

std::string_view code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson: return "invalid_json";
    case ErrorCode::kInvalidField: return "invalid_field";
    case ErrorCode::kMissingField: return "missing_field";
    case ErrorCode::kWrongType: return "wrong_type";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kMethodNotAllowed: return "method_not_allowed";
    case ErrorCode::kIllegalTransition: return "illegal_transition";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kIdempotencyConflict: return "idempotency_conflict";
    case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kNotRoutable: return "not_routable";
    case ErrorCode::kNoRoute: return "no_route";
    case ErrorCode::kInvalidTile: return "invalid_tile";
    case ErrorCode::kInvalidImage: return "invalid_image";
    case ErrorCode::kNoProof: return "no_proof";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kUnknownParcel: return "unknown_parcel";
    case ErrorCode::kInvalidCode: return "invalid_code";
    case ErrorCode::kIdempotencyMismatch: return "idempotency_mismatch";
    case ErrorCode::kWebhookValidationFailed: return "webhook_validation_failed";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kInvalidTemplate: return "invalid_template";
    case ErrorCode::kInvalidSignature: return "invalid_signature";
  }
  return "internal";
}

}  // namespace lastmile::core
