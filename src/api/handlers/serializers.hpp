#pragma once
// Entity → JSON, the response shapes of docs/api.md. Secrets are never serialised here: the
// handlers that issue them add `api_key` / `device_token` to the creation response only.

#include <boost/json/object.hpp>

#include <string_view>

#include "domain/entities.hpp"

namespace lastmile::api {

boost::json::object tenant_json(const domain::Tenant& t);
boost::json::object credential_json(const domain::Credential& c);
boost::json::object carrier_json(const domain::Carrier& c);
boost::json::object driver_json(const domain::Driver& d);
boost::json::object vehicle_json(const domain::Vehicle& v);
boost::json::object shipment_json(const domain::Shipment& s, std::string_view public_url);
boost::json::object event_json(const domain::Event& e);
boost::json::object route_json(const domain::Route& r);
// The recipient's own view of the delivery instructions (tracking page): the gate code is never
// shown back, only whether one is set; `editable` per domain/instructions.hpp.
boost::json::object public_instructions_json(const domain::Shipment& s);
boost::json::value lat_lon_json(const std::optional<core::LatLon>& p);

}  // namespace lastmile::api
