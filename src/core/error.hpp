#pragma once
// Expected failures as values. Every ErrorCode has a stable string name that is part of the
// public API (the "code" of an HTTP error body); never rename one, only add.

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace lastmile::core {

enum class ErrorCode {
  kInvalidJson,          // body is not parseable JSON
  kInvalidField,         // a field has a value out of range or of the wrong form
  kMissingField,         // a required field is absent
  kWrongType,            // a field has the wrong JSON type
  kTooLarge,             // body, header, batch or list exceeds a limit
  kUnauthenticated,      // no credentials, or credentials not recognised
  kForbidden,            // credentials recognised but the role may not do this
  kNotFound,             // no such resource (also used for other tenants' resources)
  kMethodNotAllowed,     // the path exists but not with this method
  kIllegalTransition,    // milestone state machine refuses the change
  kConflict,             // uniqueness or concurrent-update conflict
  kIdempotencyConflict,  // Idempotency-Key reused with a different request
  kUnsupportedMediaType, // Content-Type is not what the route accepts
  kUnavailable,          // shutting down or a dependency is down
  kNotRoutable,          // a coordinate has no road within the snapping radius (outside the map)
  kNoRoute,              // both ends are on roads, but no drivable path joins them
  kInvalidTile,          // a map tile address outside the tile pyramid (z > 22, x or y >= 2^z) or malformed
  kInvalidImage,         // an uploaded photo or signature is not an image of an accepted format (by its bytes)
  kNoProof,              // the shipment has no proof of delivery (yet)
  kUnknownParcel,        // no parcel of this tenant has the scanned barcode (404)
  kInvalidCode,          // a one-time sign-in code that is unknown, used or expired (401, one answer for all)
  kIdempotencyMismatch,  // a client-chosen id (a scan's) reused with a different body (409)
  kWebhookValidationFailed,  // the webhook URL did not echo the validation check (422)
  kRateLimited,          // too many requests from this credential or address; Retry-After says when (429)
  kInvalidTemplate,      // a notification template with an unknown variable or unbalanced braces (422)
  kInvalidSignature,     // a provider callback whose signature is missing or wrong (403)
  kInternal,             // a bug or an unexpected failure; details only in logs
};

// Stable API name, e.g. "illegal_transition".
std::string_view code_name(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // safe to show to the client
  std::string field;    // JSON path of the offending field, empty when not about one field

  static Error invalid_field(std::string field, std::string message) {
    return {ErrorCode::kInvalidField, std::move(message), std::move(field)};
  }
  static Error missing_field(std::string field) {
    return {ErrorCode::kMissingField, "field '" + field + "' is required", field};
  }
  static Error wrong_type(std::string field, std::string_view expected) {
    return {ErrorCode::kWrongType, "field '" + field + "' must be " + std::string(expected), field};
  }
  static Error not_found(std::string_view what) {
    return {ErrorCode::kNotFound, std::string(what) + " not found", ""};
  }
  static Error internal() { return {ErrorCode::kInternal, "internal error", ""}; }
};

// Result<T>: either a T or an Error. Result<void> is spelt Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(implicit)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(implicit)
  static Status success() { return {}; }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(!ok()); return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace lastmile::core
