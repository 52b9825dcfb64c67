// Privacy in the store (docs/privacy.md): retention settings, expiring proof images, erasing one
// recipient — the hash chains still verify, nothing of another tenant is touched.
#include <gtest/gtest.h>

#include "storage/chat_store.hpp"
#include "storage/privacy_store.hpp"
#include "storage/survey_store.hpp"
#include "unit/storage/store_test_support.hpp"

namespace lastmile::storage {
namespace {

using testing::at;
using testing::is_ok;

class PrivacyTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    privacy_ = store_->privacy();
    ASSERT_NE(privacy_, nullptr);
  }

  // A delivered proof with one photo (sha `photo`) and a recipient name, at `when`.
  domain::Event deliver(const domain::Shipment& s, const std::string& photo, core::Timestamp when) {
    ProofWrite w;
    w.event = testing::make_event(s, domain::Milestone::kDelivered, when);
    w.event.payload_json =
        R"({"proof":{"recipient_name":"Marie Dupont","notes":"left with the concierge","photos":[{"sha256":")" +
        photo + R"("}]}})";
    w.expected_status = domain::Milestone::kCreated;
    w.kind = "delivery";
    w.blobs.push_back({"photo", BlobRecord{photo, "image/jpeg", 100, 10, 10, {}}});
    auto stored = store_->record_proof(w, nullptr);
    EXPECT_TRUE(is_ok(stored));
    return w.event;
  }

  bool chain_ok(const domain::Shipment& s) {
    auto v = store_->verify_shipment(s.tenant_id, s.id);
    EXPECT_TRUE(is_ok(v));
    return v && v->problems.empty();
  }

  PrivacyStore* privacy_ = nullptr;
  const std::string photo_a_ = std::string(64, 'a');
  const std::string photo_b_ = std::string(64, 'b');
};

TEST_F(PrivacyTest, RetentionSettingsAreStoredPerTenantAndDefaultToUnset) {
  auto a = add_tenant();
  auto b = add_tenant();
  auto unset = privacy_->get_retention(a);
  ASSERT_TRUE(is_ok(unset));
  EXPECT_FALSE(unset->track_days);
  EXPECT_FALSE(unset->updated_at);
  ASSERT_TRUE(is_ok(privacy_->put_retention(a, RetentionSettings{30, 7, std::nullopt, {}}, at(5))));
  auto got = privacy_->get_retention(a);
  ASSERT_TRUE(is_ok(got));
  EXPECT_EQ(got->track_days, 30);
  EXPECT_EQ(got->photo_days, 7);
  EXPECT_FALSE(got->chat_days);
  EXPECT_EQ(got->updated_at, at(5));
  auto all = privacy_->list_retention();
  ASSERT_TRUE(is_ok(all));
  ASSERT_EQ(all->size(), 2u);
  for (const auto& t : *all) EXPECT_EQ(t.settings.photo_days, t.tenant == a ? std::optional(7) : std::nullopt);
  EXPECT_FALSE(privacy_->get_retention(b)->photo_days);
}

TEST_F(PrivacyTest, EffectiveRetentionFallsBackToTheDefaults) {
  const RetentionDefaults d{90, 0, 14, std::chrono::seconds(60)};
  auto e = effective_retention(RetentionSettings{std::nullopt, 30, 0, {}}, d);
  EXPECT_EQ(e.track_days, 90);
  EXPECT_EQ(e.photo_days, 30);
  EXPECT_EQ(e.chat_days, 0);  // the tenant keeps chats forever although the default is 14
}

TEST_F(PrivacyTest, ExpiringOldPhotosKeepsTheProofAndTheChain) {
  auto t = add_tenant();
  auto old_one = add_shipment(t);
  auto new_one = add_shipment(t);
  deliver(old_one, photo_a_, at(0));
  deliver(new_one, photo_b_, at(86'400 * 10));
  auto n = privacy_->expire_photos_before(t, at(86'400), at(86'400 * 11), 100);
  ASSERT_TRUE(is_ok(n));
  EXPECT_EQ(*n, 1);
  auto expired = privacy_->expired_blobs(t, old_one.id);
  ASSERT_TRUE(is_ok(expired));
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].sha256, photo_a_);
  EXPECT_EQ((*expired)[0].reason, "retention");
  EXPECT_TRUE(privacy_->expired_blobs(t, new_one.id)->empty());
  auto gone = privacy_->unreferenced_expired_blobs(10);
  ASSERT_TRUE(is_ok(gone));
  EXPECT_EQ(*gone, std::vector<std::string>{photo_a_});
  EXPECT_TRUE(chain_ok(old_one));
  EXPECT_TRUE(is_ok(privacy_->mark_blobs_removed(*gone)));
  EXPECT_TRUE(privacy_->unreferenced_expired_blobs(10)->empty());  // not listed twice
  EXPECT_EQ(*privacy_->expire_photos_before(t, at(86'400), at(86'400 * 11), 100), 0);  // idempotent
}

TEST_F(PrivacyTest, ABlobStillUsedByAnotherTenantIsNotUnreferenced) {
  auto a = add_tenant();
  auto b = add_tenant();
  auto sa = add_shipment(a);
  auto sb = add_shipment(b);
  deliver(sa, photo_a_, at(0));
  deliver(sb, photo_a_, at(0));  // the same bytes, stored once on disk
  ASSERT_EQ(*privacy_->expire_photos_before(a, at(86'400), at(86'400 * 2), 100), 1);
  EXPECT_TRUE(privacy_->unreferenced_expired_blobs(10)->empty());
  EXPECT_TRUE(privacy_->expired_blobs(b, sb.id)->empty());
}

