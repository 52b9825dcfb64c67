// Carriers, drivers, vehicles and idempotency records through the Store interface.
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Role;

class CarriersTest : public StoreTest {};

TEST_F(CarriersTest, CreateThenGetReturnsEveryField) {
  auto tenant = add_tenant();
  auto c = make_carrier(tenant, "riviera");
  ASSERT_OK(store_->create_carrier(c, nullptr));
  auto got = store_->get_carrier(tenant, c.id);
  ASSERT_OK(got);
  EXPECT_GT(got->seq, 0);
  EXPECT_EQ(got->id, c.id);
  EXPECT_EQ(got->tenant_id, tenant);
  EXPECT_EQ(got->name, c.name);
  EXPECT_EQ(got->code, "riviera");
  EXPECT_EQ(got->contact_email, c.contact_email);
  EXPECT_EQ(got->contact_phone, c.contact_phone);
  EXPECT_EQ(got->created_at, kT0);
}

TEST_F(CarriersTest, DuplicateCodeInTheTenantIsConflictOnCode) {
  auto tenant = add_tenant();
  add_carrier(tenant, "dhl");
  auto again = make_carrier(tenant, "dhl");
  EXPECT_TRUE(fails_with(store_->create_carrier(again, nullptr), ErrorCode::kConflict, "code"));
  EXPECT_TRUE(fails_with(store_->get_carrier(tenant, again.id), ErrorCode::kNotFound));
}

TEST_F(CarriersTest, SameCodeInAnotherTenantIsFine) {
  add_carrier(add_tenant(), "dhl");
  EXPECT_OK(store_->create_carrier(make_carrier(add_tenant(), "dhl"), nullptr));
}

TEST_F(CarriersTest, AnotherTenantsCarrierIsNotFound) {
  auto mine = add_tenant();
  auto theirs = add_carrier(add_tenant());
  EXPECT_TRUE(fails_with(store_->get_carrier(mine, theirs.id), ErrorCode::kNotFound));
}

TEST_F(CarriersTest, CarrierOfAnUnknownTenantIsNotFound) {
  EXPECT_TRUE(
      fails_with(store_->create_carrier(make_carrier(core::TenantId("ten_nope"), "x"), nullptr), ErrorCode::kNotFound));
}

TEST_F(CarriersTest, ListShowsOnlyTheTenantsCarriersNewestFirst) {
  auto mine = add_tenant();
  auto theirs = add_tenant();
  auto a = add_carrier(mine, "a");
  add_carrier(theirs, "x");
  auto b = add_carrier(mine, "b");
  auto page = store_->list_carriers(mine, {50, std::nullopt});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, b.id);
  EXPECT_EQ(page->items[1].id, a.id);
}

class DriversTest : public StoreTest {};

TEST_F(DriversTest, CreateThenGetReturnsEveryFieldAndStoresTheDeviceToken) {
  auto tenant = add_tenant();
  auto carrier = add_carrier(tenant);
  auto vehicle = make_vehicle(tenant);
  ASSERT_OK(store_->create_vehicle(vehicle, nullptr));
  auto d = make_driver(tenant, "4711");
  d.carrier_id = carrier.id;
  d.vehicle_id = vehicle.id;
  auto token = device_token_for(d);
  ASSERT_OK(store_->create_driver(d, token, nullptr));

  auto got = store_->get_driver(tenant, d.id);
  ASSERT_OK(got);
  EXPECT_GT(got->seq, 0);
  EXPECT_EQ(got->id, d.id);
  EXPECT_EQ(got->tenant_id, tenant);
  EXPECT_EQ(got->carrier_id, carrier.id);
  EXPECT_EQ(got->vehicle_id, vehicle.id);
  EXPECT_EQ(got->name, d.name);
  EXPECT_EQ(got->phone, d.phone);
  EXPECT_EQ(got->email, d.email);
  EXPECT_EQ(got->device_id, "4711");
  EXPECT_EQ(got->created_at, kT0);

  auto cred = store_->find_credential(token.prefix);
  ASSERT_OK(cred);
  ASSERT_TRUE(cred->has_value());
  EXPECT_EQ((*cred)->role, Role::kDriver);
  EXPECT_EQ((*cred)->driver_id, d.id);
  EXPECT_EQ((*cred)->carrier_id, carrier.id);
}

