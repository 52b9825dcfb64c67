// Shipments, their parcels and their filters through the Store interface.
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;

class ShipmentsTest : public StoreTest {
 protected:
  StoreOptions options() override {
    StoreOptions o;
    o.on_commit = [this](const std::vector<domain::Event>& events) {
      committed_.insert(committed_.end(), events.begin(), events.end());
    };
    return o;
  }

  std::vector<core::ShipmentId> ids_of(const Page<domain::Shipment>& page) {
    std::vector<core::ShipmentId> out;
    for (const auto& s : page.items) out.push_back(s.id);
    return out;
  }

  std::vector<core::ShipmentId> list_ids(const core::TenantId& tenant, const ShipmentFilter& f) {
    auto page = store_->list_shipments(tenant, f, {500, std::nullopt});
    EXPECT_TRUE(is_ok(page));
    return page ? ids_of(*page) : std::vector<core::ShipmentId>{};
  }

  std::vector<domain::Event> committed_;
};

TEST_F(ShipmentsTest, CreateThenGetReturnsEveryField) {
  auto tenant = add_tenant();
  auto carrier = add_carrier(tenant);
  auto s = make_shipment(tenant);
  s.external_order_id = "SO-1001";
  s.carrier_id = carrier.id;
  s.address.line2 = "3rd floor";
  s.instructions = {"1234", "reception", "ring twice"};
  s.promised = domain::TimeWindow{at(3600), at(7200)};
  s.service_level = "express";
  s.parcels = {{"PKG-1", 1.25, "shoes"}, {"PKG-2", 0.5, "socks"}, {"PKG-3", 3, ""}};
  ASSERT_OK(store_->create_shipment(s, created_event(s), nullptr));

  auto got = store_->get_shipment(tenant, s.id);
  ASSERT_OK(got);
  EXPECT_GT(got->seq, 0);
  EXPECT_EQ(got->id, s.id);
  EXPECT_EQ(got->tenant_id, tenant);
  EXPECT_EQ(got->tracking_number, s.tracking_number);
  EXPECT_EQ(got->tracking_token, s.tracking_token);
  EXPECT_EQ(got->external_order_id, "SO-1001");
  EXPECT_EQ(got->carrier_id, carrier.id);
  EXPECT_EQ(got->status, Milestone::kCreated);
  EXPECT_EQ(got->recipient.name, "Marie Dupont");
  EXPECT_EQ(got->recipient.phone, "+33612345678");
  EXPECT_EQ(got->recipient.email, "marie@example.com");
  EXPECT_EQ(got->recipient.time_zone, "Europe/Monaco");
  EXPECT_EQ(got->address.line1, "12 Avenue de la Costa");
  EXPECT_EQ(got->address.line2, "3rd floor");
  EXPECT_EQ(got->address.city, "Monaco");
  EXPECT_EQ(got->address.postal_code, "98000");
  EXPECT_EQ(got->address.country, "MC");
  ASSERT_TRUE(got->address.location.has_value());
  EXPECT_DOUBLE_EQ(got->address.location->lat(), 43.7384);
  EXPECT_DOUBLE_EQ(got->address.location->lon(), 7.4246);
  EXPECT_EQ(got->instructions.gate_code, "1234");
  EXPECT_EQ(got->instructions.safe_place, "reception");
  EXPECT_EQ(got->instructions.note, "ring twice");
  ASSERT_TRUE(got->promised.has_value());
  EXPECT_EQ(got->promised->start, at(3600));
  EXPECT_EQ(got->promised->end, at(7200));
  EXPECT_EQ(got->service_level, "express");
  ASSERT_EQ(got->parcels.size(), 3u);
  EXPECT_EQ(got->parcels[0].barcode, "PKG-1");
  EXPECT_DOUBLE_EQ(got->parcels[0].weight_kg, 1.25);
  EXPECT_EQ(got->parcels[0].description, "shoes");
  EXPECT_EQ(got->parcels[1].barcode, "PKG-2");
  EXPECT_EQ(got->parcels[2].barcode, "PKG-3");
  EXPECT_FALSE(got->route_id.has_value());
  EXPECT_FALSE(got->stop_id.has_value());
  EXPECT_EQ(got->created_at, kT0);
  EXPECT_EQ(got->updated_at, kT0);
}

TEST_F(ShipmentsTest, OptionalFieldsStayAbsent) {
  auto tenant = add_tenant();
  auto s = make_shipment(tenant);
  s.address.location.reset();
  s.recipient.phone.clear();
  add_shipment(s);
  auto got = store_->get_shipment(tenant, s.id);
  ASSERT_OK(got);
  EXPECT_FALSE(got->address.location.has_value());
  EXPECT_FALSE(got->promised.has_value());
  EXPECT_FALSE(got->carrier_id.has_value());
  EXPECT_TRUE(got->parcels.empty());
  EXPECT_EQ(got->recipient.phone, "");
  EXPECT_EQ(got->external_order_id, "");
}

