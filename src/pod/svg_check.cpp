#include "pod/svg_check.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace lastmile::pod {
namespace {

using core::Error;
using core::ErrorCode;

Error unsafe(std::string reason) { return Error{ErrorCode::kInvalidField, "unsafe SVG: " + reason, "signature"}; }

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':'; }

}  // namespace

core::Status check_svg_signature(std::string_view svg) {
  std::string text(svg);
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });

  // The root element: skip an XML declaration, comments and whitespace.
  size_t pos = 0;
  while (true) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    if (text.compare(pos, 5, "<?xml") == 0) {
      pos = text.find("?>", pos);
      if (pos == std::string::npos) return unsafe("unterminated XML declaration");
      pos += 2;
    } else if (text.compare(pos, 4, "<!--") == 0) {
      pos = text.find("-->", pos);
      if (pos == std::string::npos) return unsafe("unterminated comment");
      pos += 3;
    } else {
      break;
    }
  }
  if (text.compare(pos, 4, "<svg") != 0 || pos + 4 >= text.size() || is_name_char(text[pos + 4]))
    return Error{ErrorCode::kUnsupportedMediaType, "the signature is neither a PNG nor an SVG image", "signature"};

  if (text.find("<!doctype") != std::string::npos || text.find("<!entity") != std::string::npos)
    return unsafe("DOCTYPE and ENTITY declarations are not allowed");
  if (text.find("<script") != std::string::npos) return unsafe("<script> is not allowed");
  if (text.find("<foreignobject") != std::string::npos) return unsafe("<foreignObject> is not allowed");
  if (text.find("javascript:") != std::string::npos) return unsafe("javascript: URLs are not allowed");

  // Attributes: no on* handlers, and an href may only point inside the document ("#id").
  int depth = 0;
  size_t i = pos;
  while (i < text.size()) {
    if (text[i] != '<') { ++i; continue; }
    if (text.compare(i, 4, "<!--") == 0) {
      const size_t end = text.find("-->", i);
      if (end == std::string::npos) return unsafe("unterminated comment");
      i = end + 3;
      continue;
    }
    const size_t end = text.find('>', i);
    if (end == std::string::npos) return unsafe("unterminated tag");
    const std::string_view tag(text.data() + i, end - i + 1);
    const bool closing = tag.size() > 1 && tag[1] == '/';
    const bool self_closing = tag.size() > 2 && tag[tag.size() - 2] == '/';
    for (size_t a = 1; a + 1 < tag.size(); ++a) {
      if (!std::isspace(static_cast<unsigned char>(tag[a]))) continue;
      size_t n = a + 1;
      while (n < tag.size() && std::isspace(static_cast<unsigned char>(tag[n]))) ++n;
      size_t name_end = n;
      while (name_end < tag.size() && is_name_char(tag[name_end])) ++name_end;
      const std::string_view name = tag.substr(n, name_end - n);
      if (name.size() > 2 && name.substr(0, 2) == "on") return unsafe("event handler attributes are not allowed");
      if (name == "href" || name == "xlink:href") {
        size_t v = tag.find_first_of("\"'", name_end);
        if (v == std::string_view::npos || tag[v + 1] != '#') return unsafe("external references are not allowed");
      }
    }
    if (closing) {
      if (--depth < 0) return unsafe("unbalanced tags");
    } else if (!self_closing && tag.substr(0, 2) != "<?" && tag.substr(0, 2) != "<!") {
      ++depth;
    }
    i = end + 1;
    if (depth == 0) break;  // the root element is closed
  }
  if (depth != 0) return unsafe("the <svg> element is not closed");
  for (; i < text.size(); ++i)
    if (!std::isspace(static_cast<unsigned char>(text[i]))) return unsafe("content after the <svg> element");
  return {};
}

}  // namespace lastmile::pod
