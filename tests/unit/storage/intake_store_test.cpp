// Order intake in the store (storage/intake_store.hpp): a batch is one transaction in which a duplicate
// order or a tracking number collision fails only its item; the Shopify integration is per tenant and
// a webhook id is kept so a redelivery writes nothing.
#include "storage/intake_store.hpp"
#include "store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

std::string code_of(const core::Status& st) { return st ? "ok" : std::string(core::code_name(st.error().code)); }

class IntakeStoreTest : public StoreTest {
 protected:
  IntakeStore& intake() { return *store_->intake(); }
  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = add_tenant();
    other_ = add_tenant();
  }
  NewShipment order(const core::TenantId& tenant, std::string external_id) {
    NewShipment n;
    n.shipment = make_shipment(tenant);
    n.shipment.external_order_id = std::move(external_id);
    n.created = created_event(n.shipment);
    return n;
  }
  core::TenantId tenant_, other_;
};

TEST_F(IntakeStoreTest, ABatchCreatesItsItemsAndReportsDuplicatesPerItem) {
  add_shipment([&] {
    auto s = make_shipment(tenant_);
    s.external_order_id = "SO-1";
    return s;
  }());
  auto collide = order(tenant_, "SO-4");
  auto a = order(tenant_, "SO-2"), dup = order(tenant_, "SO-1"), again = order(tenant_, "SO-2");
  collide.shipment.tracking_number = a.shipment.tracking_number;
  auto none1 = order(tenant_, ""), none2 = order(tenant_, "");
  auto out = intake().create_shipments({a, dup, again, collide, none1, none2});
  ASSERT_OK(out);
  std::vector<std::string> codes;
  for (const auto& st : *out) codes.push_back(code_of(st) + (st ? "" : ":" + st.error().field));
  EXPECT_EQ(codes, (std::vector<std::string>{"ok", "conflict:external_order_id", "conflict:external_order_id",
                                             "conflict:tracking_number", "ok", "ok"}));
  EXPECT_OK(store_->get_shipment(tenant_, a.shipment.id));
  EXPECT_FALSE(store_->get_shipment(tenant_, dup.shipment.id).ok());
  EXPECT_FALSE(store_->get_shipment(tenant_, collide.shipment.id).ok()) << "a failed item leaves nothing";
  auto events = store_->list_events(tenant_, a.shipment.id);
  ASSERT_OK(events);
  EXPECT_EQ(events->size(), 1u);
  // Another tenant may use the same order ids.
  auto theirs = intake().create_shipments({order(other_, "SO-1")});
  ASSERT_OK(theirs);
  EXPECT_EQ(code_of((*theirs)[0]), "ok");
}

TEST_F(IntakeStoreTest, ShopIntegrationsArePerTenantAndUniquePerShop) {
  ShopIntegration mine{tenant_, "a.myshopify.com", "secret-one-0123456789", at(0), at(0)};
  ASSERT_OK(intake().put_shop_integration(mine));
  auto got = intake().get_shop_integration(tenant_);
  ASSERT_OK(got);
  EXPECT_EQ(got->secret, "secret-one-0123456789");
  auto found = intake().find_shop_integration("a.myshopify.com");
  ASSERT_OK(found);
  EXPECT_EQ(found->tenant_id, tenant_);
  ShopIntegration theirs{other_, "a.myshopify.com", "secret-two-0123456789", at(1), at(1)};
  auto taken = intake().put_shop_integration(theirs);
  EXPECT_EQ(code_of(taken), "conflict");
  EXPECT_EQ(taken.error().field, "shop_domain");
  auto none = intake().get_shop_integration(other_);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, core::ErrorCode::kNotFound);
  mine.shop_domain = "b.myshopify.com";
  ASSERT_OK(intake().put_shop_integration(mine));  // replaces
  EXPECT_FALSE(intake().find_shop_integration("a.myshopify.com").ok());
  ASSERT_OK(intake().delete_shop_integration(tenant_));
  EXPECT_EQ(code_of(intake().delete_shop_integration(tenant_)), "not_found");
}

TEST_F(IntakeStoreTest, AWebhookIdIsKeptSoARedeliveryWritesNothing) {
  auto first = order(tenant_, "shopify:1");
  core::ShipmentId id;
  auto o = intake().create_shop_order("hook-1", first, id);
  ASSERT_OK(o);
  EXPECT_EQ(*o, ShopOrderOutcome::kCreated);
  EXPECT_EQ(id, first.shipment.id);

  auto replay = order(tenant_, "shopify:1");
  core::ShipmentId seen;
  o = intake().create_shop_order("hook-1", replay, seen);
  ASSERT_OK(o);
  EXPECT_EQ(*o, ShopOrderOutcome::kDuplicateWebhook);
  EXPECT_EQ(seen, first.shipment.id);

  core::ShipmentId existing;
  o = intake().create_shop_order("hook-2", replay, existing);
  ASSERT_OK(o);
  EXPECT_EQ(*o, ShopOrderOutcome::kDuplicateOrder);
  EXPECT_EQ(existing, first.shipment.id);
  EXPECT_FALSE(store_->get_shipment(tenant_, replay.shipment.id).ok());

  core::ShipmentId elsewhere;  // the same webhook id in another tenant is another delivery
  o = intake().create_shop_order("hook-1", order(other_, "shopify:1"), elsewhere);
  ASSERT_OK(o);
  EXPECT_EQ(*o, ShopOrderOutcome::kCreated);
}

}  // namespace
}  // namespace lastmile::storage::testing
