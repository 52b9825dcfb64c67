// The feed every live session runs: backlog, ready, live messages without duplicates, and its
// endings (shutdown, lagging, resync, client gone, a failed send). push::Feed is a pure state
// machine: these tests drive it by hand, as a session's callbacks would.
#include <gtest/gtest.h>

#include <deque>

#include "push/feed.hpp"
#include "push/sse_session.hpp"

namespace lastmile::push {
namespace {

const Topic kTenant{Topic::Kind::kTenant, "ten_a"};
using Kind = Feed::Action::Kind;

LiveMessage event(int64_t seq, bool is_public = true) {
  LiveMessage m;
  m.kind = LiveMessage::Kind::kEvent;
  m.event_seq = seq;
  m.topics = {kTenant};
  m.staff_json = std::make_shared<const std::string>("e" + std::to_string(seq));
  if (is_public) m.public_json = std::make_shared<const std::string>("p" + std::to_string(seq));
  return m;
}

LiveMessage position(int n) {
  LiveMessage m;
  m.kind = LiveMessage::Kind::kPosition;
  m.coalesce_key = "drv_1";
  m.topics = {kTenant};
  m.staff_json = std::make_shared<const std::string>("pos" + std::to_string(n));
  return m;
}

// Pages handed to the feed by the test (the coroutine next_page() is the session's business).
class FakeBacklog final : public Backlog {
 public:
  boost::asio::awaitable<Page> next_page() override { co_return Page{}; }
};

Backlog::Page page(std::vector<int64_t> seqs, Backlog::Page::State state, bool is_public = true) {
  Backlog::Page p;
  for (auto s : seqs) p.messages.push_back(std::make_shared<const LiveMessage>(event(s, is_public)));
  p.state = state;
  return p;
}

class FeedTest : public ::testing::Test {
 protected:
  explicit FeedTest(HubOptions options = {}) : hub_(std::move(options)) {}

  std::unique_ptr<Feed> make(Audience audience, bool with_backlog, int64_t cursor) {
    FeedSetup setup;
    setup.subscription = hub_.subscribe({kTenant}, audience, [this] { ++wakes_; });
    if (with_backlog) setup.backlog = std::make_unique<FakeBacklog>();
    setup.cursor = cursor;
    setup.on_sent = [this](uint64_t n) { reported_ += n; };
    return std::make_unique<Feed>(std::move(setup));
  }

  // Runs the feed as a session would — sends every batch (each send succeeds when `ok`), hands it
  // the queued pages — until it waits or ends; returns that action.
  Feed::Action drive(Feed& feed, bool ok = true) {
    for (;;) {
      auto action = feed.next(flags_);
      if (action.kind == Kind::kSend) {
        for (const auto& m : action.batch) sent_.push_back(*m.text + (m.id ? "@" + std::to_string(m.id) : ""));
        feed.sent(ok);
      } else if (action.kind == Kind::kReadPage) {
        EXPECT_FALSE(pages_.empty());
        if (pages_.empty()) return action;
        feed.page_read(std::move(pages_.front()));
        pages_.pop_front();
      } else {
        return action;
      }
    }
  }

