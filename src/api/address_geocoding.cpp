#include "api/address_geocoding.hpp"

#include <boost/json.hpp>

#include <cmath>

namespace lastmile::api {

AddressLocation locate_address(const map::AddressBook* book, const domain::Address& address) {
  AddressLocation out;
  if (book != nullptr && !book->empty()) {
    auto matches = map::geocode(*book, {address.line1, address.line2, address.city, address.postal_code}, 1);
    if (!matches.empty()) out.match = std::move(matches.front());
  }
  auto geocoded = [&]() { return core::LatLon::from_unsafe({out.match->lat, out.match->lon}); };
  if (out.match && out.match->confidence >= kGeocodeOverrideConfidence) {
    out.location = geocoded();
  } else if (address.location) {
    out.location = address.location;
    out.source = "provided";
    return out;
  } else if (out.match && out.match->confidence >= map::kGeocodeAcceptConfidence) {
    out.location = geocoded();
  }
  out.source = out.location ? "geocoded" : "none";
  return out;
}

std::string location_payload_json(const AddressLocation& where) {
  boost::json::object o{{"source", where.source}};
  if (where.match) {
    o["geocode"] = boost::json::object{{"level", std::string(map::match_level_name(where.match->level))},
                                       {"confidence", where.match->confidence},
                                       {"label", where.match->label}};
  } else {
    o["geocode"] = nullptr;
  }
  return boost::json::serialize(boost::json::object{{"location", std::move(o)}});
}

}  // namespace lastmile::api