TEST_F(DriversTest, DeviceIdUsedInAnyTenantIsConflictAndWritesNothing) {
  auto first = make_driver(add_tenant(), "device-1");
  ASSERT_OK(store_->create_driver(first, device_token_for(first), nullptr));
  auto second = make_driver(add_tenant(), "device-1");
  auto token = device_token_for(second);
  EXPECT_TRUE(fails_with(store_->create_driver(second, token, nullptr), ErrorCode::kConflict, "device_id"));
  EXPECT_TRUE(fails_with(store_->get_driver(second.tenant_id, second.id), ErrorCode::kNotFound));
  auto cred = store_->find_credential(token.prefix);
  ASSERT_OK(cred);
  EXPECT_FALSE(cred->has_value());
}

TEST_F(DriversTest, TokenPrefixCollisionRollsBackTheDriver) {
  auto tenant = add_tenant();
  auto taken = make_credential(tenant, Role::kDispatcher);
  ASSERT_OK(store_->create_credential(taken));
  auto d = make_driver(tenant);
  auto token = device_token_for(d);
  token.prefix = taken.prefix;
  EXPECT_TRUE(fails_with(store_->create_driver(d, token, nullptr), ErrorCode::kConflict, "prefix"));
  EXPECT_TRUE(fails_with(store_->get_driver(tenant, d.id), ErrorCode::kNotFound));
}

TEST_F(DriversTest, AnotherTenantsCarrierCannotBeReferenced) {
  auto mine = add_tenant();
  auto theirs = add_carrier(add_tenant());
  auto d = make_driver(mine);
  d.carrier_id = theirs.id;
  EXPECT_TRUE(fails_with(store_->create_driver(d, device_token_for(d), nullptr), ErrorCode::kNotFound));
}

TEST_F(DriversTest, AnotherTenantsDriverIsNotFound) {
  auto d = add_driver(add_tenant());
  EXPECT_TRUE(fails_with(store_->get_driver(add_tenant(), d.id), ErrorCode::kNotFound));
}

TEST_F(DriversTest, ListFiltersByCarrierAndTenant) {
  auto mine = add_tenant();
  auto c1 = add_carrier(mine);
  auto c2 = add_carrier(mine);
  auto d1 = add_driver(mine, c1.id);
  auto d2 = add_driver(mine, c2.id);
  auto d3 = add_driver(mine);
  add_driver(add_tenant());

  auto all = store_->list_drivers(mine, std::nullopt, {50, std::nullopt});
  ASSERT_OK(all);
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[0].id, d3.id);
  EXPECT_EQ(all->items[2].id, d1.id);

  auto of_c2 = store_->list_drivers(mine, c2.id, {50, std::nullopt});
  ASSERT_OK(of_c2);
  ASSERT_EQ(of_c2->items.size(), 1u);
  EXPECT_EQ(of_c2->items[0].id, d2.id);
}

class VehiclesTest : public StoreTest {};

TEST_F(VehiclesTest, CreateThenGetReturnsEveryField) {
  auto tenant = add_tenant();
  auto carrier = add_carrier(tenant);
  auto v = make_vehicle(tenant);
  v.carrier_id = carrier.id;
  ASSERT_OK(store_->create_vehicle(v, nullptr));
  auto got = store_->get_vehicle(tenant, v.id);
  ASSERT_OK(got);
  EXPECT_GT(got->seq, 0);
  EXPECT_EQ(got->id, v.id);
  EXPECT_EQ(got->tenant_id, tenant);
  EXPECT_EQ(got->carrier_id, carrier.id);
  EXPECT_EQ(got->plate, v.plate);
  EXPECT_EQ(got->kind, "van");
  EXPECT_DOUBLE_EQ(got->capacity_kg, 800.5);
  EXPECT_DOUBLE_EQ(got->capacity_m3, 6.25);
  EXPECT_EQ(got->created_at, kT0);
}

