#pragma once
// Personal-data masking for public views (tracking page, public API). Pure functions.

#include <string>
#include <string_view>

namespace lastmile::domain {

// "Marie-Claire Dupont" → "Marie-Claire"; empty stays empty.
std::string first_name(std::string_view full_name);
// Drops house numbers and flat numbers from a street line: "12 Avenue de la Costa" →
// "Avenue de la Costa", "Rue Grimaldi 7b" → "Rue Grimaldi".
std::string street_only(std::string_view line1);
// "+37793151234" → "+377•••••1234" (keeps the first 4 and last 4 characters when long enough).
std::string mask_phone(std::string_view phone);
// "marie.dupont@example.com" → "m•••@example.com".
std::string mask_email(std::string_view email);

}  // namespace lastmile::domain
