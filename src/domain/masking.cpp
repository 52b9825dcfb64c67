#include "domain/masking.hpp"

#include <cctype>
#include <vector>

namespace lastmile::domain {
namespace {

// U+2022 BULLET, five for a phone number and three for an email's local part (masking.hpp).
constexpr std::string_view kMask = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";
constexpr std::string_view kEmailMask = kMask.substr(0, 9);

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool has_digit(std::string_view token) {
  for (char c : token)
    if (std::isdigit(static_cast<unsigned char>(c))) return true;
  return false;
}

}  // namespace

std::string first_name(std::string_view full_name) {
  auto s = trim(full_name);
  auto end = s.find_first_of(" \t");
  return std::string(s.substr(0, end));
}

std::string street_only(std::string_view line1) {
  std::vector<std::string_view> kept;
  auto s = trim(line1);
  while (!s.empty()) {
    auto end = s.find_first_of(" \t,");
    auto token = s.substr(0, end);
    if (!token.empty() && !has_digit(token)) kept.push_back(token);
    if (end == std::string_view::npos) break;
    s.remove_prefix(end + 1);
  }
  std::string out;
  for (auto t : kept) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

std::string mask_phone(std::string_view phone) {
  auto s = trim(phone);
  if (s.empty()) return {};
  // A fixed-width mask: the number of hidden digits is not revealed.
  if (s.size() <= 8) return std::string(kMask);
  return std::string(s.substr(0, 4)) + std::string(kMask) + std::string(s.substr(s.size() - 4));
}

std::string mask_email(std::string_view email) {
  auto s = trim(email);
  if (s.empty()) return {};
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0) return std::string(kEmailMask);
  size_t first = 1;  // one whole UTF-8 character: its lead byte and continuation bytes
  while (first < at && (static_cast<unsigned char>(s[first]) & 0xC0) == 0x80) ++first;
  return std::string(s.substr(0, first)) + std::string(kEmailMask) + std::string(s.substr(at));
}

}  // namespace lastmile::domain
