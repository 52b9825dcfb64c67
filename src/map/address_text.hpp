#pragma once
// Address text as the geocoder compares it (docs/geocoding.md). Pure functions, no I/O.
//
// A street name becomes tokens: case folded, accents removed (Latin-1 and Latin Extended-A letters
// to their base letters, œ → oe, ß → ss), every character that is not a letter or a digit a
// separator, common abbreviations expanded (av → avenue, bd → boulevard, st → saint before a name
// and street at the end, …), and short linking words dropped (de, du, la, the, of, …). So
// "Av. de la Costa", "AVENUE DE LA COSTA" and "avenue Costa" all give ["avenue", "costa"].

#include <string>
#include <string_view>
#include <vector>

namespace lastmile::map {

// Lower case, no accents, every run of non-alphanumeric characters one space, trimmed.
std::string fold_address_text(std::string_view utf8);

// The street name's tokens as described above, in order.
std::vector<std::string> street_tokens(std::string_view street);

// The street tokens joined by one space: the key under which a street is indexed.
std::string street_key(std::string_view street);

// A house number as compared: lower case, spaces and dashes between the number and its suffix
// removed ("12 bis" → "12bis", "7-A" → "7a"); a range or list keeps its first number ("12-14" →
// "12", "3;5" → "3"). Empty when the text does not start with a digit.
std::string normalize_house_number(std::string_view text);

// The leading integer of a normalized house number (0 when none).
int house_number_value(std::string_view normalized);

// One address line split into its house number (normalized, may be empty) and street text:
// "12 avenue de la Costa", "12bis, rue Grimaldi", "Avenue de la Costa 12" all work.
struct AddressLine {
  std::string house_number;
  std::string street;
};
AddressLine split_address_line(std::string_view line);

// Similarity of two token lists in [0, 1]: Dice coefficient where equal tokens count 1 and tokens
// of at least 5 letters one edit apart count 0.8.
double token_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace lastmile::map
