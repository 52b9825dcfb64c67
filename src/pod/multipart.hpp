#pragma once
// multipart/form-data (RFC 7578) parsing of an already-received body. Pure: no I/O.
//
// Parts are views into the body passed to parse_multipart: the body must outlive them.
// Every failure is a value: kUnsupportedMediaType when the Content-Type is not multipart/form-data
// or has no boundary, kTooLarge when a limit is exceeded (field names the limit), kInvalidField
// for a malformed body (truncated, missing boundary, missing final delimiter, bad part header).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lastmile::pod {

struct MultipartLimits {
  size_t max_parts = 16;
  size_t max_part_header_bytes = 2048;  // all header lines of one part together
  size_t max_part_bytes = 8u << 20;     // the body of any one part
};

struct Part {
  std::string name;          // Content-Disposition name="…"
  std::string filename;      // Content-Disposition filename="…", empty when absent
  std::string content_type;  // the part's Content-Type, lower-cased; empty when absent
  std::string_view data;     // the part's body (a view into the request body)
};

// The boundary parameter of a `multipart/form-data; boundary=…` Content-Type value (quotes removed).
// kUnsupportedMediaType when it is another media type; kInvalidField when the boundary is missing,
// empty or longer than 70 characters (RFC 2046).
core::Result<std::string> multipart_boundary(std::string_view content_type);

// Splits `body` into its parts. See the header comment for the errors.
core::Result<std::vector<Part>> parse_multipart(std::string_view body, std::string_view boundary,
                                                const MultipartLimits& limits = {});

}  // namespace lastmile::pod