  Hub hub_;
  FeedFlags flags_;
  std::deque<Backlog::Page> pages_;
  std::vector<std::string> sent_;
  uint64_t reported_ = 0;
  int wakes_ = 0;
};

TEST_F(FeedTest, ReplaysTheBacklogThenSaysReadyThenSendsOnlyNewerLiveEvents) {
  auto feed = make(Audience::kStaff, true, 2);
  pages_.push_back(page({3, 4}, Backlog::Page::State::kMore));
  pages_.push_back(page({5}, Backlog::Page::State::kDone));
  // Published after the subscription but already in the backlog (5), and newer ones (6).
  hub_.publish(event(5));
  hub_.publish(position(1));
  hub_.publish(event(6));
  EXPECT_FALSE(feed->live());
  EXPECT_EQ(drive(*feed).kind, Kind::kWait);
  EXPECT_TRUE(feed->live());
  EXPECT_EQ(sent_, (std::vector<std::string>{"e3@3", "e4@4", "e5@5", R"({"type":"ready","last_event_id":5}@5)",
                                             "pos1", "e6@6"}));
  hub_.publish(event(7));
  hub_.publish(event(7));  // a duplicate publish is not sent twice
  EXPECT_EQ(wakes_, 1);    // once: the feed had found nothing
  EXPECT_EQ(drive(*feed).kind, Kind::kWait);
  EXPECT_EQ(sent_.back(), "e7@7");
  EXPECT_EQ(sent_.size(), 7u);
  flags_.stop_requested = true;
  const auto end = drive(*feed);
  EXPECT_EQ(end.kind, Kind::kEnd);
  EXPECT_EQ(end.reason, EndReason::kShutdown);
  EXPECT_EQ(sent_.back(), R"({"type":"closed","reason":"shutdown"})");
  EXPECT_EQ(reported_, sent_.size());
  EXPECT_FALSE(feed->live());
  EXPECT_EQ(hub_.subscriber_count(), 0u);  // released at the end, not when the session goes
  EXPECT_EQ(feed->next(flags_).kind, Kind::kEnd);  // and it stays over
}

TEST_F(FeedTest, WithoutBacklogReadyCarriesTheGivenCursor) {
  auto feed = make(Audience::kStaff, false, 41);
  EXPECT_EQ(drive(*feed).kind, Kind::kWait);
  EXPECT_EQ(sent_, std::vector<std::string>{R"({"type":"ready","last_event_id":41}@41)"});
  hub_.publish(event(41));  // not newer than the cursor
  hub_.publish(event(42));
  EXPECT_EQ(drive(*feed).kind, Kind::kWait);
  EXPECT_EQ(sent_.back(), "e42@42");
  EXPECT_EQ(sent_.size(), 2u);
}

TEST_F(FeedTest, OnlyEventsAlreadySentAreNotABatchAndTheWakeIsArmedAgain) {
  auto feed = make(Audience::kStaff, false, 10);
  drive(*feed);
  hub_.publish(event(9));
  EXPECT_EQ(drive(*feed).kind, Kind::kWait);
  EXPECT_EQ(sent_.size(), 1u);  // ready only
  hub_.publish(event(11));
  EXPECT_EQ(wakes_, 2);
}

TEST_F(FeedTest, ThePublicSkipsStaffOnlyEventsButItsCursorMovesPastThem) {
  auto feed = make(Audience::kPublic, true, 0);
  pages_.push_back(page({3}, Backlog::Page::State::kMore, /*is_public=*/true));
  pages_.push_back(page({4, 5}, Backlog::Page::State::kDone, /*is_public=*/false));
  drive(*feed);
  EXPECT_EQ(sent_, (std::vector<std::string>{"p3@3", R"({"type":"ready","last_event_id":5}@5)"}));
}

TEST_F(FeedTest, ATooLongBacklogEndsWithResync) {
  auto feed = make(Audience::kStaff, true, 0);
  pages_.push_back(page({1, 2}, Backlog::Page::State::kResync));
  const auto end = drive(*feed);
  EXPECT_EQ(end.kind, Kind::kEnd);
  EXPECT_EQ(end.reason, EndReason::kResync);
  EXPECT_EQ(sent_, (std::vector<std::string>{"e1@1", "e2@2", R"({"type":"resync","last_event_id":2})"}));
  EXPECT_EQ(reported_, 3u);
}

TEST_F(FeedTest, AStopDuringTheBacklogEndsAfterThePageWithoutAMessage) {
  auto feed = make(Audience::kStaff, true, 0);
  EXPECT_EQ(feed->next(flags_).kind, Kind::kReadPage);
  flags_.stop_requested = true;  // while the page was read
  feed->page_read(page({1}, Backlog::Page::State::kMore));
  const auto end = drive(*feed);
  EXPECT_EQ(end.kind, Kind::kEnd);
  EXPECT_EQ(end.reason, EndReason::kShutdown);
  EXPECT_TRUE(sent_.empty());
}

TEST_F(FeedTest, ALaggingSubscriptionIsToldAndEnds) {
  HubOptions small;
  small.outbox.max_ordered = 2;
  Hub hub(small);
  FeedSetup setup;
  setup.subscription = hub.subscribe({kTenant}, Audience::kStaff, [this] { ++wakes_; });
  Feed feed(std::move(setup));
  EXPECT_EQ(drive(feed).kind, Kind::kWait);           // ready sent; the feed waits
  for (int i = 1; i <= 3; ++i) hub.publish(event(i));  // the third overflows before the writer runs
  EXPECT_GE(wakes_, 1);
  const auto end = drive(feed);
  EXPECT_EQ(end.kind, Kind::kEnd);
  EXPECT_EQ(end.reason, EndReason::kLagging);
  EXPECT_EQ(sent_.back(), R"({"type":"closed","reason":"lagging"})");
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST_F(FeedTest, EndsWhenTheClientIsGone) {
  auto feed = make(Audience::kStaff, false, 0);
  drive(*feed);
  flags_.client_gone = true;
  const auto end = drive(*feed);
  EXPECT_EQ(end.kind, Kind::kEnd);
  EXPECT_EQ(end.reason, EndReason::kClientGone);
  EXPECT_EQ(sent_.size(), 1u);  // no closed message to a client that is gone
  EXPECT_EQ(reported_, 1u);
}

TEST_F(FeedTest, EndsWhenASendFails) {
  auto feed = make(Audience::kStaff, false, 0);
  drive(*feed);
  hub_.publish(event(1));
  const auto end = drive(*feed, /*ok=*/false);
  EXPECT_EQ(end.kind, Kind::kEnd);
  EXPECT_EQ(end.reason, EndReason::kClientGone);
  EXPECT_EQ(reported_, 1u);  // the ready message; not the failed batch
}

TEST_F(FeedTest, AFailedClosingMessageKeepsTheReason) {
  auto feed = make(Audience::kStaff, false, 0);
  drive(*feed);
  flags_.stop_requested = true;
  const auto end = drive(*feed, /*ok=*/false);
  EXPECT_EQ(end.reason, EndReason::kShutdown);
}

TEST_F(FeedTest, ReportsOnlyWhenAsked) {
  auto feed = make(Audience::kStaff, false, 0);
  drive(*feed);
  hub_.publish(event(1));
  drive(*feed);
  EXPECT_EQ(reported_, 0u);
  feed->report();
  EXPECT_EQ(reported_, 2u);
  feed->report();
  EXPECT_EQ(reported_, 2u);
}

TEST(SseFrame, HasAnIdLineForEventsAndOneDataLinePerLine) {
  EXPECT_EQ(sse_frame(R"({"a":1})", 42), "id: 42\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(sse_frame("x", 0), "data: x\n\n");
  EXPECT_EQ(sse_frame("one\ntwo", 0), "data: one\ndata: two\n\n");
}

}  // namespace
}  // namespace lastmile::push
