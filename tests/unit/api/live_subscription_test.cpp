// Live push, API side: who a request subscribes to (and every refusal's code), which stored events a
// subscription's replay covers, the message shapes of events and pipeline updates, and finding the
// newest event id.
#include "api/live_subscription.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api/auth.hpp"
#include "api/live_messages.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;
using core::ErrorCode;
using storage::testing::fails_with;
using storage::testing::is_ok;

class LiveSubscriptionTest : public ::testing::Test {
 protected:
  LiveSubscriptionTest()
      : store_(storage::open_store("sqlite::memory:", {})),
        clock_(storage::testing::kT0),
        services_{.store = *store_, .clock = clock_, .metrics = metrics_, .public_url = "http://test"} {
    tenant_ = storage::testing::make_tenant("Acme");
    auto admin = issue_credential(domain::Role::kTenantAdmin, tenant_.id, "admin", clock_.now());
    EXPECT_TRUE(is_ok(store_->create_tenant(tenant_, admin.credential)));
    admin_token_ = admin.token;
    other_ = storage::testing::make_tenant("Other");
    auto other_admin = issue_credential(domain::Role::kTenantAdmin, other_.id, "admin", clock_.now());
    EXPECT_TRUE(is_ok(store_->create_tenant(other_, other_admin.credential)));
  }

  std::string token_for(domain::Role role) {
    auto issued = issue_credential(role, tenant_.id, "key", clock_.now());
    EXPECT_TRUE(is_ok(store_->create_credential(issued.credential)));
    return issued.token;
  }

  domain::Shipment shipment(const domain::Tenant& t) {
    auto s = storage::testing::make_shipment(t.id);
    EXPECT_TRUE(is_ok(store_->create_shipment(s, storage::testing::created_event(s), nullptr)));
    return s;
  }

  domain::Event append(const domain::Shipment& s, std::optional<domain::Milestone> m, domain::Milestone expected) {
    auto e = store_->append_event(storage::testing::make_event(s, m), expected);
    EXPECT_TRUE(is_ok(e));
    return e.ok() ? *e : domain::Event{};
  }

  core::Result<LiveSubscription> resolve(std::string target, std::string token = "", bool sse = false,
                                         std::string last_event_id = "") {
    Request req{http::verb::get, target, 11};
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!last_event_id.empty()) req.set("Last-Event-ID", last_event_id);
    return resolve_live_subscription(services_, req, sse);
  }

  std::unique_ptr<storage::Store> store_;
  core::ManualClock clock_;
  Metrics metrics_;
  Services services_;
  domain::Tenant tenant_;
  domain::Tenant other_;
  std::string admin_token_;
};

