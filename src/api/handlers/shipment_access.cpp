#include "api/handlers/shipment_access.hpp"

namespace lastmile::api {

core::Result<std::optional<core::CarrierId>> acting_carrier(const Services& s, const RequestContext& ctx,
                                                            const std::optional<std::string>& requested) {
  using R = std::optional<core::CarrierId>;
  if (ctx.role() == domain::Role::kCarrier) {
    if (requested && *requested != ctx.principal->carrier_id->str())
      return core::Error{core::ErrorCode::kForbidden, "a carrier key acts for its own carrier only", "carrier_id"};
    return R(*ctx.principal->carrier_id);
  }
  if (!requested) return R{};
  core::CarrierId id(*requested);
  if (!s.store.get_carrier(ctx.tenant(), id))
    return core::Error{core::ErrorCode::kNotFound, "carrier not found", "carrier_id"};
  return R(id);
}

core::Result<domain::Shipment> load_visible_shipment(const Services& s, const RequestContext& ctx,
                                                     const core::ShipmentId& id) {
  auto sh = s.store.get_shipment(ctx.tenant(), id);
  if (!sh) return sh.error();
  switch (ctx.role()) {
    case domain::Role::kCarrier:
      if (sh->carrier_id != ctx.principal->carrier_id) return core::Error::not_found("shipment");
      break;
    case domain::Role::kDriver: {
      if (!sh->route_id) return core::Error::not_found("shipment");
      auto route = s.store.get_route(ctx.tenant(), *sh->route_id);
      if (!route || route->driver_id != ctx.principal->driver_id) return core::Error::not_found("shipment");
      break;
    }
    default: break;
  }
  return sh;
}

}  // namespace lastmile::api
