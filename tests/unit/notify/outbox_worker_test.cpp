// The transactional outbox end to end on a real store: messages are enqueued with their events,
// the worker sends them signed, retries with backoff, dead-letters, honours 410, survives a crash
// in the middle of a try (same key and body again), and a replay re-sends the same message.
#include "notify/outbox_worker.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "core/crypto.hpp"
#include "notify/webhook_signature.hpp"
#include "storage/webhook_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::notify {
namespace {

using domain::Milestone;
using storage::testing::at;
using storage::testing::kT0;

// Records every request; answers from a script (then 200).
class ScriptedReceiver final : public WebhookSender {
 public:
  WebhookAnswer post(const WebhookRequest& r) override {
    requests.push_back(r);
    if (script.empty()) return WebhookAnswer{200, "ok", ""};
    auto a = script.front();
    script.pop_front();
    return a;
  }
  std::string header(size_t i, const std::string& name) const {
    for (const auto& [n, v] : requests.at(i).headers)
      if (n == name) return v;
    return "";
  }
  std::deque<WebhookAnswer> script;
  std::vector<WebhookRequest> requests;
};

class OutboxTest : public storage::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    webhooks_ = store_->webhooks();
    ASSERT_NE(webhooks_, nullptr);
    tenant_ = add_tenant();
  }

  storage::WebhookSubscription subscribe(std::vector<std::string> events, const core::TenantId* tenant = nullptr) {
    storage::WebhookSubscription w;
    w.id = core::new_id<core::WebhookId>();
    w.tenant_id = tenant ? *tenant : tenant_;
    w.url = "https://hooks.example.com/in";
    w.events = std::move(events);
    w.secret = "whsec_test";
    w.created_at = kT0;
    EXPECT_OK(webhooks_->create_webhook(w));
    return w;
  }

  void move(const domain::Shipment& s, Milestone from, Milestone to, core::Timestamp when) {
    ASSERT_OK(store_->append_event(storage::testing::make_event(s, to, when), from));
  }

  std::vector<storage::OutboxMessage> log(const core::WebhookId& id) {
    auto page = webhooks_->list_deliveries(tenant_, id, storage::PageRequest{500, std::nullopt});
    EXPECT_OK(page);
    return page ? page->items : std::vector<storage::OutboxMessage>{};
  }

  OutboxWorker worker(int max_attempts = 3) {
    OutboxWorkerOptions o;
    o.max_attempts = max_attempts;
    return OutboxWorker(*webhooks_, receiver_, clock_, o);
  }

  storage::WebhookStore* webhooks_ = nullptr;
  core::TenantId tenant_;
  ScriptedReceiver receiver_;
  core::ManualClock clock_{at(10)};
};

TEST_F(OutboxTest, AMilestoneEnqueuesOneMessagePerMatchingSubscription) {
  auto all = subscribe({"shipment.*"});
  auto delivered_only = subscribe({"shipment.delivered"});
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  ASSERT_EQ(log(all.id).size(), 2u);  // shipment.created, shipment.processed (newest first)
  EXPECT_EQ(log(all.id)[1].event_type, "shipment.created");
  EXPECT_TRUE(log(delivered_only.id).empty());
  const auto m = log(all.id)[0];
  EXPECT_EQ(m.state, "pending");
  EXPECT_EQ(m.event_type, "shipment.processed");
  EXPECT_EQ(m.idempotency_key, m.event_id.str() + ":shipment.processed:" + all.id.str());
  EXPECT_NE(m.payload.find("\"version\":\"2026-11-01\""), std::string::npos);
  EXPECT_NE(m.payload.find(s.tracking_number), std::string::npos);
  EXPECT_EQ(m.payload.find(s.recipient.name), std::string::npos) << "no recipient data in the envelope";
}

TEST_F(OutboxTest, AFailedEventWritesNoMessage) {
  auto sub = subscribe({"*"});
  auto s = add_shipment(tenant_);
  ASSERT_EQ(log(sub.id).size(), 1u);  // shipment.created
  // Compare-and-set fails (the shipment is "created", not "shipped"): no event, no message.
  EXPECT_FALSE(store_->append_event(storage::testing::make_event(s, Milestone::kOutForDelivery, at(1)),
                                    Milestone::kShipped));
  EXPECT_EQ(log(sub.id).size(), 1u);
}

TEST_F(OutboxTest, AnotherTenantsSubscriptionGetsNothingAndIsNotFound) {
  auto other = add_tenant();
  auto theirs = subscribe({"*"}, &other);
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  auto page = webhooks_->list_deliveries(other, theirs.id, storage::PageRequest{50, std::nullopt});
  ASSERT_OK(page);
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(webhooks_->list_deliveries(tenant_, theirs.id, storage::PageRequest{50, std::nullopt}).error().code,
            core::ErrorCode::kNotFound);
}

TEST_F(OutboxTest, TheWorkerSendsSignedAndMarksDelivered) {
  auto sub = subscribe({"shipment.processed"});
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  auto w = worker();
  EXPECT_EQ(w.run_once(), 1);
  ASSERT_EQ(receiver_.requests.size(), 1u);
  const auto& r = receiver_.requests[0];
  const auto m = log(sub.id)[0];
  EXPECT_EQ(r.body, m.payload);
  EXPECT_EQ(receiver_.header(0, "Webhook-Id"), m.idempotency_key);
  const std::string ts = receiver_.header(0, "Webhook-Timestamp");
  EXPECT_EQ(ts, std::to_string(clock_.now().ms / 1000));
  EXPECT_EQ(receiver_.header(0, "Webhook-Signature"), "v1=" + core::hmac_sha256_hex("whsec_test", ts + "." + r.body));
  EXPECT_EQ(m.state, "delivered");
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.last_status, 200);
  EXPECT_EQ(w.run_once(), 0) << "a delivered message is not sent again";
}