TEST_F(LiveSubscriptionTest, ATrackingTokenSubscribesThePublicToOneShipment) {
  auto s = shipment(tenant_);
  auto sub = resolve("/v1/live?token=" + s.tracking_token);
  ASSERT_TRUE(is_ok(sub));
  EXPECT_EQ(sub->audience, push::Audience::kPublic);
  EXPECT_EQ(sub->tenant, tenant_.id);
  EXPECT_EQ(sub->shipments, std::vector<core::ShipmentId>{s.id});
  EXPECT_EQ(live_topics(*sub), std::vector<push::Topic>{push::Topic::shipment(s.id)});
  EXPECT_TRUE(fails_with(resolve("/v1/live?token=AAAAAAAAAAAAAAAAAAAAAA"), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(resolve("/v1/live?token=x"), ErrorCode::kNotFound));
}

TEST_F(LiveSubscriptionTest, OfficeRolesSubscribeToTheWholeTenant) {
  for (auto role : {domain::Role::kTenantAdmin, domain::Role::kDispatcher}) {
    auto sub = resolve("/v1/live", token_for(role));
    ASSERT_TRUE(is_ok(sub));
    EXPECT_EQ(sub->audience, push::Audience::kStaff);
    EXPECT_EQ(live_topics(*sub), std::vector<push::Topic>{push::Topic::tenant(tenant_.id)});
  }
  auto by_query = resolve("/v1/live?access_token=" + admin_token_);
  EXPECT_TRUE(is_ok(by_query));
  for (auto role : {domain::Role::kIntegration, domain::Role::kCarrier})
    EXPECT_TRUE(fails_with(resolve("/v1/live", token_for(role)), ErrorCode::kForbidden));
}

TEST_F(LiveSubscriptionTest, ARouteSubscriptionCoversTheRouteAndItsShipmentsForItsOwnDriverOnly) {
  auto a = shipment(tenant_);
  auto b = shipment(tenant_);
  auto driver = storage::testing::make_driver(tenant_.id);
  auto device = issue_credential(domain::Role::kDriver, tenant_.id, "device", clock_.now(), true);
  device.credential.driver_id = driver.id;
  ASSERT_TRUE(is_ok(store_->create_driver(driver, device.credential, nullptr)));
  auto route = storage::testing::make_route(tenant_.id, driver.id, {{a.id}, {b.id}});
  ASSERT_TRUE(is_ok(store_->create_route(route, nullptr)));

  auto sub = resolve("/v1/live?route=" + route.id.str(), device.token);
  ASSERT_TRUE(is_ok(sub));
  EXPECT_EQ(live_topics(*sub), (std::vector<push::Topic>{push::Topic::route(route.id), push::Topic::shipment(a.id),
                                                         push::Topic::shipment(b.id)}));
  EXPECT_TRUE(fails_with(resolve("/v1/live", device.token), ErrorCode::kForbidden));

  auto other_driver = storage::testing::make_driver(tenant_.id);
  auto other_device = issue_credential(domain::Role::kDriver, tenant_.id, "device", clock_.now(), true);
  other_device.credential.driver_id = other_driver.id;
  ASSERT_TRUE(is_ok(store_->create_driver(other_driver, other_device.credential, nullptr)));
  EXPECT_TRUE(fails_with(resolve("/v1/live?route=" + route.id.str(), other_device.token), ErrorCode::kNotFound));
  auto foreign = issue_credential(domain::Role::kTenantAdmin, other_.id, "k", clock_.now());
  ASSERT_TRUE(is_ok(store_->create_credential(foreign.credential)));
  EXPECT_TRUE(fails_with(resolve("/v1/live?route=" + route.id.str(), foreign.token), ErrorCode::kNotFound));
}

TEST_F(LiveSubscriptionTest, RefusalsHaveTheirCodes) {
  auto s = shipment(tenant_);
  EXPECT_TRUE(fails_with(resolve("/v1/live"), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(fails_with(resolve("/v1/live", "lm_nosuchprefix0_secret"), ErrorCode::kUnauthenticated));
  EXPECT_TRUE(fails_with(resolve("/v1/live?token=" + s.tracking_token + "&route=rte_x"), ErrorCode::kInvalidField,
                         "token"));
  EXPECT_TRUE(fails_with(resolve("/v1/live?after=-3", admin_token_), ErrorCode::kInvalidField, "after"));
  EXPECT_TRUE(fails_with(resolve("/v1/live?after=12x", admin_token_), ErrorCode::kInvalidField, "after"));
  EXPECT_TRUE(fails_with(resolve("/v1/live/sse", admin_token_, true, "abc"), ErrorCode::kInvalidField,
                         "Last-Event-ID"));
}

TEST_F(LiveSubscriptionTest, LastEventIdWinsOverAfterOnSseOnly) {
  auto sse = resolve("/v1/live/sse?after=5", admin_token_, true, "9");
  ASSERT_TRUE(is_ok(sse));
  EXPECT_EQ(sse->after, 9);
  auto ws = resolve("/v1/live?after=5", admin_token_, false, "9");
  ASSERT_TRUE(is_ok(ws));
  EXPECT_EQ(ws->after, 5);
  auto none = resolve("/v1/live", admin_token_);
  ASSERT_TRUE(is_ok(none));
  EXPECT_FALSE(none->after.has_value());
}

TEST_F(LiveSubscriptionTest, EventMessagesHaveAStaffShapeAndForMilestonesAPublicOne) {
  auto s = shipment(tenant_);
  auto e = append(s, domain::Milestone::kProcessed, domain::Milestone::kCreated);
  auto m = live_event_message(e);
  EXPECT_EQ(m.kind, push::LiveMessage::Kind::kEvent);
  EXPECT_EQ(m.event_seq, e.global_seq);
  EXPECT_EQ(m.topics, (std::vector<push::Topic>{push::Topic::tenant(tenant_.id), push::Topic::shipment(s.id)}));
  auto staff = json::parse(*m.staff_json).as_object();
  EXPECT_EQ(staff.at("type").as_string(), "event");
  EXPECT_EQ(staff.at("id").as_int64(), e.global_seq);
  EXPECT_EQ(staff.at("event").at("id").as_string(), e.id.str());
  EXPECT_TRUE(staff.at("event").as_object().contains("actor"));
  ASSERT_TRUE(m.public_json);
  auto pub = json::parse(*m.public_json).as_object();
  EXPECT_EQ(pub.at("id").as_int64(), e.global_seq);
  const auto& shown = pub.at("event").as_object();
  EXPECT_EQ(shown.size(), 3u);
  EXPECT_EQ(shown.at("type").as_string(), "processed");
  EXPECT_EQ(shown.at("tag").as_string(), "InTransit");

  auto note = append(s, std::nullopt, domain::Milestone::kProcessed);
  EXPECT_FALSE(live_event_message(note).public_json) << "customers see milestones only";
}

TEST_F(LiveSubscriptionTest, PipelineUpdatesGoToTheirTopicsAndPositionsCoalescePerDriver) {
  pipeline::LiveUpdate u;
  u.kind = pipeline::LiveUpdate::Kind::kPosition;
  u.tenant = tenant_.id;
  u.driver = core::DriverId("drv_1");
  u.route = core::RouteId("rte_1");
  u.staff_json = R"({"type":"position"})";
  u.public_json = R"({"type":"position","public":true})";
  auto staff_only = live_update_message(u);
  EXPECT_EQ(staff_only.coalesce_key, "drv_1");
  EXPECT_EQ(staff_only.topics, (std::vector<push::Topic>{push::Topic::tenant(tenant_.id),
                                                         push::Topic::route(core::RouteId("rte_1"))}));
  EXPECT_FALSE(staff_only.public_json) << "no shipment may see it: no public text";
  u.public_audience = {core::ShipmentId("shp_1")};
  auto shown = live_update_message(u);
  EXPECT_EQ(shown.topics.back(), push::Topic::shipment(core::ShipmentId("shp_1")));
  ASSERT_TRUE(shown.public_json);
  EXPECT_EQ(*shown.public_json, u.public_json);
  u.kind = pipeline::LiveUpdate::Kind::kStop;
  EXPECT_EQ(live_update_message(u).kind, push::LiveMessage::Kind::kStop);
  EXPECT_TRUE(live_update_message(u).coalesce_key.empty()) << "stops are never replaced";
}

TEST_F(LiveSubscriptionTest, TheReplayReadsPagesAndKeepsWhatTheSubscriptionCovers) {
  auto mine = shipment(tenant_);                                                      // created
  shipment(other_);                                                                   // another tenant's
  auto e1 = append(mine, domain::Milestone::kProcessed, domain::Milestone::kCreated);  // milestone
  auto e2 = append(mine, std::nullopt, domain::Milestone::kProcessed);                 // note
  shipment(tenant_);  // a sibling: only the tenant-wide subscription covers it

  LiveSubscription tenant_wide;
  tenant_wide.tenant = tenant_.id;
  LiveSubscription customer;
  customer.audience = push::Audience::kPublic;
  customer.tenant = tenant_.id;
  customer.shipments = {mine.id};

  auto all = [&](const LiveSubscription& sub, int page_size) {
    LiveEventFilter filter(sub);
    std::vector<int64_t> seqs;
    int64_t after = 0;
    for (int pages = 0; pages < 20; ++pages) {
      auto page = read_replay_page(*store_, filter, after, page_size);
      EXPECT_TRUE(is_ok(page));
      for (const auto& m : page->messages) seqs.push_back(m->event_seq);
      after = page->last_read;
      if (page->exhausted) break;
    }
    return seqs;
  };
  const auto tenant_seqs = all(tenant_wide, 2);
  ASSERT_EQ(tenant_seqs.size(), 4u);  // mine: created, processed, note; sibling: created
  EXPECT_EQ(tenant_seqs[1], e1.global_seq);
  EXPECT_EQ(tenant_seqs[2], e2.global_seq);
  EXPECT_EQ(all(customer, 1), (std::vector<int64_t>{tenant_seqs[0], e1.global_seq}));  // no note, no sibling
}

TEST_F(LiveSubscriptionTest, FindsTheNewestEventId) {
  EXPECT_EQ(*newest_event_seq(*store_), 0);
  auto s = shipment(tenant_);
  int64_t newest = 0;
  auto status = domain::Milestone::kCreated;
  for (auto m : {domain::Milestone::kProcessed, domain::Milestone::kShipped, domain::Milestone::kOutForDelivery}) {
    newest = append(s, m, status).global_seq;
    status = m;
  }
  for (int i = 0; i < 37; ++i) shipment(other_);
  auto last = store_->events_after(newest, 1000);
  ASSERT_TRUE(is_ok(last));
  EXPECT_EQ(*newest_event_seq(*store_), last->back().global_seq);
}

}  // namespace
}  // namespace lastmile::api