TEST_F(ShipmentsTest, CreateStoresTheCreatedEventAndPublishesIt) {
  auto tenant = add_tenant();
  auto s = make_shipment(tenant);
  auto created = created_event(s);
  ASSERT_OK(store_->create_shipment(s, created, nullptr));
  ASSERT_EQ(committed_.size(), 1u);
  EXPECT_EQ(committed_[0].id, created.id);
  EXPECT_GT(committed_[0].global_seq, 0);
  auto events = store_->list_events(tenant, s.id);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].id, created.id);
  EXPECT_EQ((*events)[0].milestone, Milestone::kCreated);
  EXPECT_EQ((*events)[0].global_seq, committed_[0].global_seq);
}

TEST_F(ShipmentsTest, FindByExternalIdIsPerTenant) {
  auto mine = add_tenant();
  auto theirs = add_tenant();
  auto s = make_shipment(mine);
  s.external_order_id = "SO-7";
  add_shipment(s);
  auto found = store_->find_shipment_by_external_id(mine, "SO-7");
  ASSERT_OK(found);
  EXPECT_EQ(found->id, s.id);
  EXPECT_TRUE(fails_with(store_->find_shipment_by_external_id(theirs, "SO-7"), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->find_shipment_by_external_id(mine, "SO-8"), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->find_shipment_by_external_id(mine, ""), ErrorCode::kNotFound));
}

TEST_F(ShipmentsTest, FindByTokenWorksForAnyTenant) {
  auto s = add_shipment(add_tenant());
  auto found = store_->find_shipment_by_token(s.tracking_token);
  ASSERT_OK(found);
  EXPECT_EQ(found->id, s.id);
  EXPECT_EQ(found->tenant_id, s.tenant_id);
  EXPECT_TRUE(fails_with(store_->find_shipment_by_token("unknown-token"), ErrorCode::kNotFound));
}

TEST_F(ShipmentsTest, DuplicateExternalOrderIdIsConflictAndWritesNothing) {
  auto tenant = add_tenant();
  auto first = make_shipment(tenant);
  first.external_order_id = "SO-1";
  add_shipment(first);
  committed_.clear();
  auto second = make_shipment(tenant);
  second.external_order_id = "SO-1";
  EXPECT_TRUE(fails_with(store_->create_shipment(second, created_event(second), nullptr), ErrorCode::kConflict,
                         "external_order_id"));
  EXPECT_TRUE(fails_with(store_->get_shipment(tenant, second.id), ErrorCode::kNotFound));
  EXPECT_TRUE(committed_.empty());
  auto all = store_->events_after(0, 100);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(ShipmentsTest, ExternalOrderIdIsUniquePerTenantOnlyAndEmptyIsNotAnId) {
  auto other = make_shipment(add_tenant());
  other.external_order_id = "SO-1";
  add_shipment(other);
  auto tenant = add_tenant();
  auto mine = make_shipment(tenant);
  mine.external_order_id = "SO-1";
  EXPECT_OK(store_->create_shipment(mine, created_event(mine), nullptr));
  auto a = make_shipment(tenant);
  auto b = make_shipment(tenant);
  EXPECT_OK(store_->create_shipment(a, created_event(a), nullptr));
  EXPECT_OK(store_->create_shipment(b, created_event(b), nullptr));
}

TEST_F(ShipmentsTest, TrackingNumberCollisionIsConflictOnTrackingNumber) {
  auto first = add_shipment(add_tenant());
  auto second = make_shipment(add_tenant());
  second.tracking_number = first.tracking_number;
  EXPECT_TRUE(fails_with(store_->create_shipment(second, created_event(second), nullptr), ErrorCode::kConflict,
                         "tracking_number"));
}

TEST_F(ShipmentsTest, ReusedIdempotencyKeyIsIdempotencyConflictAndWritesNothing) {
  auto tenant = add_tenant();
  auto rec = make_idempotency("k", "POST /v1/shipments");
  auto first = make_shipment(tenant);
  ASSERT_OK(store_->create_shipment(first, created_event(first), &rec));
  auto second = make_shipment(tenant);
  EXPECT_TRUE(fails_with(store_->create_shipment(second, created_event(second), &rec),
                         ErrorCode::kIdempotencyConflict, "Idempotency-Key"));
  EXPECT_TRUE(fails_with(store_->get_shipment(tenant, second.id), ErrorCode::kNotFound));
  auto found = store_->find_idempotency(tenant, "POST /v1/shipments", "k");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->request_hash, rec.request_hash);
}

