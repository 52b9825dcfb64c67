// The exception queue in the store: cases opened, counted and auto-resolved by the events that are
// stored, in the same transaction; people's changes with their history; tenant isolation; listing.
#include <map>

#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::ExceptionKind;
using domain::ExceptionStatus;
using domain::Milestone;

domain::Event signal_event(const domain::Shipment& s, std::string type, core::Timestamp when,
                           std::string payload = "{}") {
  auto e = make_event(s, std::nullopt, when);
  e.type = std::move(type);
  e.actor = "driver:drv_test";
  e.source = "eta";
  e.payload_json = std::move(payload);
  return e;
}

ExceptionUpdate update(ExceptionUpdate::Kind kind, core::Timestamp when, std::string note = "") {
  ExceptionUpdate u;
  u.kind = kind;
  u.at = when;
  u.actor = "key_dispatcher";
  u.role = "dispatcher";
  u.note = std::move(note);
  return u;
}

class ExceptionsTest : public StoreTest {
 protected:
  // Appends a non-milestone event (a detector's) and expects success.
  void append(const domain::Event& e) { ASSERT_OK(store_->append_event(e, Milestone::kCreated)); }

  std::vector<domain::ExceptionCase> list(const core::TenantId& tenant, ExceptionFilter f = {}) {
    auto page = store_->list_exceptions(tenant, f, PageRequest{500, std::nullopt});
    EXPECT_OK(page);
    return page ? page->items : std::vector<domain::ExceptionCase>{};
  }

  ExceptionDetail detail(const core::TenantId& tenant, const core::ExceptionId& id) {
    auto d = store_->get_exception(tenant, id);
    EXPECT_OK(d);
    return d ? *d : ExceptionDetail{};
  }
};

TEST_F(ExceptionsTest, LateRiskOpensACaseWithTheEventsDetails) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  append(signal_event(s, "late_risk", at(100), R"({"late_by_s":240})"));
  auto cases = list(tenant);
  ASSERT_EQ(cases.size(), 1u);
  const auto& c = cases[0];
  EXPECT_EQ(c.id.str().rfind("exc_", 0), 0u);
  EXPECT_EQ(c.kind, ExceptionKind::kLateRisk);
  EXPECT_EQ(c.status, ExceptionStatus::kOpen);
  EXPECT_EQ(c.shipment_id, s.id);
  EXPECT_FALSE(c.driver_id);  // not on a route
  EXPECT_EQ(c.first_seen_at, at(100));
  EXPECT_EQ(c.last_seen_at, at(100));
  EXPECT_EQ(c.count, 1);
  EXPECT_EQ(c.details_json, R"({"late_by_s":240})");
  EXPECT_EQ(c.revision, 1);
  auto d = detail(tenant, c.id);
  ASSERT_EQ(d.history.size(), 1u);
  EXPECT_EQ(d.history[0].kind, domain::ExceptionEntryKind::kRaised);
  EXPECT_EQ(d.history[0].at, at(100));
  EXPECT_TRUE(d.history[0].event_id.has_value());
}

TEST_F(ExceptionsTest, ARepeatedRaiseCountsOnTheOpenCaseInsteadOfDuplicating) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  append(signal_event(s, "late_risk", at(100)));
  append(signal_event(s, "late_risk", at(160), R"({"late_by_s":300})"));
  append(signal_event(s, "late_risk", at(160)));  // the same raise again: nothing changes
  auto cases = list(tenant);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].count, 2);
  EXPECT_EQ(cases[0].first_seen_at, at(100));
  EXPECT_EQ(cases[0].last_seen_at, at(160));
  EXPECT_EQ(cases[0].details_json, R"({"late_by_s":300})");
  EXPECT_EQ(cases[0].revision, 2);
  auto d = detail(tenant, cases[0].id);
  ASSERT_EQ(d.history.size(), 2u);
  EXPECT_EQ(d.history[1].kind, domain::ExceptionEntryKind::kRepeated);
}

TEST_F(ExceptionsTest, TheClearingEventResolvesTheCaseAutomaticallyAndALaterRaiseOpensANewOne) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  append(signal_event(s, "late_risk", at(100)));
  append(signal_event(s, "late_risk_cleared", at(200)));
  auto cases = list(tenant);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].status, ExceptionStatus::kResolved);
  EXPECT_EQ(cases[0].resolution, domain::Resolution::kAuto);
  ASSERT_TRUE(cases[0].resolved);
  EXPECT_EQ(cases[0].resolved->at, at(200));
  EXPECT_EQ(cases[0].resolved->role, "system");

  append(signal_event(s, "late_risk", at(300)));
  cases = list(tenant);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].status, ExceptionStatus::kOpen);  // newest first
  EXPECT_EQ(cases[0].first_seen_at, at(300));
  EXPECT_EQ(cases[1].status, ExceptionStatus::kResolved);
}

