#pragma once
// Which shipments a caller may see: the whole tenant for office roles, its own for a carrier key,
// those on its routes for a driver. Anything else is reported as not found.

#include "api/context.hpp"

namespace lastmile::api {

core::Result<domain::Shipment> load_visible_shipment(const Services& s, const RequestContext& ctx,
                                                     const core::ShipmentId& id);

}  // namespace lastmile::api
