#pragma once
// Address → coordinates against the imported map's OSM addresses (docs/geocoding.md). Pure: the
// AddressBook in, ranked matches out.
//
// Each address line (line1, then line2; a line may hold "number street, postcode city") is split
// into a house number and a street. Streets are compared by their tokens (address_text.hpp); for
// each street similar enough its best three points are ranked among: the same house number (level
// house_number), the same number with another suffix or the nearest number on the street
// (nearby_house_number), the street itself (street: the middle of the named road, else of its
// addresses). Nothing on a street: the centre of the postcode's addresses (postcode).
//
// confidence = street similarity × level factor × postcode factor × city factor, in [0, 1]:
//   level: house_number 1, same number other suffix 0.9, nearest number 0.75 less 0.01 per number
//   of difference (at least 0.5), street 0.6; postcode level is 0.3 flat;
//   postcode: equal 1, different 0.85, unknown on either side 0.97; city likewise (0.9 if different).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "map/address_book.hpp"

namespace lastmile::map {

enum class MatchLevel { kHouseNumber, kNearbyHouseNumber, kStreet, kPostcode };
std::string_view match_level_name(MatchLevel level);  // "house_number", "nearby_house_number", …

struct GeocodeQuery {
  std::string line1;
  std::string line2;
  std::string city;
  std::string postal_code;
};

struct GeocodeMatch {
  double lat = 0;
  double lon = 0;
  double confidence = 0;  // in [0, 1], two decimals
  MatchLevel level = MatchLevel::kStreet;
  std::string label;      // e.g. "12 Avenue de la Costa, 98000 Monaco"
};

// The best matches, most confident first, at most `limit`, none below 0.2. Empty when nothing is
// similar enough (or the book is empty).
std::vector<GeocodeMatch> geocode(const AddressBook& book, const GeocodeQuery& query, size_t limit = 5);

// Matches at or above this confidence are used for a shipment's address (docs/geocoding.md).
inline constexpr double kGeocodeAcceptConfidence = 0.6;

}  // namespace lastmile::map
