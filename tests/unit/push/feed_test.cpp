// The feed every live session runs: backlog, ready, live messages without duplicates, heartbeats,
// and its endings (shutdown, lagging, resync, client gone). Driven on a real io_context with a fake
// transport.
#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include <deque>

#include "push/session.hpp"
#include "push/sse_session.hpp"

namespace lastmile::push {
namespace {

namespace asio = boost::asio;

const Topic kTenant{Topic::Kind::kTenant, "ten_a"};

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

class FakeTransport final : public FeedTransport {
 public:
  asio::awaitable<bool> send(const std::vector<Outgoing>& batch) override {
    for (const auto& m : batch) sent.push_back(*m.text + (m.id ? "@" + std::to_string(m.id) : ""));
    co_return !fail;
  }
  asio::awaitable<bool> heartbeat(core::Timestamp) override {
    ++heartbeats;
    co_return !fail;
  }
  std::vector<std::string> sent;
  int heartbeats = 0;
  bool fail = false;
};

class FakeBacklog final : public Backlog {
 public:
  asio::awaitable<Page> next_page() override {
    Page p = std::move(pages.front());
    pages.pop_front();
    co_return p;
  }
  void add(std::vector<int64_t> seqs, Page::State state, bool is_public = true) {
    Page p;
    for (auto s : seqs) p.messages.push_back(std::make_shared<const LiveMessage>(event(s, is_public)));
    p.state = state;
    pages.push_back(std::move(p));
  }
  std::deque<Page> pages;
};

class FeedTest : public ::testing::Test {
 protected:
  FeedTest() : strand_(asio::make_strand(io_)), waker_(strand_) {}

  void subscribe(Audience audience) { setup_.subscription = hub_.subscribe({kTenant}, audience, waker_.remote()); }
  void start(Audience audience, std::unique_ptr<Backlog> backlog, int64_t cursor) {
    if (!setup_.subscription) subscribe(audience);
    setup_.backlog = std::move(backlog);
    setup_.cursor = cursor;
    setup_.on_sent = [this](uint64_t n) { reported_ += n; };
    asio::co_spawn(
        strand_,
        [this]() -> asio::awaitable<void> {
          result_ = co_await run_feed(transport_, setup_, waker_, flags_, options_);
          finished_ = true;
        },
        asio::detached);
    io_.poll();
  }
  void stop() {
    asio::post(strand_, [this] {
      flags_.stop_requested = true;
      waker_.fire();
    });
    io_.poll();
  }

