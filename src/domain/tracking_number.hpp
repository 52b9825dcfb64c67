#pragma once
// Human tracking numbers: "LM" + 10 digits + 1 Luhn check digit, e.g. "LM12345678903".
// The check digit catches every single-digit typo and most adjacent transpositions, so a
// mistyped number is refused before any lookup.

#include <string>
#include <string_view>

namespace lastmile::domain {

// Luhn check digit (0-9) for a string of decimal digits. REQUIRES: digits only.
int luhn_check_digit(std::string_view digits);

// Builds a tracking number from a 10-digit serial. REQUIRES: serial is exactly 10 decimal digits.
std::string make_tracking_number(std::string_view serial10);

// True when `text` has the form above and its check digit is right (case-insensitive prefix).
bool is_valid_tracking_number(std::string_view text);

// True when `text` could be a public tracking token (22 base64url characters: 128 random bits), so
// anything else is refused before a lookup.
bool is_plausible_tracking_token(std::string_view text);

}  // namespace lastmile::domain
