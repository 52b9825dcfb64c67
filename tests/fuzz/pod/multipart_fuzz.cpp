// libFuzzer target: the multipart/form-data parser and the proof form on top of it
// (src/pod/multipart.hpp, src/api/proof_form.hpp). The first line of the input is the
// Content-Type header value, the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/proof_form.hpp"
#include "pod/multipart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  if (eol == std::string_view::npos) return 0;
  const std::string_view content_type = input.substr(0, eol);
  const std::string_view body = input.substr(eol + 1);
  if (auto boundary = lastmile::pod::multipart_boundary(content_type)) {
    lastmile::pod::MultipartLimits limits{.max_parts = 8, .max_part_header_bytes = 512, .max_part_bytes = 4096};
    if (auto parts = lastmile::pod::parse_multipart(body, *boundary, limits)) {
      for (const auto& p : *parts) {
        // Every part is a view inside the body.
        if (p.data.data() < body.data() || p.data.data() + p.data.size() > body.data() + body.size()) __builtin_trap();
      }
    }
  }
  lastmile::api::ProofLimits limits{.max_photos = 3, .max_photo_bytes = 4096, .max_signature_bytes = 2048};
  (void)lastmile::api::parse_proof_multipart(lastmile::api::ProofKind::kDelivery, content_type, body, limits);
  (void)lastmile::api::parse_proof_multipart(lastmile::api::ProofKind::kAttempt, content_type, body, limits);
  return 0;
}
