#include "domain/tracking_number.hpp"

#include <cassert>
#include <cctype>

namespace lastmile::domain {

int luhn_check_digit(std::string_view digits) {
  int sum = 0;
  bool dbl = true;  // the rightmost payload digit is doubled, since the check digit follows it
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    assert(*it >= '0' && *it <= '9');
    int d = *it - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return (10 - sum % 10) % 10;
}

std::string make_tracking_number(std::string_view serial10) {
  assert(serial10.size() == 10);
  std::string out = "LM";
  out += serial10;
  out.push_back(static_cast<char>('0' + luhn_check_digit(serial10)));
  return out;
}

bool is_valid_tracking_number(std::string_view text) {
  if (text.size() != 13) return false;
  if (std::toupper(static_cast<unsigned char>(text[0])) != 'L' ||
      std::toupper(static_cast<unsigned char>(text[1])) != 'M')
    return false;
  for (size_t i = 2; i < 13; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return luhn_check_digit(text.substr(2, 10)) == text[12] - '0';
}

bool is_plausible_tracking_token(std::string_view text) {
  if (text.size() != 22) return false;
  for (unsigned char c : text)
    if (!std::isalnum(c) && c != '-' && c != '_') return false;
  return true;
}

}  // namespace lastmile::domain
