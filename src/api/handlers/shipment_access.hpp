#pragma once
// Scoping by role. Which shipments a caller may see: the whole tenant for office roles, its own for a carrier key,
// those on its routes for a driver. Anything else is reported as not found.

#include "api/context.hpp"

namespace lastmile::api {

// The carrier a create acts for: a carrier key is bound to its own (naming another is kForbidden,
// field "carrier_id"); other roles may name one of the tenant's carriers (kNotFound otherwise) or none.
core::Result<std::optional<core::CarrierId>> acting_carrier(const Services& s, const RequestContext& ctx,
                                                            const std::optional<std::string>& requested);

core::Result<domain::Shipment> load_visible_shipment(const Services& s, const RequestContext& ctx,
                                                     const core::ShipmentId& id);

}  // namespace lastmile::api
