// E-mail/SMS notifications end to end on a real store with scripted channels: rows enqueued with
// their events (keys, recipients, skips for opted-out addresses), quiet hours, the worker's
// retries, dead letters, unconfigured channels, a crash mid-try (same key again) and the
// settings' version check.
#include "notify/notification_worker.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "notify/notification_rules.hpp"
#include "storage/notification_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::notify {
namespace {

using domain::Milestone;
using storage::testing::at;
using storage::testing::kT0;

class ScriptedEmail final : public EmailChannel {
 public:
  bool configured() const override { return configured_; }
  std::string from_address() const override { return "no-reply@shop.example"; }
  ChannelAnswer send(const MailMessage& m) override {
    sent.push_back(m);
    if (script.empty()) return ChannelAnswer{ChannelAnswer::Kind::kSent, 250, "", ""};
    auto a = script.front();
    script.pop_front();
    return a;
  }
  bool configured_ = true;
  std::deque<ChannelAnswer> script;
  std::vector<MailMessage> sent;
};

class ScriptedSms final : public SmsChannel {
 public:
  bool configured() const override { return configured_; }
  ChannelAnswer send(const SmsMessage& m) override {
    sent.push_back(m);
    return ChannelAnswer{ChannelAnswer::Kind::kSent, 201, "", "SM" + std::to_string(sent.size())};
  }
  bool configured_ = true;
  std::vector<SmsMessage> sent;
};

class NotificationTest : public storage::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    notes_ = store_->notifications();
    ASSERT_NE(notes_, nullptr);
    ASSERT_OK(notes_->set_notification_public_url("https://track.example"));
    tenant_ = add_tenant();
    auto s = parse_settings(R"({"rules":{"processed":["email","sms"],"delivered":["email"]},"quiet_hours":null})");
    ASSERT_OK(s);
    ASSERT_OK(notes_->put_notification_settings(tenant_, *s, 0, kT0));
  }

  void move(const domain::Shipment& s, Milestone from, Milestone to, core::Timestamp when) {
    ASSERT_OK(store_->append_event(storage::testing::make_event(s, to, when), from));
  }

  std::vector<storage::NotificationMessage> log(const domain::Shipment& s) {
    auto l = notes_->list_shipment_notifications(tenant_, s.id);
    EXPECT_OK(l);
    return l ? *l : std::vector<storage::NotificationMessage>{};
  }

  NotificationWorker worker(int max_attempts = 3) {
    NotificationWorkerOptions o;
    o.max_attempts = max_attempts;
    return NotificationWorker(*notes_, email_, sms_, clock_, o);
  }

  storage::NotificationStore* notes_ = nullptr;
  core::TenantId tenant_;
  ScriptedEmail email_;
  ScriptedSms sms_;
  core::ManualClock clock_{at(10)};
};

TEST_F(NotificationTest, AMilestoneEnqueuesOneRowPerChannelWithItsKeyAndRenderedText) {
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  auto rows = log(s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].channel, "email");
  EXPECT_EQ(rows[0].recipient, "marie@example.com");
  EXPECT_EQ(rows[0].idempotency_key, rows[0].event_id.str() + ":email:processed");
  EXPECT_EQ(rows[1].channel, "sms");
  EXPECT_EQ(rows[1].recipient, "+33612345678");
  EXPECT_EQ(rows[1].idempotency_key, rows[1].event_id.str() + ":sms:processed");
  const auto m = parse_message_payload(rows[0].payload);
  EXPECT_NE(m.text.find("https://track.example/t/" + s.tracking_token), std::string::npos);
  EXPECT_TRUE(m.unsubscribe_url.starts_with("https://track.example/v1/unsubscribe/"));
  EXPECT_EQ(rows[0].next_attempt_at, at(1));
}

TEST_F(NotificationTest, AnOptedOutAddressAndAMissingOneAreSkippedAndLogged) {
  ASSERT_OK(notes_->set_opt_out(tenant_, "sms", "+33612345678", true, kT0));
  auto s = storage::testing::make_shipment(tenant_);
  s.recipient.email = "";
  s = add_shipment(s);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  EXPECT_TRUE(log(s).empty());
  auto skipped = notes_->list_skipped_notifications(tenant_, s.id);
  ASSERT_OK(skipped);
  ASSERT_EQ(skipped->size(), 2u);
  EXPECT_EQ((*skipped)[0].reason, "no_address");
  EXPECT_EQ((*skipped)[1].reason, "opted_out");
}

