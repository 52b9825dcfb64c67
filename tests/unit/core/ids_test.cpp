// Public ids are "<prefix>_<16 [a-z0-9]>", and one kind of id cannot stand in for another.
#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <type_traits>
#include <unordered_set>

#include "core/new_id.hpp"

namespace lastmile::core {
namespace {

static_assert(!std::is_convertible_v<DriverId, ShipmentId>, "a DriverId is not a ShipmentId");
static_assert(!std::is_constructible_v<ShipmentId, DriverId>, "not even explicitly");
static_assert(!std::is_convertible_v<std::string, ShipmentId>, "strings become ids only explicitly");

TEST(Id, PrefixesOfEveryKind) {
  EXPECT_EQ(TenantId::prefix(), "ten");
  EXPECT_EQ(ApiKeyId::prefix(), "key");
  EXPECT_EQ(CarrierId::prefix(), "car");
  EXPECT_EQ(DriverId::prefix(), "drv");
  EXPECT_EQ(VehicleId::prefix(), "veh");
  EXPECT_EQ(ShipmentId::prefix(), "shp");
  EXPECT_EQ(RouteId::prefix(), "rte");
  EXPECT_EQ(StopId::prefix(), "stp");
  EXPECT_EQ(EventId::prefix(), "evt");
}

TEST(NewId, PrefixUnderscoreAndSixteenAlnum) {
  ShipmentId id = new_id<ShipmentId>();
  ASSERT_EQ(id.str().size(), 20u);
  EXPECT_EQ(id.str().substr(0, 4), "shp_");
  EXPECT_EQ(id.str().find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789", 4), std::string::npos) << id.str();
  EXPECT_EQ(new_id<DriverId>().str().substr(0, 4), "drv_");
  EXPECT_EQ(new_id<EventId>().str().substr(0, 4), "evt_");
}

TEST(NewId, ThousandIdsAreDistinctAndHashable) {
  std::unordered_set<ShipmentId> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(new_id<ShipmentId>());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Id, ComparesByValue) {
  EXPECT_TRUE(ShipmentId().empty());
  EXPECT_FALSE(ShipmentId("shp_a").empty());
  EXPECT_EQ(ShipmentId("shp_a"), ShipmentId("shp_a"));
  EXPECT_NE(ShipmentId("shp_a"), ShipmentId("shp_b"));
  EXPECT_LT(ShipmentId("shp_a"), ShipmentId("shp_b"));
  std::set<RouteId> ordered{RouteId("rte_b"), RouteId("rte_a")};
  EXPECT_EQ(ordered.begin()->str(), "rte_a");
}

}  // namespace
}  // namespace lastmile::core