TEST_F(PrivacyTest, ChatTextsOlderThanTheCutoffExpireInPlace) {
  auto t = add_tenant();
  auto s = add_shipment(t);
  auto* chat = store_->chat();
  ASSERT_NE(chat, nullptr);
  ChatMessageDraft old_msg;
  old_msg.author_label = "Customer";
  old_msg.body = "My door code is 1234";
  old_msg.at = at(0);
  ChatMessageDraft new_msg = old_msg;
  new_msg.body = "Thanks!";
  new_msg.at = at(86'400 * 3);
  ASSERT_TRUE(is_ok(chat->add_chat_message(t, s.id, old_msg)));
  ASSERT_TRUE(is_ok(chat->add_chat_message(t, s.id, new_msg)));
  EXPECT_EQ(*privacy_->expire_chat_messages_before(t, at(86'400), 100), 1);
  auto list = chat->list_chat_messages(t, s.id, 0, 10);
  ASSERT_TRUE(is_ok(list));
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].body, "[expired]");
  EXPECT_EQ((*list)[0].seq, 1);
  EXPECT_EQ((*list)[1].body, "Thanks!");
  EXPECT_EQ(*privacy_->expire_chat_messages_before(t, at(86'400), 100), 0);
}

TEST_F(PrivacyTest, ErasureRedactsTheRecipientAndTheChainStillVerifies) {
  auto t = add_tenant();
  auto other = add_tenant();
  auto s = add_shipment(t);
  auto same_person_elsewhere = add_shipment(other);  // same e-mail, other tenant
  deliver(s, photo_a_, at(60));
  ChatMessageDraft m;
  m.author_label = "Customer";
  m.body = "Ring twice";
  m.at = at(10);
  ASSERT_TRUE(is_ok(store_->chat()->add_chat_message(t, s.id, m)));

  auto r = privacy_->erase_recipient(t, RecipientKey{"MARIE@example.com", ""}, at(120), "key_admin");
  ASSERT_TRUE(is_ok(r));
  ASSERT_EQ(r->shipments.size(), 1u);
  EXPECT_EQ(r->events_redacted, 1);
  EXPECT_EQ(r->messages_redacted, 1);
  EXPECT_EQ(r->images_expired, 1);
  EXPECT_EQ(r->unreferenced_blobs, std::vector<std::string>{photo_a_});
  ASSERT_EQ(r->erasure_events.size(), 1u);
  EXPECT_EQ(r->erasure_events[0].type, "personal_data_erased");

  auto sh = store_->get_shipment(t, s.id);
  ASSERT_TRUE(is_ok(sh));
  EXPECT_EQ(sh->recipient.name, "[erased]");
  EXPECT_EQ(sh->recipient.email, "");
  EXPECT_EQ(sh->recipient.phone, "");
  EXPECT_EQ(sh->address.line1, "[erased]");
  auto events = store_->list_events(t, s.id);
  ASSERT_TRUE(is_ok(events));
  for (const auto& e : *events) EXPECT_EQ(e.payload_json.find("Marie"), std::string::npos) << e.payload_json;
  EXPECT_NE((*events)[1].payload_json.find(photo_a_), std::string::npos);  // the digest stays
  EXPECT_EQ(store_->chat()->list_chat_messages(t, s.id, 0, 10)->at(0).body, "[erased]");
  EXPECT_TRUE(chain_ok(s));

  // The other tenant's shipment of the same person is untouched.
  auto kept = store_->get_shipment(other, same_person_elsewhere.id);
  ASSERT_TRUE(is_ok(kept));
  EXPECT_EQ(kept->recipient.name, "Marie Dupont");
  EXPECT_EQ(kept->recipient.email, "marie@example.com");

  // Idempotent: nothing left to find.
  auto again = privacy_->erase_recipient(t, RecipientKey{"marie@example.com", ""}, at(180), "key_admin");
  ASSERT_TRUE(is_ok(again));
  EXPECT_TRUE(again->shipments.empty());
  EXPECT_TRUE(again->erasure_events.empty());
  EXPECT_TRUE(chain_ok(s));
}

TEST_F(PrivacyTest, ErasureByPhoneMatchesExactlyAndLeavesOthers) {
  auto t = add_tenant();
  auto a = add_shipment(t);
  auto b = testing::make_shipment(t);
  b.recipient = {"Luca Rossi", "+393331234567", "luca@example.com", "Europe/Rome"};
  add_shipment(b);
  auto found = privacy_->find_recipient_shipments(t, RecipientKey{"", "+33612345678"}, 10);
  ASSERT_TRUE(is_ok(found));
  EXPECT_EQ(*found, std::vector<core::ShipmentId>{a.id});
  auto r = privacy_->erase_recipient(t, RecipientKey{"", "+33612345678"}, at(5), "key_admin");
  ASSERT_TRUE(is_ok(r));
  EXPECT_EQ(r->shipments.size(), 1u);
  EXPECT_TRUE(r->erasure_events.empty());  // the created event held no personal field
  EXPECT_EQ(store_->get_shipment(t, b.id)->recipient.name, "Luca Rossi");
  EXPECT_TRUE(chain_ok(a));
}

}  // namespace
}  // namespace lastmile::storage