TEST_F(ShipmentsTest, ShipmentOfAnotherTenantIsNotFound) {
  auto s = add_shipment(add_tenant());
  EXPECT_TRUE(fails_with(store_->get_shipment(add_tenant(), s.id), ErrorCode::kNotFound));
}

TEST_F(ShipmentsTest, CarrierOfAnotherTenantCannotBeReferenced) {
  auto theirs = add_carrier(add_tenant());
  auto s = make_shipment(add_tenant());
  s.carrier_id = theirs.id;
  EXPECT_TRUE(fails_with(store_->create_shipment(s, created_event(s), nullptr), ErrorCode::kNotFound));
}

TEST_F(ShipmentsTest, UpdateInstructionsChangesOnlyInstructions) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  ASSERT_OK(store_->update_instructions(tenant, s.id, {"9999", "garage", "dog in garden"}, Milestone::kCreated));
  auto got = store_->get_shipment(tenant, s.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->instructions.gate_code, "9999");
  EXPECT_EQ(got->instructions.safe_place, "garage");
  EXPECT_EQ(got->instructions.note, "dog in garden");
  EXPECT_EQ(got->recipient.name, s.recipient.name);
  EXPECT_EQ(got->status, Milestone::kCreated);
}

TEST_F(ShipmentsTest, UpdateInstructionsIsRefusedWhenTheStatusMovedSinceTheCheck) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kProcessed), Milestone::kCreated));
  // The caller checked the shipment while it was still `created`; `processed` committed meanwhile.
  EXPECT_TRUE(fails_with(store_->update_instructions(tenant, s.id, {"4321", "porch", ""}, Milestone::kCreated),
                         ErrorCode::kIllegalTransition));
  auto got = store_->get_shipment(tenant, s.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->instructions.gate_code, "");
  ASSERT_OK(store_->update_instructions(tenant, s.id, {"4321", "porch", ""}, Milestone::kProcessed));
}

TEST_F(ShipmentsTest, UpdateInstructionsOfAnotherTenantIsNotFound) {
  auto s = add_shipment(add_tenant());
  EXPECT_TRUE(fails_with(store_->update_instructions(add_tenant(), s.id, {"1", "", ""}, Milestone::kCreated),
                         ErrorCode::kNotFound));
  auto got = store_->get_shipment(s.tenant_id, s.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->instructions.gate_code, "");
}

TEST_F(ShipmentsTest, ListNeverIncludesAnotherTenantsShipments) {
  auto mine = add_tenant();
  auto theirs = add_tenant();
  auto a = add_shipment(mine);
  add_shipment(theirs);
  auto b = add_shipment(mine);
  EXPECT_EQ(list_ids(mine, {}), (std::vector{b.id, a.id}));
}

TEST_F(ShipmentsTest, ListIncludesParcels) {
  auto tenant = add_tenant();
  auto s = make_shipment(tenant);
  s.parcels = {{"P1", 1, "a"}, {"P2", 2, "b"}};
  add_shipment(s);
  auto page = store_->list_shipments(tenant, {}, {10, std::nullopt});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  ASSERT_EQ(page->items[0].parcels.size(), 2u);
  EXPECT_EQ(page->items[0].parcels[1].barcode, "P2");
}

TEST_F(ShipmentsTest, FilterByStatus) {
  auto tenant = add_tenant();
  auto a = add_shipment(tenant);
  auto b = add_shipment(tenant);
  ASSERT_OK(store_->append_event(make_event(b, Milestone::kProcessed), Milestone::kCreated));
  ShipmentFilter f;
  f.status = Milestone::kProcessed;
  EXPECT_EQ(list_ids(tenant, f), (std::vector{b.id}));
  f.status = Milestone::kCreated;
  EXPECT_EQ(list_ids(tenant, f), (std::vector{a.id}));
  f.status = Milestone::kDelivered;
  EXPECT_TRUE(list_ids(tenant, f).empty());
}

TEST_F(ShipmentsTest, FilterByCarrier) {
  auto tenant = add_tenant();
  auto c1 = add_carrier(tenant);
  auto c2 = add_carrier(tenant);
  auto s1 = make_shipment(tenant);
  s1.carrier_id = c1.id;
  add_shipment(s1);
  auto s2 = make_shipment(tenant);
  s2.carrier_id = c2.id;
  add_shipment(s2);
  add_shipment(tenant);
  ShipmentFilter f;
  f.carrier_id = c1.id;
  EXPECT_EQ(list_ids(tenant, f), (std::vector{s1.id}));
}