TEST_F(ExceptionsTest, AClearingEventWithNothingOpenChangesNothing) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  append(signal_event(s, "back_on_route", at(10)));
  append(signal_event(s, "late_risk_cleared", at(20)));
  EXPECT_TRUE(list(tenant).empty());
}

TEST_F(ExceptionsTest, DriverCasesAreOnePerDriverAndRouteWhateverShipmentsCarryThem) {
  auto tenant = add_tenant();
  auto driver = add_driver(tenant);
  auto a = add_shipment(tenant);
  auto b = add_shipment(tenant);
  auto route = add_route(tenant, driver.id, {{a.id}, {b.id}});
  // The pipeline writes off_route on every shipment still ahead, in one write.
  std::vector<std::pair<domain::Event, Milestone>> raise{{signal_event(a, "off_route", at(50)), Milestone::kCreated},
                                                         {signal_event(b, "off_route", at(50)), Milestone::kCreated}};
  ASSERT_OK(store_->record_route_progress(tenant, std::nullopt, raise));
  auto cases = list(tenant);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].kind, ExceptionKind::kOffRoute);
  EXPECT_EQ(cases[0].driver_id, driver.id);
  EXPECT_EQ(cases[0].route_id, route.id);
  EXPECT_EQ(cases[0].shipment_id, a.id);  // the first that carried it
  EXPECT_EQ(cases[0].count, 1);

  append(signal_event(b, "device_offline", at(60)));  // another kind: its own case
  EXPECT_EQ(list(tenant).size(), 2u);

  append(signal_event(b, "back_on_route", at(90)));  // cleared on any of the route's shipments
  ExceptionFilter off_route;
  off_route.kind = ExceptionKind::kOffRoute;
  auto off = list(tenant, off_route);
  ASSERT_EQ(off.size(), 1u);
  EXPECT_EQ(off[0].status, ExceptionStatus::kResolved);
  ExceptionFilter drivers_open;
  drivers_open.status = ExceptionStatus::kOpen;
  drivers_open.driver_id = driver.id;
  auto offline = list(tenant, drivers_open);
  ASSERT_EQ(offline.size(), 1u);
  EXPECT_EQ(offline[0].kind, ExceptionKind::kDeviceOffline);

  append(signal_event(a, "device_offline_cleared", at(120)));  // the device is back
  EXPECT_TRUE(list(tenant, drivers_open).empty());
}

TEST_F(ExceptionsTest, AFailedAttemptRaisesAndTheDeliveryResolvesTheShipmentsCases) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kOutForDelivery, at(1)), Milestone::kCreated));
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kAttemptFailed, at(2)), Milestone::kOutForDelivery));
  append(signal_event(s, "late_risk", at(3)));
  ExceptionFilter open;
  open.status = ExceptionStatus::kOpen;
  EXPECT_EQ(list(tenant, open).size(), 2u);
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kOutForDelivery, at(4)), Milestone::kAttemptFailed));
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kDelivered, at(5)), Milestone::kOutForDelivery));
  EXPECT_TRUE(list(tenant, open).empty());
  for (const auto& c : list(tenant)) EXPECT_EQ(c.resolution, domain::Resolution::kAuto);
}

TEST_F(ExceptionsTest, ARefusedEventRaisesNothing) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  // The compare-and-set fails (the shipment is created, not out for delivery): no event, no case.
  EXPECT_TRUE(fails_with(store_->append_event(make_event(s, Milestone::kAttemptFailed, at(2)),
                                              Milestone::kOutForDelivery),
                         ErrorCode::kConflict));
  EXPECT_TRUE(list(tenant).empty());
}

