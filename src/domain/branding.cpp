#include "domain/branding.hpp"

#include <array>

namespace lastmile::domain {
namespace {

bool is_plain_url_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f && c != '"' && c != '\'' && c != '\\' && c != '<' && c != '>' && c != '`';
}

bool is_base64(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                    c == '/' || c == '=';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool is_acceptable_logo_url(std::string_view url) {
  if (url.empty()) return true;
  if (url.size() > kLogoUrlMaxLen) return false;
  for (char c : url)
    if (!is_plain_url_char(c)) return false;
  constexpr std::array kImageTypes{std::string_view("data:image/png;base64,"),
                                   std::string_view("data:image/jpeg;base64,"),
                                   std::string_view("data:image/webp;base64,"),
                                   std::string_view("data:image/svg+xml;base64,")};
  for (auto prefix : kImageTypes)
    if (url.starts_with(prefix)) return is_base64(url.substr(prefix.size()));
  if (url.starts_with("https://")) return url.size() > 8 && url[8] != '/';
  return url.size() > 1 && url[0] == '/' && url[1] != '/';
}

}  // namespace lastmile::domain