TEST_F(NotificationTest, QuietHoursDeferTheSmsNotTheEmail) {
  // kT0 is 16:13 in Monaco (CEST); quiet 16:00–18:00 ends at 16:00 UTC.
  auto q = parse_settings(R"({"rules":{"processed":["email","sms"]},"quiet_hours":{"start":"16:00","end":"18:00"}})");
  ASSERT_OK(q);
  ASSERT_OK(notes_->put_notification_settings(tenant_, *q, 1, kT0));
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(0));
  auto rows = log(s);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].next_attempt_at, at(0));
  EXPECT_EQ(core::format_iso8601(rows[1].next_attempt_at), "2026-09-21T16:00:00.000Z");
  auto w = worker();
  EXPECT_EQ(w.run_once(), 1);  // the e-mail only
  EXPECT_TRUE(sms_.sent.empty());
}

TEST_F(NotificationTest, TheWorkerSendsBothChannelsAndRecordsTheSid) {
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  auto w = worker();
  EXPECT_EQ(w.run_once(), 2);
  ASSERT_EQ(email_.sent.size(), 1u);
  EXPECT_EQ(email_.sent[0].to_address, "marie@example.com");
  EXPECT_EQ(email_.sent[0].idempotency_key, log(s)[0].idempotency_key);
  ASSERT_EQ(sms_.sent.size(), 1u);
  auto rows = log(s);
  EXPECT_EQ(rows[0].state, "delivered");
  EXPECT_EQ(rows[1].state, "delivered");
  EXPECT_EQ(rows[1].provider_id, "SM1");
  ASSERT_OK(notes_->update_sms_status("SM1", "delivered", ""));
  EXPECT_EQ(log(s)[1].provider_state, "delivered");
}

TEST_F(NotificationTest, RetriesThenDeadAfterMaxAttemptsAndPermanentIsDeadAtOnce) {
  auto s = add_shipment(tenant_);
  sms_.configured_ = false;
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  email_.script = {ChannelAnswer{ChannelAnswer::Kind::kRetry, 451, "try later", ""},
                   ChannelAnswer{ChannelAnswer::Kind::kRetry, 451, "try later", ""},
                   ChannelAnswer{ChannelAnswer::Kind::kRetry, 451, "try later", ""}};
  auto w = worker(3);
  for (int i = 0; i < 3; ++i) {
    w.run_once();
    clock_.advance_ms(3'600'000);
  }
  EXPECT_EQ(email_.sent.size(), 3u);
  EXPECT_EQ(log(s)[0].state, "dead");
  EXPECT_EQ(log(s)[0].attempts, 3);
  EXPECT_EQ(log(s)[1].state, "pending") << "an unconfigured channel's rows wait";
  EXPECT_EQ(log(s)[1].attempts, 0);

  move(s, Milestone::kProcessed, Milestone::kShipped, at(2));  // no rule
  email_.script = {ChannelAnswer{ChannelAnswer::Kind::kPermanent, 550, "no such mailbox", ""}};
  auto s2 = add_shipment(tenant_);
  move(s2, Milestone::kCreated, Milestone::kProcessed, at(3));
  w.run_once();
  EXPECT_EQ(log(s2)[0].state, "dead");
  EXPECT_EQ(log(s2)[0].attempts, 1);
}

TEST_F(NotificationTest, AMessageCutOffByACrashIsSentAgainWithTheSameKey) {
  auto s = add_shipment(tenant_);
  move(s, Milestone::kCreated, Milestone::kProcessed, at(1));
  auto claimed = notes_->claim_due_notifications(clock_.now(), 10, {"email", "sms"});
  ASSERT_OK(claimed);
  ASSERT_EQ(claimed->size(), 2u);  // "sending", then the process dies
  auto w = worker();
  EXPECT_EQ(w.run_once(), 0) << "sending rows are not claimed twice";
  w.start();  // requeues the interrupted rows, then its thread sends them
  for (int i = 0; i < 200 && (email_.sent.empty() || sms_.sent.empty()); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(email_.sent.size(), 1u);
  EXPECT_EQ(email_.sent[0].idempotency_key, (*claimed)[0].idempotency_key);
}

TEST_F(NotificationTest, AStaleSettingsVersionIsAConflict) {
  auto s = parse_settings("{}");
  ASSERT_OK(s);
  auto stale = notes_->put_notification_settings(tenant_, *s, 0, kT0);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, core::ErrorCode::kConflict);
  auto saved = notes_->put_notification_settings(tenant_, *s, 1, kT0);
  ASSERT_OK(saved);
  EXPECT_EQ(saved->version, 2);
  auto got = notes_->get_notification_settings(tenant_);
  ASSERT_OK(got);
  EXPECT_EQ(got->version, 2);
  EXPECT_TRUE(got->rules.contains("delivered"));  // {} means the default rules
}

}  // namespace
}  // namespace lastmile::notify