TEST_F(ShipmentsTest, FilterByRoute) {
  auto tenant = add_tenant();
  auto driver = add_driver(tenant);
  auto on_route = add_shipment(tenant);
  add_shipment(tenant);
  auto route = add_route(tenant, driver.id, {{on_route.id}});
  ShipmentFilter f;
  f.route_id = route.id;
  EXPECT_EQ(list_ids(tenant, f), (std::vector{on_route.id}));
}

TEST_F(ShipmentsTest, FilterByCreatedRangeIsFromInclusiveToExclusive) {
  auto tenant = add_tenant();
  auto s0 = add_shipment(tenant, at(0));
  auto s1 = add_shipment(tenant, at(10));
  auto s2 = add_shipment(tenant, at(20));
  ShipmentFilter f;
  f.created_from = at(10);
  EXPECT_EQ(list_ids(tenant, f), (std::vector{s2.id, s1.id}));
  f.created_to = at(20);
  EXPECT_EQ(list_ids(tenant, f), (std::vector{s1.id}));
  f.created_from.reset();
  EXPECT_EQ(list_ids(tenant, f), (std::vector{s1.id, s0.id}));
}

TEST_F(ShipmentsTest, TextMatchesTrackingNumberOrExternalIdExactly) {
  auto tenant = add_tenant();
  auto a = make_shipment(tenant);
  a.external_order_id = "SO-42";
  add_shipment(a);
  auto b = add_shipment(tenant);
  ShipmentFilter f;
  f.text = b.tracking_number;
  EXPECT_EQ(list_ids(tenant, f), (std::vector{b.id}));
  f.text = "SO-42";
  EXPECT_EQ(list_ids(tenant, f), (std::vector{a.id}));
  f.text = "SO-4";  // not a substring match for ids
  EXPECT_TRUE(list_ids(tenant, f).empty());
  f.text = b.tracking_number.substr(0, 6);
  EXPECT_TRUE(list_ids(tenant, f).empty());
}

TEST_F(ShipmentsTest, TextMatchesPartOfTheRecipientNameIgnoringCase) {
  auto tenant = add_tenant();
  auto marie = make_shipment(tenant);
  marie.recipient.name = "Marie Dupont";
  add_shipment(marie);
  auto elodie = make_shipment(tenant);
  elodie.recipient.name = "Élodie Müller";
  add_shipment(elodie);
  ShipmentFilter f;
  f.text = "dupont";
  EXPECT_EQ(list_ids(tenant, f), (std::vector{marie.id}));
  f.text = "MARIE D";
  EXPECT_EQ(list_ids(tenant, f), (std::vector{marie.id}));
  f.text = "élodie";
  EXPECT_EQ(list_ids(tenant, f), (std::vector{elodie.id}));
  f.text = "MÜLLER";
  EXPECT_EQ(list_ids(tenant, f), (std::vector{elodie.id}));
}

TEST_F(ShipmentsTest, TextWildcardsAreLiteral) {
  auto tenant = add_tenant();
  auto a = make_shipment(tenant);
  a.recipient.name = "100% Cotton_Shop";
  add_shipment(a);
  add_shipment(tenant);  // "Marie Dupont"
  ShipmentFilter f;
  f.text = "%";
  EXPECT_EQ(list_ids(tenant, f), (std::vector{a.id}));
  f.text = "_";
  EXPECT_EQ(list_ids(tenant, f), (std::vector{a.id}));
  f.text = "e_D";  // would match "Marie Dupont" if '_' were a wildcard
  EXPECT_TRUE(list_ids(tenant, f).empty());
}

TEST_F(ShipmentsTest, FiltersCombineAndStayInTheTenant) {
  auto mine = add_tenant();
  auto theirs = add_tenant();
  auto carrier = add_carrier(mine);
  auto match = make_shipment(mine, at(5));
  match.carrier_id = carrier.id;
  match.recipient.name = "Anna Bianchi";
  add_shipment(match);
  auto wrong_carrier = make_shipment(mine, at(5));
  wrong_carrier.recipient.name = "Anna Bianchi";
  add_shipment(wrong_carrier);
  auto other_tenant = make_shipment(theirs, at(5));
  other_tenant.recipient.name = "Anna Bianchi";
  add_shipment(other_tenant);
  ShipmentFilter f;
  f.carrier_id = carrier.id;
  f.status = Milestone::kCreated;
  f.created_from = at(0);
  f.created_to = at(10);
  f.text = "anna";
  EXPECT_EQ(list_ids(mine, f), (std::vector{match.id}));
}

}  // namespace
}  // namespace lastmile::storage::testing
