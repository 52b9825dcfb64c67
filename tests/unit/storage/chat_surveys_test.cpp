// The chat threads and surveys of the store (storage/chat_store.hpp, storage/survey_store.hpp).
#include "storage/chat_store.hpp"
#include "storage/survey_store.hpp"
#include "store_test_support.hpp"

namespace lastmile::storage::testing {
namespace {

class ChatStoreTest : public StoreTest {
 protected:
  ChatStore& chat() { return *store_->chat(); }
  SurveyStore& surveys() { return *store_->surveys(); }

  static ChatMessageDraft draft(std::string body, std::string client_id = "",
                                domain::ChatRole role = domain::ChatRole::kCustomer, int64_t t = 0) {
    ChatMessageDraft d;
    d.author_role = role;
    d.author_label = role == domain::ChatRole::kCustomer ? "Marie" : "Luca";
    d.author_id = "token";
    d.channel = domain::ChatChannel::kWeb;
    d.body = std::move(body);
    d.client_id = std::move(client_id);
    d.at = at(t);
    return d;
  }

  domain::Shipment delivered_shipment(const core::TenantId& tenant) {
    auto s = add_shipment(tenant);
    auto e = make_event(s, domain::Milestone::kDelivered, at(60));
    EXPECT_OK(store_->append_event(e, domain::Milestone::kCreated));
    return s;
  }

  SurveyRecord survey(const domain::Shipment& s, int stars) {
    SurveyRecord r;
    r.tenant_id = s.tenant_id;
    r.shipment_id = s.id;
    r.answer.stars = stars;
    r.answer.nps = 9;
    r.answer.tags = {"on_time", "friendly_driver"};
    r.answer.comment = "Thanks";
    r.created_at = at(120);
    return r;
  }

  domain::Event survey_event(const domain::Shipment& s, std::string type) {
    auto e = make_event(s, std::nullopt, at(120));
    e.type = std::move(type);
    e.payload_json = R"({"stars":1})";
    return e;
  }
};

TEST_F(ChatStoreTest, MessagesAreNumberedPerShipmentAndListedAfterASeq) {
  auto t = add_tenant();
  auto a = add_shipment(t);
  auto b = add_shipment(t);
  auto m1 = chat().add_chat_message(t, a.id, draft("hello"));
  auto m2 = chat().add_chat_message(t, a.id, draft("reply", "", domain::ChatRole::kDriver, 5));
  auto other = chat().add_chat_message(t, b.id, draft("other"));
  ASSERT_OK(m1);
  ASSERT_OK(m2);
  ASSERT_OK(other);
  EXPECT_EQ(m1->seq, 1);
  EXPECT_EQ(m2->seq, 2);
  EXPECT_EQ(other->seq, 1);
  EXPECT_TRUE(m1->id.starts_with("msg_"));
  auto all = chat().list_chat_messages(t, a.id, 0, 100);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].body, "hello");
  EXPECT_EQ((*all)[1].author_role, domain::ChatRole::kDriver);
  EXPECT_EQ((*all)[1].created_at, at(5));
  auto after = chat().list_chat_messages(t, a.id, 1, 100);
  ASSERT_OK(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].seq, 2);
}

TEST_F(ChatStoreTest, AClientIdIsIdempotent) {
  auto t = add_tenant();
  auto s = add_shipment(t);
  auto first = chat().add_chat_message(t, s.id, draft("hello", "c-1"));
  auto again = chat().add_chat_message(t, s.id, draft("hello", "c-1"));
  ASSERT_OK(first);
  ASSERT_OK(again);
  EXPECT_FALSE(first->replayed);
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->id, first->id);
  EXPECT_TRUE(fails_with(chat().add_chat_message(t, s.id, draft("something else", "c-1")),
                         ErrorCode::kIdempotencyMismatch, "client_id"));
  auto all = chat().list_chat_messages(t, s.id, 0, 100);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(ChatStoreTest, AnotherTenantsShipmentIsNotFound) {
  auto t1 = add_tenant();
  auto t2 = add_tenant();
  auto s = add_shipment(t1);
  ASSERT_OK(chat().add_chat_message(t1, s.id, draft("mine")));
  EXPECT_TRUE(fails_with(chat().add_chat_message(t2, s.id, draft("intruder")), ErrorCode::kNotFound));
  EXPECT_TRUE(fails_with(chat().list_chat_messages(t2, s.id, 0, 100), ErrorCode::kNotFound));
  auto threads = chat().list_chat_threads(t2, 100);
  ASSERT_OK(threads);
  EXPECT_TRUE(threads->empty());
}