TEST_F(ExceptionsTest, AcknowledgeThenResolveRecordsWhoWhenAndTheNotes) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  append(signal_event(s, "late_risk", at(100)));
  const auto id = list(tenant)[0].id;

  auto acked = store_->update_exception(tenant, id, update(ExceptionUpdate::Kind::kAcknowledge, at(110), "on it"));
  ASSERT_OK(acked);
  EXPECT_EQ(acked->status, ExceptionStatus::kAcknowledged);
  ASSERT_TRUE(acked->acknowledged);
  EXPECT_EQ(acked->acknowledged->at, at(110));
  EXPECT_EQ(acked->acknowledged->actor, "key_dispatcher");
  EXPECT_EQ(acked->acknowledged->role, "dispatcher");
  EXPECT_EQ(acked->revision, 2);

  auto noted =
      store_->update_exception(tenant, id, update(ExceptionUpdate::Kind::kNote, at(120), "called the customer"));
  ASSERT_OK(noted);
  EXPECT_EQ(noted->status, ExceptionStatus::kAcknowledged);
  EXPECT_EQ(noted->revision, 3);

  auto u = update(ExceptionUpdate::Kind::kResolve, at(130));
  u.resolution = domain::Resolution::kFalseAlarm;
  auto resolved = store_->update_exception(tenant, id, u);
  ASSERT_OK(resolved);
  EXPECT_EQ(resolved->status, ExceptionStatus::kResolved);
  EXPECT_EQ(resolved->resolution, domain::Resolution::kFalseAlarm);
  EXPECT_EQ(resolved->resolved->at, at(130));

  auto d = detail(tenant, id);
  ASSERT_EQ(d.history.size(), 4u);
  EXPECT_EQ(d.history[1].kind, domain::ExceptionEntryKind::kAcknowledged);
  EXPECT_EQ(d.history[1].note, "on it");
  EXPECT_EQ(d.history[2].kind, domain::ExceptionEntryKind::kNote);
  EXPECT_EQ(d.history[2].note, "called the customer");
  EXPECT_EQ(d.history[2].actor, "key_dispatcher");
  EXPECT_EQ(d.history[3].kind, domain::ExceptionEntryKind::kResolved);
  EXPECT_EQ(d.history[3].resolution, domain::Resolution::kFalseAlarm);
  EXPECT_EQ(d.history[3].note, "");
}

TEST_F(ExceptionsTest, IllegalTransitionsAreRefusedAndWriteNothing) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  append(signal_event(s, "late_risk", at(100)));
  const auto id = list(tenant)[0].id;
  ASSERT_OK(store_->update_exception(tenant, id, update(ExceptionUpdate::Kind::kResolve, at(110))));
  EXPECT_TRUE(fails_with(store_->update_exception(tenant, id, update(ExceptionUpdate::Kind::kResolve, at(120), "x")),
                         ErrorCode::kIllegalTransition, "status"));
  EXPECT_TRUE(fails_with(
      store_->update_exception(tenant, id, update(ExceptionUpdate::Kind::kAcknowledge, at(120), "x")),
      ErrorCode::kIllegalTransition, "status"));
  auto d = detail(tenant, id);
  EXPECT_EQ(d.history.size(), 2u);  // raised, resolved
  EXPECT_EQ(d.exception.revision, 2);
  EXPECT_EQ(d.exception.resolved->at, at(110));
}

TEST_F(ExceptionsTest, AnotherTenantsCaseIsNotFound) {
  auto mine = add_tenant();
  auto theirs = add_tenant();
  auto s = add_shipment(theirs);
  append(signal_event(s, "late_risk", at(100)));
  const auto id = list(theirs)[0].id;
  EXPECT_TRUE(list(mine).empty());
  EXPECT_TRUE(fails_with(store_->get_exception(mine, id), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->update_exception(mine, id, update(ExceptionUpdate::Kind::kAcknowledge, at(110))),
                         ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(store_->update_exception(mine, core::ExceptionId("exc_nothing"),
                                                  update(ExceptionUpdate::Kind::kNote, at(110), "x")),
                         ErrorCode::kNotFound));
  EXPECT_EQ(detail(theirs, id).exception.status, ExceptionStatus::kOpen);
}

TEST_F(ExceptionsTest, ListIsNewestFirstFilteredAndPaged) {
  auto tenant = add_tenant();
  std::vector<domain::Shipment> shipments;
  for (int i = 0; i < 5; ++i) {
    shipments.push_back(add_shipment(tenant));
    append(signal_event(shipments.back(), "late_risk", at(100 + i)));
  }
  ExceptionFilter by_shipment;
  by_shipment.shipment_id = shipments[2].id;
  auto one = list(tenant, by_shipment);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].shipment_id, shipments[2].id);

  auto pages = all_pages<domain::ExceptionCase>(
      [&](const PageRequest& p) { return store_->list_exceptions(tenant, ExceptionFilter{}, p); }, 2);
  ASSERT_EQ(pages.size(), 3u);
  std::vector<core::ShipmentId> order;
  for (const auto& p : pages)
    for (const auto& c : p.items) order.push_back(*c.shipment_id);
  ASSERT_EQ(order.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], shipments[static_cast<size_t>(4 - i)].id);

  ExceptionFilter resolved;
  resolved.status = ExceptionStatus::kResolved;
  EXPECT_TRUE(list(tenant, resolved).empty());
}

