// The live hub: who receives a message (topics, audience), how a slow subscriber is treated
// (positions coalesced, events kept in order up to the bound, then closed as lagging), and that
// unsubscribing and many subscribers work.
#include "push/hub.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

namespace lastmile::push {
namespace {

const Topic kTenant{Topic::Kind::kTenant, "ten_a"};
const Topic kOtherTenant{Topic::Kind::kTenant, "ten_b"};
const Topic kRoute{Topic::Kind::kRoute, "rte_1"};
const Topic kShipA{Topic::Kind::kShipment, "shp_a"};
const Topic kShipB{Topic::Kind::kShipment, "shp_b"};

LiveMessage event(int64_t seq, std::vector<Topic> topics, bool is_public = true) {
  LiveMessage m;
  m.kind = LiveMessage::Kind::kEvent;
  m.event_seq = seq;
  m.topics = std::move(topics);
  m.staff_json = std::make_shared<const std::string>("staff " + std::to_string(seq));
  if (is_public) m.public_json = std::make_shared<const std::string>("public " + std::to_string(seq));
  return m;
}

LiveMessage position(const std::string& driver, int n, std::vector<Topic> topics, bool is_public = false) {
  LiveMessage m;
  m.kind = LiveMessage::Kind::kPosition;
  m.coalesce_key = driver;
  m.topics = std::move(topics);
  m.staff_json = std::make_shared<const std::string>(driver + " #" + std::to_string(n));
  if (is_public) m.public_json = std::make_shared<const std::string>("public " + driver + " #" + std::to_string(n));
  return m;
}

// Texts a subscriber would send now, in order.
std::vector<std::string> drain(Subscription& sub) {
  std::vector<LiveMessagePtr> out;
  EXPECT_TRUE(sub.take(out));
  std::vector<std::string> texts;
  for (const auto& m : out) texts.push_back(*m->json_for(sub.audience()));
  return texts;
}

struct Counter {
  std::shared_ptr<std::atomic<int>> n = std::make_shared<std::atomic<int>>(0);
  std::function<void()> fn() const {
    return [n = n] { n->fetch_add(1); };
  }
  int value() const { return n->load(); }
};

TEST(Hub, DeliversToEverySubscriberOfAMatchingTopicOnce) {
  Hub hub;
  auto tenant = hub.subscribe({kTenant}, Audience::kStaff, {});
  auto route = hub.subscribe({kRoute, kShipA, kShipB}, Audience::kStaff, {});
  auto ship_a = hub.subscribe({kShipA}, Audience::kPublic, {});
  auto ship_b = hub.subscribe({kShipB}, Audience::kPublic, {});
  auto other = hub.subscribe({kOtherTenant}, Audience::kStaff, {});

  auto stats = hub.publish(event(7, {kTenant, kShipA}));
  EXPECT_EQ(stats.queued, 3u);
  EXPECT_EQ(drain(*tenant), std::vector<std::string>{"staff 7"});
  EXPECT_EQ(drain(*route), std::vector<std::string>{"staff 7"});  // two matching topics, one copy
  EXPECT_EQ(drain(*ship_a), std::vector<std::string>{"public 7"});
  EXPECT_TRUE(drain(*ship_b).empty());
  EXPECT_TRUE(drain(*other).empty());
}

TEST(Hub, ThePublicNeverGetsAStaffOnlyMessage) {
  Hub hub;
  auto customer = hub.subscribe({kShipA}, Audience::kPublic, {});
  auto staff = hub.subscribe({kShipA}, Audience::kStaff, {});
  hub.publish(event(1, {kTenant, kShipA}, /*is_public=*/false));
  hub.publish(position("drv_1", 1, {kTenant, kRoute, kShipA}, /*is_public=*/false));
  hub.publish(event(2, {kTenant, kShipA}, /*is_public=*/true));
  EXPECT_EQ(drain(*customer), std::vector<std::string>{"public 2"});
  EXPECT_EQ(drain(*staff), (std::vector<std::string>{"staff 1", "drv_1 #1", "staff 2"}));
}

TEST(Hub, PositionsAreCoalescedPerDriverEventsAreNot) {
  Hub hub;
  auto sub = hub.subscribe({kTenant}, Audience::kStaff, {});
  hub.publish(position("drv_1", 1, {kTenant}));
  hub.publish(event(1, {kTenant}));
  hub.publish(position("drv_2", 1, {kTenant}));
  auto s1 = hub.publish(position("drv_1", 2, {kTenant}));
  hub.publish(event(2, {kTenant}));
  auto s2 = hub.publish(position("drv_1", 3, {kTenant}));
  EXPECT_EQ(s1.coalesced, 1u);
  EXPECT_EQ(s2.coalesced, 1u);
  // The newest position of drv_1 takes the place of the first; both events stay, in order.
  EXPECT_EQ(drain(*sub), (std::vector<std::string>{"drv_1 #3", "staff 1", "drv_2 #1", "staff 2"}));
  hub.publish(position("drv_1", 4, {kTenant}));  // after a take, a new position is queued again
  EXPECT_EQ(drain(*sub), std::vector<std::string>{"drv_1 #4"});
}

TEST(Hub, EventsAreKeptUpToTheBoundThenTheSubscriberIsClosedAsLagging) {
  HubOptions options;
  options.outbox.max_ordered = 8;
  std::vector<PublishStats> reported;
  options.on_publish = [&](const PublishStats& s) { reported.push_back(s); };
  Hub hub(options);
  Counter wakes;
  auto slow = hub.subscribe({kTenant}, Audience::kStaff, wakes.fn());
  auto fast = hub.subscribe({kTenant}, Audience::kStaff, {});
  for (int i = 1; i <= 8; ++i) hub.publish(event(i, {kTenant}));
  EXPECT_EQ(drain(*fast).size(), 8u);
  EXPECT_FALSE(slow->lagging());

  auto stats = hub.publish(event(9, {kTenant}));
  EXPECT_EQ(stats.closed_lagging, 1u);
  EXPECT_EQ(stats.queued, 1u);  // the fast one
  EXPECT_TRUE(slow->lagging());
  EXPECT_EQ(wakes.value(), 1);  // woken to notice it is closed
  std::vector<LiveMessagePtr> out;
  EXPECT_FALSE(slow->take(out));
  EXPECT_TRUE(out.empty());
  hub.publish(event(10, {kTenant}));  // a closed subscriber gets nothing more
  EXPECT_FALSE(slow->take(out));
  EXPECT_EQ(drain(*fast), (std::vector<std::string>{"staff 9", "staff 10"}));
  ASSERT_FALSE(reported.empty());
  EXPECT_EQ(reported[8].closed_lagging, 1u);
}

TEST(Hub, PositionsDoNotCountTowardsTheEventBound) {
  HubOptions options;
  options.outbox.max_ordered = 2;
  Hub hub(options);
  auto sub = hub.subscribe({kTenant}, Audience::kStaff, {});
  for (int i = 0; i < 100; ++i) hub.publish(position("drv_" + std::to_string(i % 5), i, {kTenant}));
  hub.publish(event(1, {kTenant}));
  hub.publish(event(2, {kTenant}));
  EXPECT_FALSE(sub->lagging());
  EXPECT_EQ(drain(*sub).size(), 7u);  // five drivers' latest positions and two events
}

TEST(Hub, WakesOnceWhenAWaitingSubscriberGetsSomething) {
  Hub hub;
  Counter wakes;
  auto sub = hub.subscribe({kTenant}, Audience::kStaff, wakes.fn());
  hub.publish(event(1, {kTenant}));
  EXPECT_EQ(wakes.value(), 0);  // the writer has not said it waits yet
  EXPECT_EQ(drain(*sub).size(), 1u);
  EXPECT_TRUE(drain(*sub).empty());  // nothing: now it waits
  hub.publish(event(2, {kTenant}));
  hub.publish(event(3, {kTenant}));
  EXPECT_EQ(wakes.value(), 1);
  EXPECT_EQ(drain(*sub).size(), 2u);
}

TEST(Hub, UnsubscribedHandlesReceiveNothingAndAreNeverWoken) {
  Hub hub;
  Counter wakes;
  auto sub = hub.subscribe({kTenant, kShipA}, Audience::kStaff, wakes.fn());
  auto keep = hub.subscribe({kTenant}, Audience::kStaff, {});
  EXPECT_EQ(hub.subscriber_count(), 2u);
  EXPECT_TRUE(drain(*sub).empty());  // arm the wake
  sub.reset();
  EXPECT_FALSE(sub);
  EXPECT_EQ(hub.subscriber_count(), 1u);
  auto stats = hub.publish(event(1, {kTenant, kShipA}));
  EXPECT_EQ(stats.queued, 1u);
  EXPECT_EQ(wakes.value(), 0);
  sub.reset();  // idempotent
  EXPECT_EQ(drain(*keep).size(), 1u);
}

TEST(Hub, HandlesMoveAndUnsubscribeOnDestruction) {
  Hub hub;
  {
    auto a = hub.subscribe({kTenant}, Audience::kStaff, {});
    Hub::Handle b = std::move(a);
    EXPECT_EQ(hub.subscriber_count(), 1u);
    Hub::Handle c;
    c = std::move(b);
    EXPECT_EQ(hub.subscriber_count(), 1u);
  }
  EXPECT_EQ(hub.subscriber_count(), 0u);
  EXPECT_EQ(hub.publish(event(1, {kTenant})).queued, 0u);
}

TEST(Hub, DuplicateTopicsInOneSubscriptionAreIgnored) {
  Hub hub;
  auto sub = hub.subscribe({kShipA, kShipA, kTenant, kShipA}, Audience::kStaff, {});
  EXPECT_EQ(sub->topics().size(), 2u);
  hub.publish(event(1, {kShipA}));
  EXPECT_EQ(drain(*sub).size(), 1u);
  sub.reset();
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST(Hub, BroadcastsToFiftyThousandSubscribersSharingOneText) {
  Hub hub;
  std::vector<Hub::Handle> subs;
  subs.reserve(50'000);
  for (int i = 0; i < 50'000; ++i) subs.push_back(hub.subscribe({kTenant}, Audience::kStaff, {}));
  LiveMessage m = event(1, {kTenant});
  const std::string* text = m.staff_json.get();
  EXPECT_EQ(hub.publish(std::move(m)).queued, 50'000u);
  for (auto& s : subs) {
    std::vector<LiveMessagePtr> out;
    ASSERT_TRUE(s->take(out));
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0]->staff_json.get(), text);  // serialised once, shared
  }
}

TEST(Hub, UnsubscribingInAnyOrderKeepsTheIndexConsistent) {
  HubOptions options;
  options.shards = 3;
  Hub hub(options);
  std::vector<Hub::Handle> subs;
  for (int i = 0; i < 300; ++i) {
    std::vector<Topic> topics{kTenant};
    if (i % 2) topics.push_back(kShipA);
    if (i % 3) topics.push_back(kShipB);
    subs.push_back(hub.subscribe(std::move(topics), Audience::kStaff, {}));
  }
  std::mt19937 rng(42);
  std::shuffle(subs.begin(), subs.end(), rng);
  subs.resize(120);  // 180 handles destroyed in random order
  EXPECT_EQ(hub.subscriber_count(), 120u);
  EXPECT_EQ(hub.publish(event(1, {kTenant, kShipA, kShipB})).queued, 120u);
  for (auto& s : subs) EXPECT_EQ(drain(*s).size(), 1u);
  size_t with_a = 0;
  for (auto& s : subs)
    with_a += std::count(s->topics().begin(), s->topics().end(), kShipA);
  EXPECT_EQ(hub.publish(event(2, {kShipA})).queued, with_a);
}

TEST(Hub, RemembersTheLastEventSeq) {
  Hub hub;
  EXPECT_EQ(hub.last_event_seq(), 0);
  hub.note_event_seq(41);
  EXPECT_EQ(hub.last_event_seq(), 41);
  hub.publish(event(42, {kTenant}));
  EXPECT_EQ(hub.last_event_seq(), 42);
  hub.note_event_seq(7);  // never goes back
  hub.publish(position("drv_1", 1, {kTenant}));
  EXPECT_EQ(hub.last_event_seq(), 42);
}

TEST(Hub, PublishingAndSubscribingConcurrentlyLosesNoEventOfAStableSubscriber) {
  HubOptions options;
  options.shards = 4;
  Hub hub(options);
  auto stable = hub.subscribe({kTenant}, Audience::kStaff, {});
  std::atomic<bool> done{false};
  std::thread churn([&] {
    while (!done.load()) {
      auto h = hub.subscribe({kTenant, kShipA}, Audience::kPublic, {});
      std::vector<LiveMessagePtr> out;
      h->take(out);
    }
  });
  std::vector<std::thread> publishers;
  for (int p = 0; p < 3; ++p)
    publishers.emplace_back([&, p] {
      for (int i = 0; i < 300; ++i) hub.publish(position("drv_" + std::to_string(p), i, {kTenant}));
    });
  std::vector<int64_t> seen;
  for (int i = 1; i <= 500; ++i) {
    hub.publish(event(i, {kTenant}));
    std::vector<LiveMessagePtr> out;
    ASSERT_TRUE(stable->take(out));
    for (const auto& m : out)
      if (m->kind == LiveMessage::Kind::kEvent) seen.push_back(m->event_seq);
  }
  for (auto& t : publishers) t.join();
  done = true;
  churn.join();
  ASSERT_EQ(seen.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(seen[i], i + 1);
}

}  // namespace
}  // namespace lastmile::push
