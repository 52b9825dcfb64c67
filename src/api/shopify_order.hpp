#pragma once
// Maps the body of Shopify's `orders/create` webhook (the REST Order resource as JSON) to a
// ShipmentDraft — the mapping is documented in docs/order-intake.md. The mapped object is validated
// by parse_shipment_object, exactly as POST /v1/shipments.
//
// Pure; fuzzed by tests/fuzz/shopify_order_fuzz.cpp.

#include <string_view>

#include "api/shipment_parser.hpp"

namespace lastmile::api {

// kInvalidJson when the body is not a JSON object; kMissingField / kWrongType / kInvalidField with
// the Shopify field's path (e.g. "shipping_address.address1") or the shipment field's path when
// only the mapped shipment is wrong; kTooLarge for more than 100 shippable line items.
core::Result<ShipmentDraft> map_shopify_order(std::string_view body);

}  // namespace lastmile::api