TEST_F(VehiclesTest, AnotherTenantsVehicleIsNotFoundAndNotListed) {
  auto mine = add_tenant();
  auto theirs = make_vehicle(add_tenant());
  ASSERT_OK(store_->create_vehicle(theirs, nullptr));
  auto own = make_vehicle(mine);
  ASSERT_OK(store_->create_vehicle(own, nullptr));
  EXPECT_TRUE(fails_with(store_->get_vehicle(mine, theirs.id), ErrorCode::kNotFound));
  auto page = store_->list_vehicles(mine, {50, std::nullopt});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, own.id);
}

class IdempotencyTest : public StoreTest {};

TEST_F(IdempotencyTest, RecordIsStoredWithTheCreate) {
  auto tenant = add_tenant();
  auto rec = make_idempotency("key-1", "POST /v1/carriers", R"({"id":"car_1"})");
  ASSERT_OK(store_->create_carrier(make_carrier(tenant, "a"), &rec));
  auto found = store_->find_idempotency(tenant, "POST /v1/carriers", "key-1");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->key, "key-1");
  EXPECT_EQ((*found)->scope, "POST /v1/carriers");
  EXPECT_EQ((*found)->request_hash, rec.request_hash);
  EXPECT_EQ((*found)->status, 201);
  EXPECT_EQ((*found)->body, R"({"id":"car_1"})");
}

TEST_F(IdempotencyTest, UnknownKeyIsNullopt) {
  auto found = store_->find_idempotency(add_tenant(), "POST /v1/carriers", "nope");
  ASSERT_OK(found);
  EXPECT_FALSE(found->has_value());
}

TEST_F(IdempotencyTest, ReusedKeyIsIdempotencyConflictAndWritesNothing) {
  auto tenant = add_tenant();
  auto rec = make_idempotency("key-1", "POST /v1/carriers");
  ASSERT_OK(store_->create_carrier(make_carrier(tenant, "a"), &rec));
  auto second = make_carrier(tenant, "b");
  EXPECT_TRUE(
      fails_with(store_->create_carrier(second, &rec), ErrorCode::kIdempotencyConflict, "Idempotency-Key"));
  EXPECT_TRUE(fails_with(store_->get_carrier(tenant, second.id), ErrorCode::kNotFound));
}

TEST_F(IdempotencyTest, KeysAreScopedByTenantAndRoute) {
  auto tenant = add_tenant();
  auto rec = make_idempotency("key-1", "POST /v1/carriers");
  ASSERT_OK(store_->create_carrier(make_carrier(tenant, "a"), &rec));
  auto vehicle_rec = make_idempotency("key-1", "POST /v1/vehicles");
  EXPECT_OK(store_->create_vehicle(make_vehicle(tenant), &vehicle_rec));
  EXPECT_OK(store_->create_carrier(make_carrier(add_tenant(), "a"), &rec));
  auto other = store_->find_idempotency(add_tenant(), "POST /v1/carriers", "key-1");
  ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
}

TEST_F(IdempotencyTest, DriverAndVehicleCreatesStoreTheirRecords) {
  auto tenant = add_tenant();
  auto d = make_driver(tenant);
  auto drec = make_idempotency("d", "POST /v1/drivers");
  ASSERT_OK(store_->create_driver(d, device_token_for(d), &drec));
  auto again = make_driver(tenant);
  EXPECT_TRUE(fails_with(store_->create_driver(again, device_token_for(again), &drec),
                         ErrorCode::kIdempotencyConflict, "Idempotency-Key"));
  auto vrec = make_idempotency("v", "POST /v1/vehicles");
  ASSERT_OK(store_->create_vehicle(make_vehicle(tenant), &vrec));
  EXPECT_TRUE(fails_with(store_->create_vehicle(make_vehicle(tenant), &vrec), ErrorCode::kIdempotencyConflict,
                         "Idempotency-Key"));
}

}  // namespace
}  // namespace lastmile::storage::testing
