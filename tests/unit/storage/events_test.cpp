// Events: append with compare-and-set, listing, resuming, and publication on commit.
#include "core/new_id.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

using domain::Milestone;

class EventsTest : public StoreTest {
 protected:
  StoreOptions options() override {
    StoreOptions o;
    o.on_commit = [this](const std::vector<domain::Event>& events) {
      ++commits_;
      committed_.insert(committed_.end(), events.begin(), events.end());
    };
    return o;
  }

  size_t event_count(const domain::Shipment& s) {
    auto events = store_->list_events(s.tenant_id, s.id);
    EXPECT_TRUE(is_ok(events));
    return events ? events->size() : 0;
  }

  int commits_ = 0;
  std::vector<domain::Event> committed_;
};

TEST_F(EventsTest, MilestoneEventMovesTheStatusAndUpdatedAt) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  auto e = make_event(s, Milestone::kProcessed, at(60));
  auto stored = store_->append_event(e, Milestone::kCreated);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->id, e.id);
  EXPECT_GT(stored->global_seq, committed_.front().global_seq);  // after the created event
  auto got = store_->get_shipment(tenant, s.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->status, Milestone::kProcessed);
  EXPECT_EQ(got->updated_at, at(60));
  EXPECT_EQ(got->created_at, kT0);
}

TEST_F(EventsTest, WrongExpectedStatusIsConflictAndWritesNothing) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kProcessed, at(1)), Milestone::kCreated));
  const int commits_before = commits_;
  // A writer that read the status before the change above still expects "created".
  auto stale = store_->append_event(make_event(s, Milestone::kShipped, at(2)), Milestone::kCreated);
  EXPECT_TRUE(fails_with(stale, ErrorCode::kConflict));
  EXPECT_EQ(commits_, commits_before);
  EXPECT_EQ(event_count(s), 2u);
  auto got = store_->get_shipment(tenant, s.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->status, Milestone::kProcessed);
  EXPECT_EQ(got->updated_at, at(1));
}

TEST_F(EventsTest, EventWithoutMilestoneLeavesTheStatusAlone) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  auto e = make_event(s, std::nullopt, at(5));
  auto stored = store_->append_event(e, Milestone::kDelivered);  // expected is ignored without a milestone
  ASSERT_OK(stored);
  EXPECT_FALSE(stored->milestone.has_value());
  auto got = store_->get_shipment(tenant, s.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->status, Milestone::kCreated);
  EXPECT_EQ(got->updated_at, kT0);
  EXPECT_EQ(event_count(s), 2u);
}

TEST_F(EventsTest, AppendToAnotherTenantsShipmentIsNotFound) {
  auto s = add_shipment(add_tenant());
  auto e = make_event(s, Milestone::kProcessed);
  e.tenant_id = add_tenant();
  EXPECT_TRUE(fails_with(store_->append_event(e, Milestone::kCreated), ErrorCode::kNotFound));
  EXPECT_EQ(event_count(s), 1u);
}

TEST_F(EventsTest, AppendToUnknownShipmentIsNotFound) {
  auto s = make_shipment(add_tenant());  // never stored
  EXPECT_TRUE(fails_with(store_->append_event(make_event(s, std::nullopt), Milestone::kCreated),
                         ErrorCode::kNotFound));
}

TEST_F(EventsTest, EveryFieldRoundTrips) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  auto e = make_event(s, Milestone::kProcessed, at(30));
  e.recorded_at = at(31);
  e.actor = "key_abc";
  e.source = "carrier:dhl";
  e.location = latlon(43.73, 7.42);
  e.payload_json = R"({"note":"scanned at hub"})";
  ASSERT_OK(store_->append_event(e, Milestone::kCreated));
  auto events = store_->list_events(tenant, s.id);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 2u);
  const auto& got = (*events)[1];
  EXPECT_EQ(got.id, e.id);
  EXPECT_EQ(got.tenant_id, tenant);
  EXPECT_EQ(got.shipment_id, s.id);
  EXPECT_EQ(got.type, "processed");
  EXPECT_EQ(got.milestone, Milestone::kProcessed);
  EXPECT_EQ(got.at, at(30));
  EXPECT_EQ(got.recorded_at, at(31));
  EXPECT_EQ(got.actor, "key_abc");
  EXPECT_EQ(got.source, "carrier:dhl");
  ASSERT_TRUE(got.location.has_value());
  EXPECT_DOUBLE_EQ(got.location->lat(), 43.73);
  EXPECT_EQ(got.payload_json, R"({"note":"scanned at hub"})");
}

TEST_F(EventsTest, EmptyPayloadIsStoredAsEmptyObject) {
  auto s = add_shipment(add_tenant());
  auto e = make_event(s, std::nullopt);
  e.payload_json.clear();
  auto stored = store_->append_event(e, Milestone::kCreated);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->payload_json, "{}");
}

TEST_F(EventsTest, ListIsOldestFirstAndPerShipment) {
  auto tenant = add_tenant();
  auto s = add_shipment(tenant);
  auto other = add_shipment(tenant);
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kProcessed), Milestone::kCreated));
  ASSERT_OK(store_->append_event(make_event(other, Milestone::kShipped), Milestone::kCreated));
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kShipped), Milestone::kProcessed));
  auto events = store_->list_events(tenant, s.id);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].milestone, Milestone::kCreated);
  EXPECT_EQ((*events)[1].milestone, Milestone::kProcessed);
  EXPECT_EQ((*events)[2].milestone, Milestone::kShipped);
  EXPECT_LT((*events)[0].global_seq, (*events)[1].global_seq);
  EXPECT_LT((*events)[1].global_seq, (*events)[2].global_seq);
}

