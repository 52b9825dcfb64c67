#pragma once
// The fields of a proof-of-delivery or failed-attempt upload (docs/proof-of-delivery.md), read from
// multipart/form-data (pod/multipart.hpp) or, for attempts, JSON. Images are checked by their bytes
// (pod/image_sniffer.hpp, pod/svg_check.hpp), never by their names or declared types.
//
// Errors: kUnsupportedMediaType (not multipart), kTooLarge (a part, a photo, the signature, too many
// photos), kInvalidField with the field name (malformed multipart — field "body" —, an image that is
// not one, an unknown or repeated field, a value out of range), kMissingField.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/geo.hpp"
#include "core/time.hpp"

namespace lastmile::api {

struct ProofLimits {
  size_t max_photos = 5;
  size_t max_photo_bytes = 8u << 20;
  size_t max_signature_bytes = 512u << 10;
  size_t max_text_chars = 2000;
};

struct ImageUpload {
  std::string_view bytes;  // a view into the request body
  std::string content_type;
  std::optional<int64_t> width;
  std::optional<int64_t> height;
};

struct ProofForm {
  std::vector<ImageUpload> photos;
  std::optional<ImageUpload> signature;
  std::string recipient_name;
  std::string left_at;
  std::string notes;
  std::string reason;     // attempts
  std::string next_step;  // attempts
  std::optional<core::LatLon> location;
  std::optional<double> accuracy_m;
  std::optional<core::Timestamp> captured_at;
};

enum class ProofKind { kDelivery, kAttempt };

// Reads and validates a multipart body for `kind`. REQUIRES: `body` outlives the result.
core::Result<ProofForm> parse_proof_multipart(ProofKind kind, std::string_view content_type, std::string_view body,
                                              const ProofLimits& limits);

// Reads and validates a failed attempt sent as JSON {"reason","next_step","notes","lat","lon"}.
core::Result<ProofForm> parse_attempt_json(std::string_view body);

bool is_left_at(std::string_view v);
bool is_attempt_reason(std::string_view v);
bool is_next_step(std::string_view v);

}  // namespace lastmile::api