TEST_F(ExceptionsTest, ACarrierSeesTheCasesOfItsShipmentsAndOfItsDrivers) {
  auto tenant = add_tenant();
  auto mine = add_carrier(tenant);
  auto other = add_carrier(tenant);
  auto my_shipment = make_shipment(tenant);
  my_shipment.carrier_id = mine.id;
  add_shipment(my_shipment);
  auto their_shipment = make_shipment(tenant);
  their_shipment.carrier_id = other.id;
  add_shipment(their_shipment);
  // Their shipment rides with my driver: its late risk is theirs, my driver's off route is mine.
  auto my_driver = add_driver(tenant, mine.id);
  add_route(tenant, my_driver.id, {{their_shipment.id}});
  append(signal_event(my_shipment, "late_risk", at(1)));
  append(signal_event(their_shipment, "late_risk", at(2)));
  append(signal_event(their_shipment, "off_route", at(3)));
  ExceptionFilter as_mine;
  as_mine.carrier_id = mine.id;
  auto seen = list(tenant, as_mine);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, ExceptionKind::kOffRoute);
  EXPECT_EQ(seen[1].shipment_id, my_shipment.id);
  ExceptionFilter as_other;
  as_other.carrier_id = other.id;
  auto theirs = list(tenant, as_other);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].shipment_id, their_shipment.id);
  EXPECT_EQ(theirs[0].kind, ExceptionKind::kLateRisk);
}

TEST_F(ExceptionsTest, TheCasesOfAnEventAreTheOnesItChanged) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  auto raise = signal_event(s, "late_risk", at(100));
  append(raise);
  auto note = make_event(s, std::nullopt, at(101));
  append(note);
  auto clear = signal_event(s, "late_risk_cleared", at(150));
  append(clear);
  auto raised = store_->exceptions_of_event(tenant, raise.id);
  ASSERT_OK(raised);
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ((*raised)[0].status, ExceptionStatus::kResolved);  // its state now
  auto cleared = store_->exceptions_of_event(tenant, clear.id);
  ASSERT_OK(cleared);
  ASSERT_EQ(cleared->size(), 1u);
  auto none = store_->exceptions_of_event(tenant, note.id);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  auto other = store_->exceptions_of_event(add_tenant(), raise.id);
  ASSERT_OK(other);
  EXPECT_TRUE(other->empty());
}

TEST_F(ExceptionsTest, UnresolvedCasesAreCountedByKindAcrossTenants) {
  auto t1 = add_tenant();
  auto t2 = add_tenant();
  auto a = add_shipment(t1);
  auto b = add_shipment(t2);
  append(signal_event(a, "late_risk", at(1)));
  append(signal_event(b, "late_risk", at(1)));
  append(signal_event(b, "stationary", at(2)));
  append(signal_event(a, "off_route", at(3)));
  append(signal_event(a, "back_on_route", at(4)));
  auto counts = store_->count_unresolved_exceptions();
  ASSERT_OK(counts);
  std::map<ExceptionKind, int64_t> by_kind(counts->begin(), counts->end());
  EXPECT_EQ(by_kind.size(), 2u);
  EXPECT_EQ(by_kind[ExceptionKind::kLateRisk], 2);
  EXPECT_EQ(by_kind[ExceptionKind::kStationary], 1);
}

class ExceptionPersistenceTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> open() { return open_store("sqlite:" + (dir_.path() / "lastmile.db").string(), {}); }
  TempDir dir_;
};

TEST_F(ExceptionPersistenceTest, ACaseIsDurableWithTheEventThatRaisedIt) {
  auto tenant = make_tenant("Durable cases");
  auto shipment = make_shipment(tenant.id);
  {
    auto store = open();
    ASSERT_OK(store->create_tenant(tenant, make_credential(tenant.id, domain::Role::kTenantAdmin)));
    ASSERT_OK(store->create_shipment(shipment, created_event(shipment), nullptr));
    ASSERT_OK(store->append_event(signal_event(shipment, "stationary", at(30)), Milestone::kCreated));
    // No flush: the process may die right after the event's commit.
  }
  auto store = open();
  auto page = store->list_exceptions(tenant.id, {}, PageRequest{});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].kind, ExceptionKind::kStationary);
}

}  // namespace
}  // namespace lastmile::storage::testing
