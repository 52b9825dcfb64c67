#pragma once
// Parsers for the untrusted shipment bodies (POST /v1/shipments, POST /v1/shipments/{id}/events).
// Pure functions of the body text: fuzzed by tests/fuzz/json_request_fuzz.cpp.

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/entities.hpp"

namespace lastmile::api {

struct ShipmentDraft {
  domain::Shipment shipment;                // without ids, tokens, times
  std::optional<std::string> carrier_id;    // to be checked against the tenant's carriers
};

// kInvalidJson / kMissingField / kWrongType / kInvalidField / kTooLarge with the field's path.
core::Result<ShipmentDraft> parse_shipment_create(std::string_view body);
// The same for an already parsed object (an item of a bulk create, a mapped CSV row or shop order).
core::Result<ShipmentDraft> parse_shipment_object(const boost::json::object& obj);

struct EventDraft {
  domain::Milestone milestone = domain::Milestone::kCreated;
  std::optional<core::Timestamp> at;
  std::optional<core::LatLon> location;
  std::string note;
  std::string reason;
};

// `type` must name a milestone other than "created".
core::Result<EventDraft> parse_event_create(std::string_view body);

}  // namespace lastmile::api