TEST_F(ChatStoreTest, ThreadsCountCustomerMessagesAwaitingAReply) {
  auto t = add_tenant();
  auto s = add_shipment(t);
  ASSERT_OK(chat().add_chat_message(t, s.id, draft("one")));
  ASSERT_OK(chat().add_chat_message(t, s.id, draft("answer", "", domain::ChatRole::kDispatcher, 1)));
  ASSERT_OK(chat().add_chat_message(t, s.id, draft("two", "", domain::ChatRole::kCustomer, 2)));
  ASSERT_OK(chat().add_chat_message(t, s.id, draft("three", "", domain::ChatRole::kCustomer, 3)));
  auto threads = chat().list_chat_threads(t, 100);
  ASSERT_OK(threads);
  ASSERT_EQ(threads->size(), 1u);
  EXPECT_EQ((*threads)[0].shipment_id, s.id);
  EXPECT_EQ((*threads)[0].last_seq, 4);
  EXPECT_EQ((*threads)[0].awaiting_reply, 2);
}

TEST_F(ChatStoreTest, ASurveyNeedsADeliveredShipmentAndIsStoredOnce) {
  auto t = add_tenant();
  auto open = add_shipment(t);
  EXPECT_TRUE(fails_with(surveys().add_survey(survey(open, 5), {survey_event(open, "survey_submitted")}),
                         ErrorCode::kIllegalTransition));
  auto s = delivered_shipment(t);
  auto stored = surveys().add_survey(survey(s, 5), {survey_event(s, "survey_submitted")});
  ASSERT_OK(stored);
  EXPECT_EQ(stored->tracking_number, s.tracking_number);
  EXPECT_TRUE(fails_with(surveys().add_survey(survey(s, 1), {survey_event(s, "survey_submitted")}),
                         ErrorCode::kConflict));
  auto read = surveys().get_survey(t, s.id);
  ASSERT_OK(read);
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->answer.stars, 5);
  EXPECT_EQ((*read)->answer.nps, 9);
  EXPECT_EQ((*read)->answer.tags, (std::vector<std::string>{"on_time", "friendly_driver"}));
  auto events = store_->list_events(t, s.id);
  ASSERT_OK(events);
  EXPECT_EQ(events->back().type, "survey_submitted");
  EXPECT_EQ(std::count_if(events->begin(), events->end(), [](auto& e) { return e.type == "survey_submitted"; }), 1);
  auto chain = store_->verify_shipment(t, s.id);
  ASSERT_OK(chain);
  EXPECT_TRUE(chain->problems.empty());
}

TEST_F(ChatStoreTest, ALowRatingEventOpensALowRatingCase) {
  auto t = add_tenant();
  auto s = delivered_shipment(t);
  ASSERT_OK(surveys().add_survey(survey(s, 1), {survey_event(s, "survey_submitted"),
                                                survey_event(s, "survey_low_rating")}));
  ExceptionFilter f;
  f.kind = domain::ExceptionKind::kLowRating;
  auto cases = store_->list_exceptions(t, f, PageRequest{});
  ASSERT_OK(cases);
  ASSERT_EQ(cases->items.size(), 1u);
  EXPECT_EQ(cases->items[0].shipment_id, s.id);
  EXPECT_EQ(cases->items[0].status, domain::ExceptionStatus::kOpen);
}

TEST_F(ChatStoreTest, SurveysAreListedPerTenantAndFiltered) {
  auto t1 = add_tenant();
  auto t2 = add_tenant();
  auto carrier = add_carrier(t1);
  auto s1 = make_shipment(t1);
  s1.carrier_id = carrier.id;
  add_shipment(s1);
  ASSERT_OK(store_->append_event(make_event(s1, domain::Milestone::kDelivered, at(60)), domain::Milestone::kCreated));
  auto s2 = delivered_shipment(t1);
  auto other = delivered_shipment(t2);
  ASSERT_OK(surveys().add_survey(survey(s1, 5), {}));
  auto late = survey(s2, 3);
  late.created_at = at(3600);
  ASSERT_OK(surveys().add_survey(late, {}));
  ASSERT_OK(surveys().add_survey(survey(other, 1), {}));
  auto all = surveys().list_surveys(t1, {}, 100);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].shipment_id, s2.id);  // newest first
  SurveyFilter by_carrier;
  by_carrier.carrier_id = carrier.id;
  auto carried = surveys().list_surveys(t1, by_carrier, 100);
  ASSERT_OK(carried);
  ASSERT_EQ(carried->size(), 1u);
  EXPECT_EQ((*carried)[0].shipment_id, s1.id);
  SurveyFilter early;
  early.to = at(600);
  auto before = surveys().list_surveys(t1, early, 100);
  ASSERT_OK(before);
  ASSERT_EQ(before->size(), 1u);
  EXPECT_TRUE(fails_with(surveys().get_survey(t2, s1.id), ErrorCode::kNotFound));
}

}  // namespace
}  // namespace lastmile::storage::testing