  asio::io_context io_;
  asio::strand<asio::io_context::executor_type> strand_;
  Waker waker_;
  Hub hub_;
  FakeTransport transport_;
  FeedSetup setup_;
  FeedFlags flags_;
  SessionOptions options_;
  EndReason result_ = EndReason::kClientGone;
  bool finished_ = false;
  uint64_t reported_ = 0;
};

TEST_F(FeedTest, ReplaysTheBacklogThenSaysReadyThenSendsOnlyNewerLiveEvents) {
  auto backlog = std::make_unique<FakeBacklog>();
  backlog->add({3, 4}, Backlog::Page::State::kMore);
  backlog->add({5}, Backlog::Page::State::kDone);
  // Published after the subscription but already in the backlog (5), and newer ones (6).
  subscribe(Audience::kStaff);
  hub_.publish(event(5));
  hub_.publish(position(1));
  hub_.publish(event(6));
  start(Audience::kStaff, std::move(backlog), 2);
  EXPECT_EQ(transport_.sent, (std::vector<std::string>{"e3@3", "e4@4", "e5@5",
                                                       R"({"type":"ready","last_event_id":5}@5)", "pos1", "e6@6"}));
  hub_.publish(event(7));
  hub_.publish(event(7));  // a duplicate publish is not sent twice
  io_.poll();
  EXPECT_EQ(transport_.sent.back(), "e7@7");
  EXPECT_EQ(transport_.sent.size(), 7u);
  EXPECT_FALSE(finished_);
  stop();
  EXPECT_TRUE(finished_);
  EXPECT_EQ(result_, EndReason::kShutdown);
  EXPECT_EQ(transport_.sent.back(), R"({"type":"closed","reason":"shutdown"})");
  EXPECT_EQ(reported_, transport_.sent.size());
}

TEST_F(FeedTest, WithoutBacklogReadyCarriesTheGivenCursor) {
  start(Audience::kStaff, nullptr, 41);
  EXPECT_EQ(transport_.sent, std::vector<std::string>{R"({"type":"ready","last_event_id":41}@41)"});
  hub_.publish(event(41));  // not newer than the cursor
  hub_.publish(event(42));
  io_.poll();
  EXPECT_EQ(transport_.sent.back(), "e42@42");
  EXPECT_EQ(transport_.sent.size(), 2u);
  stop();
}

TEST_F(FeedTest, ThePublicSkipsStaffOnlyEventsButItsCursorMovesPastThem) {
  auto backlog = std::make_unique<FakeBacklog>();
  backlog->add({3}, Backlog::Page::State::kMore, /*is_public=*/true);
  backlog->add({4, 5}, Backlog::Page::State::kDone, /*is_public=*/false);
  start(Audience::kPublic, std::move(backlog), 0);
  EXPECT_EQ(transport_.sent, (std::vector<std::string>{"p3@3", R"({"type":"ready","last_event_id":5}@5)"}));
  stop();
}

TEST_F(FeedTest, ATooLongBacklogEndsWithResync) {
  auto backlog = std::make_unique<FakeBacklog>();
  backlog->add({1, 2}, Backlog::Page::State::kResync);
  start(Audience::kStaff, std::move(backlog), 0);
  EXPECT_TRUE(finished_);
  EXPECT_EQ(result_, EndReason::kResync);
  EXPECT_EQ(transport_.sent, (std::vector<std::string>{"e1@1", "e2@2", R"({"type":"resync","last_event_id":2})"}));
}

TEST_F(FeedTest, ALaggingSubscriptionIsToldAndEnds) {
  HubOptions small;
  small.outbox.max_ordered = 2;
  Hub hub(small);
  setup_.subscription = hub.subscribe({kTenant}, Audience::kStaff, waker_.remote());
  setup_.cursor = 0;
  asio::co_spawn(
      strand_,
      [this]() -> asio::awaitable<void> {
        result_ = co_await run_feed(transport_, setup_, waker_, flags_, options_);
        finished_ = true;
      },
      asio::detached);
  io_.poll();  // ready sent; the feed waits
  for (int i = 1; i <= 3; ++i) hub.publish(event(i));  // the third overflows before the writer runs
  io_.poll();
  EXPECT_TRUE(finished_);
  EXPECT_EQ(result_, EndReason::kLagging);
  EXPECT_EQ(transport_.sent.back(), R"({"type":"closed","reason":"lagging"})");
  setup_.subscription.reset();
}

TEST_F(FeedTest, SendsHeartbeatsWhileIdle) {
  options_.heartbeat = std::chrono::milliseconds(20);
  start(Audience::kStaff, nullptr, 0);
  io_.run_for(std::chrono::milliseconds(110));
  EXPECT_GE(transport_.heartbeats, 3);
  EXPECT_LE(transport_.heartbeats, 6);
  stop();
}

TEST_F(FeedTest, EndsWhenTheClientIsGone) {
  start(Audience::kStaff, nullptr, 0);
  asio::post(strand_, [this] {
    flags_.client_gone = true;
    waker_.fire();
  });
  io_.poll();
  EXPECT_TRUE(finished_);
  EXPECT_EQ(result_, EndReason::kClientGone);
}

TEST_F(FeedTest, EndsWhenASendFails) {
  start(Audience::kStaff, nullptr, 0);
  transport_.fail = true;
  hub_.publish(event(1));
  io_.poll();
  EXPECT_TRUE(finished_);
  EXPECT_EQ(result_, EndReason::kClientGone);
}

TEST(SseFrame, HasAnIdLineForEventsAndOneDataLinePerLine) {
  EXPECT_EQ(sse_frame(R"({"a":1})", 42), "id: 42\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(sse_frame("x", 0), "data: x\n\n");
  EXPECT_EQ(sse_frame("one\ntwo", 0), "data: one\ndata: two\n\n");
}

TEST(Waker, AWakeBeforeTheWaitIsNotLost) {
  asio::io_context io;
  auto strand = asio::make_strand(io);
  Waker waker(strand);
  auto remote = waker.remote();
  remote();  // from "another thread", before anyone waits
  bool woken = false;
  asio::co_spawn(
      strand,
      [&]() -> asio::awaitable<void> {
        woken = co_await waker.wait_until(std::chrono::steady_clock::now() + std::chrono::hours(1));
      },
      asio::detached);
  io.run_for(std::chrono::seconds(2));
  EXPECT_TRUE(woken);
}

TEST(Waker, ARemoteOutlivingItsWakerDoesNothing) {
  asio::io_context io;
  std::function<void()> remote;
  {
    Waker waker(asio::make_strand(io));
    remote = waker.remote();
  }
  remote();
  io.poll();
  SUCCEED();
}

}  // namespace
}  // namespace lastmile::push
