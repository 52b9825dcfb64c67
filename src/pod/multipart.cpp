#include "pod/multipart.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace lastmile::pod {
namespace {

using core::Error;
using core::ErrorCode;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Error malformed(std::string message) { return Error{ErrorCode::kInvalidField, std::move(message), "body"}; }

// The value of parameter `key` in a header value like `form-data; name="photo"; filename="a.jpg"`.
std::optional<std::string> header_param(std::string_view value, std::string_view key) {
  size_t pos = value.find(';');
  while (pos != std::string_view::npos) {
    std::string_view rest = value.substr(pos + 1);
    const size_t next = rest.find(';');
    // A quoted value may hold ';': find the end of the quotes first.
    std::string_view item = trim(rest);
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos && lower(trim(item.substr(0, eq))) == key) {
      std::string_view v = trim(item.substr(eq + 1));
      if (!v.empty() && v.front() == '"') {
        const size_t close = v.find('"', 1);
        if (close == std::string_view::npos) return std::nullopt;
        return std::string(v.substr(1, close - 1));
      }
      return std::string(trim(v.substr(0, v.find(';'))));
    }
    if (next == std::string_view::npos) break;
    pos += 1 + next;
  }
  return std::nullopt;
}

core::Result<Part> parse_part_headers(std::string_view headers) {
  Part part;
  bool has_disposition = false;
  while (!headers.empty()) {
    const size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return malformed("a part header line has no ':'");
    const std::string name = lower(trim(line.substr(0, colon)));
    const std::string_view value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (lower(value.substr(0, value.find(';'))) != "form-data")
        return malformed("a part's Content-Disposition is not form-data");
      auto field = header_param(value, "name");
      if (!field || field->empty()) return malformed("a part has no name in its Content-Disposition");
      part.name = *field;
      part.filename = header_param(value, "filename").value_or("");
      has_disposition = true;
    } else if (name == "content-type") {
      part.content_type = lower(trim(value.substr(0, value.find(';'))));
    }
  }
  if (!has_disposition) return malformed("a part has no Content-Disposition header");
  return part;
}

}  // namespace

core::Result<std::string> multipart_boundary(std::string_view content_type) {
  const std::string media = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (media != "multipart/form-data")
    return Error{ErrorCode::kUnsupportedMediaType, "Content-Type must be multipart/form-data", ""};
  auto boundary = header_param(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70)
    return Error{ErrorCode::kInvalidField, "the multipart Content-Type has no valid boundary", "Content-Type"};
  return *boundary;
}

core::Result<std::vector<Part>> parse_multipart(std::string_view body, std::string_view boundary,
                                                const MultipartLimits& limits) {
  const std::string delimiter = "--" + std::string(boundary);
  // The body starts with the first delimiter (a preamble is allowed by RFC 2046 but never sent by
  // browsers; it is skipped when followed by CRLF + delimiter).
  size_t pos = 0;
  if (body.substr(0, delimiter.size()) != delimiter) {
    const size_t first = body.find("\r\n" + delimiter);
    if (first == std::string_view::npos) return malformed("the multipart body does not contain its boundary");
    pos = first + 2;
  }
  const std::string separator = "\r\n" + delimiter;
  std::vector<Part> parts;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the final delimiter
    if (body.substr(pos, 2) != "\r\n") {
      if (pos >= body.size()) return malformed("the multipart body is truncated (no final delimiter)");
      return malformed("a multipart boundary line is malformed");
    }
    pos += 2;
    if (parts.size() == limits.max_parts)
      return Error{ErrorCode::kTooLarge, "too many parts (at most " + std::to_string(limits.max_parts) + ")", "body"};
    const size_t headers_end = body.find("\r\n\r\n", pos);
    const size_t header_limit = limits.max_part_header_bytes;
    if (headers_end == std::string_view::npos) {
      if (body.size() - pos > header_limit)
        return Error{ErrorCode::kTooLarge, "a part's headers are too large", "body"};
      return malformed("the multipart body is truncated (inside part headers)");
    }
    if (headers_end - pos > header_limit)
      return Error{ErrorCode::kTooLarge, "a part's headers are too large", "body"};
    auto part = parse_part_headers(body.substr(pos, headers_end - pos));
    if (!part) return part.error();
    const size_t data_begin = headers_end + 4;
    const size_t data_end = body.find(separator, data_begin);
    if (data_end == std::string_view::npos) {
      if (body.size() - data_begin > limits.max_part_bytes)
        return Error{ErrorCode::kTooLarge, "part '" + part->name + "' is too large", part->name};
      return malformed("the multipart body is truncated (no closing boundary after part '" + part->name + "')");
    }
    if (data_end - data_begin > limits.max_part_bytes)
      return Error{ErrorCode::kTooLarge, "part '" + part->name + "' is too large", part->name};
    part->data = body.substr(data_begin, data_end - data_begin);
    parts.push_back(std::move(*part));
    pos = data_end + 2;
  }
}

}  // namespace lastmile::pod
