// Carriers' own events and code mappings in the store (storage/carrier_event_store.hpp): a kept event
// and the shipment event it caused are one transaction; a repeated event id writes nothing; a stale
// compare-and-set writes nothing; everything is per tenant and per carrier.
#include "storage/carrier_event_store.hpp"
#include "store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::CarrierEventOutcome;
using domain::Milestone;

// The error code of a failed result ("ok" when it succeeded).
template <typename R>
std::string code_of(const R& r) {
  return r.ok() ? "ok" : std::string(core::code_name(r.error().code));
}

class CarrierEventStoreTest : public StoreTest {
 protected:
  CarrierEventStore& carriers() { return *store_->carrier_events(); }

  void SetUp() override {
    StoreTest::SetUp();
    tenant_ = add_tenant();
    carrier_ = add_carrier(tenant_);
    auto s = make_shipment(tenant_);
    s.carrier_id = carrier_.id;
    s.external_order_id = "ORD-1";
    shipment_ = add_shipment(s);
  }

  CarrierEventRecord record(std::string event_id, CarrierEventOutcome outcome, int64_t t = 60) {
    CarrierEventRecord r;
    r.tenant_id = tenant_;
    r.carrier_id = carrier_.id;
    r.input.event_id = std::move(event_id);
    r.input.tracking_number = shipment_.tracking_number;
    r.input.code = "OFD";
    r.input.occurred_at = at(t);
    r.shipment_id = shipment_.id;
    r.outcome = outcome;
    r.received_at = at(t + 1);
    return r;
  }

  size_t events_of_shipment() {
    auto events = store_->list_events(tenant_, shipment_.id);
    EXPECT_OK(events);
    return events ? events->size() : 0;
  }

  core::TenantId tenant_;
  domain::Carrier carrier_;
  domain::Shipment shipment_;
};

TEST_F(CarrierEventStoreTest, MappingsAreReplacedWhole) {
  ASSERT_OK(carriers().put_code_mappings(tenant_, carrier_.id,
                                         {{"OFD", Milestone::kOutForDelivery, "", "Out"},
                                          {"NH", Milestone::kAttemptFailed, "recipient_absent", ""}},
                                         at(0)));
  ASSERT_OK(carriers().put_code_mappings(tenant_, carrier_.id, {{"DL", Milestone::kDelivered, "", ""}}, at(1)));
  auto m = carriers().list_code_mappings(tenant_, carrier_.id);
  ASSERT_OK(m);
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].code, "DL");
  EXPECT_EQ((*m)[0].milestone, Milestone::kDelivered);
}

TEST_F(CarrierEventStoreTest, AnotherTenantsCarrierIsNotFound) {
  auto other = add_tenant();
  EXPECT_EQ(code_of(carriers().list_code_mappings(other, carrier_.id)), "not_found");
  EXPECT_EQ(code_of(carriers().put_code_mappings(other, carrier_.id, {}, at(0))), "not_found");
  auto r = record("e1", CarrierEventOutcome::kRecorded);
  r.tenant_id = other;
  EXPECT_EQ(code_of(carriers().record_carrier_event(r, std::nullopt, Milestone::kCreated)), "not_found");
  EXPECT_EQ(code_of(carriers().find_carrier_shipment(other, carrier_.id, shipment_.tracking_number, "")), "not_found");
}

TEST_F(CarrierEventStoreTest, TheShipmentIsFoundByNumberOrOrderForItsCarrierOnly) {
  auto byNumber = carriers().find_carrier_shipment(tenant_, carrier_.id, shipment_.tracking_number, "");
  ASSERT_OK(byNumber);
  EXPECT_EQ(byNumber->id, shipment_.id);
  auto byOrder = carriers().find_carrier_shipment(tenant_, carrier_.id, "", "ORD-1");
  ASSERT_OK(byOrder);
  EXPECT_EQ(byOrder->id, shipment_.id);
  auto other = add_carrier(tenant_);
  EXPECT_EQ(code_of(carriers().find_carrier_shipment(tenant_, other.id, shipment_.tracking_number, "")), "not_found");
}

TEST_F(CarrierEventStoreTest, AnAppliedEventAndItsRecordAreKeptTogetherAndARepeatWritesNothing) {
  auto event = make_event(shipment_, Milestone::kOutForDelivery, at(60));
  auto kept = carriers().record_carrier_event(record("e1", CarrierEventOutcome::kApplied), event, Milestone::kCreated);
  ASSERT_OK(kept);
  EXPECT_EQ(kept->event_id, event.id);
  EXPECT_GT(kept->seq, 0);
  EXPECT_EQ(events_of_shipment(), 2u);  // created + out_for_delivery

  auto again = carriers().record_carrier_event(record("e1", CarrierEventOutcome::kApplied),
                                               make_event(shipment_, Milestone::kOutForDelivery, at(60)),
                                               Milestone::kOutForDelivery);
  ASSERT_OK(again);
  EXPECT_EQ(again->outcome, CarrierEventOutcome::kDuplicate);
  EXPECT_EQ(again->why, "applied");
  EXPECT_EQ(again->seq, kept->seq);
  EXPECT_EQ(events_of_shipment(), 2u);
}

TEST_F(CarrierEventStoreTest, AStaleCompareAndSetKeepsNothing) {
  auto event = make_event(shipment_, Milestone::kOutForDelivery, at(60));
  // The shipment is only created, not shipped: nothing is kept.
  EXPECT_EQ(code_of(carriers().record_carrier_event(record("e1", CarrierEventOutcome::kApplied), event,
                                                    Milestone::kShipped)),
            "conflict");
  auto kept = carriers().list_carrier_events(tenant_, carrier_.id, std::nullopt, std::nullopt, 0, 50);
  ASSERT_OK(kept);
  EXPECT_TRUE(kept->empty());
  EXPECT_EQ(events_of_shipment(), 1u);
}

TEST_F(CarrierEventStoreTest, UnmappedEventsAreTasksUntilResolved) {
  auto first = carriers().record_carrier_event(record("e1", CarrierEventOutcome::kUnmapped, 10), std::nullopt,
                                               Milestone::kCreated);
  ASSERT_OK(first);
  ASSERT_OK(carriers().record_carrier_event(record("e2", CarrierEventOutcome::kUnmapped, 20), std::nullopt,
                                            Milestone::kCreated));
  auto tasks = carriers().list_mapping_tasks(tenant_, carrier_.id);
  ASSERT_OK(tasks);
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].code, "OFD");
  EXPECT_EQ((*tasks)[0].events, 2);

  auto resolved = *first;
  resolved.outcome = CarrierEventOutcome::kApplied;
  ASSERT_OK(carriers().resolve_carrier_event(resolved, make_event(shipment_, Milestone::kOutForDelivery, at(10)),
                                             Milestone::kCreated));
  tasks = carriers().list_mapping_tasks(tenant_, carrier_.id);
  ASSERT_OK(tasks);
  EXPECT_EQ((*tasks)[0].events, 1);
  auto applied = carriers().list_carrier_events(tenant_, carrier_.id, shipment_.id, CarrierEventOutcome::kApplied, 0, 50);
  ASSERT_OK(applied);
  ASSERT_EQ(applied->size(), 1u);
  EXPECT_EQ(applied->front().input.event_id, "e1");
  EXPECT_TRUE(applied->front().event_id.has_value());
}

}  // namespace
}  // namespace lastmile::storage::testing