TEST_F(EventsTest, ListForAnotherTenantsShipmentIsNotFound) {
  auto s = add_shipment(add_tenant());
  EXPECT_TRUE(fails_with(store_->list_events(add_tenant(), s.id), ErrorCode::kNotFound));
}

TEST_F(EventsTest, EventsAfterCoversAllTenantsInCommitOrderAndResumes) {
  auto a = add_shipment(add_tenant());
  auto b = add_shipment(add_tenant());
  ASSERT_OK(store_->append_event(make_event(a, Milestone::kProcessed), Milestone::kCreated));
  ASSERT_OK(store_->append_event(make_event(b, Milestone::kProcessed), Milestone::kCreated));
  ASSERT_EQ(committed_.size(), 4u);

  auto all = store_->events_after(0, 100);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 4u);
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].id, committed_[i].id);
    EXPECT_EQ((*all)[i].global_seq, committed_[i].global_seq);
  }

  auto first_two = store_->events_after(0, 2);
  ASSERT_OK(first_two);
  ASSERT_EQ(first_two->size(), 2u);
  auto rest = store_->events_after(first_two->back().global_seq, 100);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].id, committed_[2].id);

  auto none = store_->events_after(committed_.back().global_seq, 100);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  auto zero = store_->events_after(0, 0);
  ASSERT_OK(zero);
  EXPECT_TRUE(zero->empty());
}

TEST_F(EventsTest, TenantEventsAfterReadsOnlyThatTenantsEventsInCommitOrder) {
  const auto ta = add_tenant();
  const auto tb = add_tenant();
  auto a = add_shipment(ta);
  auto b = add_shipment(tb);
  ASSERT_OK(store_->append_event(make_event(a, Milestone::kProcessed), Milestone::kCreated));
  ASSERT_OK(store_->append_event(make_event(b, Milestone::kProcessed), Milestone::kCreated));
  ASSERT_OK(store_->append_event(make_event(a, Milestone::kShipped), Milestone::kProcessed));
  ASSERT_EQ(committed_.size(), 5u);  // a created, b created, a processed, b processed, a shipped

  auto mine = store_->tenant_events_after(ta, 0, 100);
  ASSERT_OK(mine);
  ASSERT_EQ(mine->size(), 3u);
  for (const auto& e : *mine) EXPECT_EQ(e.tenant_id, ta);
  EXPECT_LT((*mine)[0].global_seq, (*mine)[1].global_seq);
  EXPECT_LT((*mine)[1].global_seq, (*mine)[2].global_seq);

  auto after_first = store_->tenant_events_after(ta, (*mine)[0].global_seq, 1);  // resumes, one page
  ASSERT_OK(after_first);
  ASSERT_EQ(after_first->size(), 1u);
  EXPECT_EQ((*after_first)[0].id, (*mine)[1].id);

  auto theirs = store_->tenant_events_after(tb, 0, 100);
  ASSERT_OK(theirs);
  EXPECT_EQ(theirs->size(), 2u);
  auto nobody = store_->tenant_events_after(core::new_id<core::TenantId>(), 0, 100);
  ASSERT_OK(nobody);
  EXPECT_TRUE(nobody->empty());
}

TEST_F(EventsTest, OnCommitGetsEachCommitsEventsWithGlobalSeqInOrder) {
  auto s = add_shipment(add_tenant());
  ASSERT_OK(store_->append_event(make_event(s, Milestone::kProcessed), Milestone::kCreated));
  ASSERT_OK(store_->append_event(make_event(s, std::nullopt), Milestone::kProcessed));
  EXPECT_EQ(commits_, 3);
  ASSERT_EQ(committed_.size(), 3u);
  for (size_t i = 1; i < committed_.size(); ++i) EXPECT_LT(committed_[i - 1].global_seq, committed_[i].global_seq);
  for (const auto& e : committed_) EXPECT_GT(e.global_seq, 0);
}

TEST_F(EventsTest, WritesWithoutEventsDoNotCallOnCommit) {
  auto tenant = add_tenant();
  add_carrier(tenant);
  add_driver(tenant);
  EXPECT_EQ(commits_, 0);
}

TEST(StoreTiming, EveryOperationReportsItsDuration) {
  std::vector<std::string> ops;
  StoreOptions o;
  o.on_timing = [&ops](std::string_view op, double seconds) {
    EXPECT_GE(seconds, 0.0);
    ops.emplace_back(op);
  };
  auto store = open_test_store(o);
  auto t = make_tenant("Timed");
  ASSERT_OK(store->create_tenant(t, make_credential(t.id, domain::Role::kTenantAdmin)));
  ASSERT_OK(store->get_tenant(t.id));
  EXPECT_TRUE(fails_with(store->get_carrier(t.id, core::CarrierId("car_x")), ErrorCode::kNotFound));
  ASSERT_OK(store->ping());
  EXPECT_EQ(ops, (std::vector<std::string>{"create_tenant", "get_tenant", "get_carrier", "ping"}));
}

}  // namespace
}  // namespace lastmile::storage::testing
