#pragma once
// Strong identifiers. Public ids are opaque strings "<prefix>_<random>"; a DriverId cannot be
// passed where a ShipmentId is wanted.

#include <compare>
#include <functional>
#include <string>
#include <string_view>

namespace lastmile::core {

template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string value) : value_(std::move(value)) {}
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  auto operator<=>(const Id&) const = default;
  static constexpr std::string_view prefix() { return Tag::kPrefix; }

 private:
  std::string value_;
};

struct TenantTag { static constexpr std::string_view kPrefix = "ten"; };
struct ApiKeyTag { static constexpr std::string_view kPrefix = "key"; };
struct CarrierTag { static constexpr std::string_view kPrefix = "car"; };
struct DriverTag { static constexpr std::string_view kPrefix = "drv"; };
struct VehicleTag { static constexpr std::string_view kPrefix = "veh"; };
struct ShipmentTag { static constexpr std::string_view kPrefix = "shp"; };
struct RouteTag { static constexpr std::string_view kPrefix = "rte"; };
struct StopTag { static constexpr std::string_view kPrefix = "stp"; };
struct EventTag { static constexpr std::string_view kPrefix = "evt"; };
struct ExceptionTag { static constexpr std::string_view kPrefix = "exc"; };
struct WebhookTag { static constexpr std::string_view kPrefix = "whk"; };
struct DeliveryTag { static constexpr std::string_view kPrefix = "dlv"; };

using TenantId = Id<TenantTag>;
using ApiKeyId = Id<ApiKeyTag>;
using CarrierId = Id<CarrierTag>;
using DriverId = Id<DriverTag>;
using VehicleId = Id<VehicleTag>;
using ShipmentId = Id<ShipmentTag>;
using RouteId = Id<RouteTag>;
using StopId = Id<StopTag>;
using EventId = Id<EventTag>;
using ExceptionId = Id<ExceptionTag>;
using WebhookId = Id<WebhookTag>;      // a webhook subscription
using DeliveryId = Id<DeliveryTag>;    // one outbox message (a webhook delivery)

}  // namespace lastmile::core

template <typename Tag>
struct std::hash<lastmile::core::Id<Tag>> {
  size_t operator()(const lastmile::core::Id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
