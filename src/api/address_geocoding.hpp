#pragma once
// Where a new shipment is (docs/geocoding.md): its address geocoded on the map's OSM addresses, with
// the coordinates the order gave as the fallback. Called by the one creation path
// (shipment_creation.hpp) for every shipment, whichever way it came in.
//
// The rule:
//   - a match of confidence >= 0.9 (the house number itself, on a street whose name matches) is used;
//   - else the order's own coordinates, when it gave some;
//   - else a match of confidence >= 0.6 (kGeocodeAcceptConfidence: a near number or the street);
//   - else the shipment has no location (as without a map).

#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "map/geocoder.hpp"

namespace lastmile::api {

inline constexpr double kGeocodeOverrideConfidence = 0.9;

struct AddressLocation {
  std::optional<core::LatLon> location;
  std::string source;                    // "geocoded" | "provided" | "none"
  std::optional<map::GeocodeMatch> match;  // the best match, when geocoding ran and found one
};

// `book` null or empty: no geocoding (the provided coordinates, if any).
AddressLocation locate_address(const map::AddressBook* book, const domain::Address& address);

// The created event's "location" payload: {"source", "geocode": {"level","confidence","label"} | null}.
std::string location_payload_json(const AddressLocation& where);

}  // namespace lastmile::api