TEST_F(OutboxTest, FailuresRetryWithBackoffThenDeadLetterAndReplayRevives) {
  auto sub = subscribe({"shipment.processed"});
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  receiver_.script = {{500, "", ""}, {std::nullopt, "", "timeout"}, {503, "", ""}};
  auto w = worker(3);
  auto counts = webhooks_->outbox_counts();  // the /metrics gauges
  ASSERT_OK(counts);
  EXPECT_EQ(counts->pending, 1);
  EXPECT_EQ(counts->dead, 0);
  EXPECT_EQ(w.run_once(), 1);
  auto m = log(sub.id)[0];
  EXPECT_EQ(m.state, "pending");
  EXPECT_EQ(m.last_status, 500);
  EXPECT_GE(m.next_attempt_at.ms - clock_.now().ms, 8'000);
  EXPECT_LE(m.next_attempt_at.ms - clock_.now().ms, 12'000);
  EXPECT_EQ(w.run_once(), 0) << "not due yet";
  clock_.advance_ms(13'000);
  EXPECT_EQ(w.run_once(), 1);
  EXPECT_EQ(log(sub.id)[0].last_error, "timeout");
  clock_.advance_ms(40'000);
  EXPECT_EQ(w.run_once(), 1);
  m = log(sub.id)[0];
  EXPECT_EQ(m.state, "dead");
  EXPECT_EQ(m.attempts, 3);
  counts = webhooks_->outbox_counts();
  ASSERT_OK(counts);
  EXPECT_EQ(counts->pending, 0);
  EXPECT_EQ(counts->dead, 1);
  clock_.advance_ms(10'000'000);
  EXPECT_EQ(w.run_once(), 0) << "dead stays dead";

  auto replayed = webhooks_->replay_delivery(tenant_, sub.id, m.id, clock_.now());
  ASSERT_OK(replayed);
  EXPECT_EQ(replayed->state, "pending");
  EXPECT_EQ(w.run_once(), 1);
  EXPECT_EQ(log(sub.id)[0].state, "delivered");
  ASSERT_EQ(receiver_.requests.size(), 4u);
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(receiver_.requests[i].body, receiver_.requests[0].body);
    EXPECT_EQ(receiver_.header(i, "Webhook-Id"), receiver_.header(0, "Webhook-Id"));
  }
}

TEST_F(OutboxTest, GoneDisablesTheSubscription) {
  auto sub = subscribe({"shipment.*"});
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  move(s, Milestone::kProcessed, Milestone::kShipped, at(2));
  receiver_.script = {{410, "", ""}};
  auto w = worker();
  EXPECT_EQ(w.run_once(), 1) << "the later messages are not sent once the subscription is gone";
  auto got = webhooks_->get_webhook(tenant_, sub.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->status, "disabled");
  EXPECT_EQ(got->disabled_reason, "gone");
  move(s, Milestone::kShipped, Milestone::kOutForDelivery, at(3));
  EXPECT_EQ(log(sub.id).size(), 3u) << "a disabled subscription gets no new messages";
}

TEST_F(OutboxTest, AMessageCutOffMidTryIsDueAgainAfterARestart) {
  auto sub = subscribe({"shipment.processed"});
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  auto claimed = webhooks_->claim_due_messages(clock_.now(), 10);  // the crashed worker's claim
  ASSERT_OK(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(log(sub.id)[0].state, "sending");
  auto requeued = webhooks_->requeue_interrupted(clock_.now());
  ASSERT_OK(requeued);
  EXPECT_EQ(*requeued, 1);
  auto w = worker();
  EXPECT_EQ(w.run_once(), 1);
  EXPECT_EQ(receiver_.header(0, "Webhook-Id"), (*claimed)[0].message.idempotency_key);
  EXPECT_EQ(receiver_.requests[0].body, (*claimed)[0].message.payload);
}

TEST_F(OutboxTest, DeletingASubscriptionStopsNewMessages) {
  auto sub = subscribe({"*"});
  auto disabled = webhooks_->disable_webhook(tenant_, sub.id, at(5));
  ASSERT_OK(disabled);
  EXPECT_EQ(disabled->status, "disabled");
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(6));
  EXPECT_TRUE(log(sub.id).empty());
}

TEST(JudgeAnswer, TwoXxDeliversGoneDisablesTheRestRetriesUntilTheLastTry) {
  EXPECT_EQ(judge_answer({204, "", ""}, 1, 8), AnswerVerdict::kDelivered);
  EXPECT_EQ(judge_answer({410, "", ""}, 1, 8), AnswerVerdict::kGone);
  EXPECT_EQ(judge_answer({404, "", ""}, 1, 8), AnswerVerdict::kRetry);
  EXPECT_EQ(judge_answer({301, "", ""}, 1, 8), AnswerVerdict::kRetry);
  EXPECT_EQ(judge_answer({std::nullopt, "", "refused"}, 7, 8), AnswerVerdict::kRetry);
  EXPECT_EQ(judge_answer({500, "", ""}, 8, 8), AnswerVerdict::kDead);
}

TEST(Handshake, TheAnswerMustBeTwoXxAndEchoTheCheck) {
  EXPECT_TRUE(handshake_accepted({200, R"({"check":"abc123"})", ""}, "abc123"));
  EXPECT_TRUE(handshake_accepted({200, "abc123", ""}, "abc123"));
  EXPECT_FALSE(handshake_accepted({200, "{}", ""}, "abc123"));
  EXPECT_FALSE(handshake_accepted({500, "abc123", ""}, "abc123"));
  EXPECT_FALSE(handshake_accepted({std::nullopt, "", "refused"}, "abc123"));
}

}  // namespace
}  // namespace lastmile::notify
