#pragma once
// A live session on a real loopback connection: the server side runs on its own io_context thread
// (one strand, as in the server), the test drives a blocking client socket with a receive timeout.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include "push/live_session.hpp"

namespace lastmile::push::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

inline const Topic kTenant{Topic::Kind::kTenant, "ten_a"};

inline LiveMessage event(int64_t seq) {
  LiveMessage m;
  m.kind = LiveMessage::Kind::kEvent;
  m.event_seq = seq;
  m.topics = {kTenant};
  m.staff_json = std::make_shared<const std::string>(R"({"type":"event","id":)" + std::to_string(seq) + "}");
  return m;
}

// Backlog pages queued by the test, served as a real session reads them (a coroutine).
class QueuedBacklog final : public Backlog {
 public:
  explicit QueuedBacklog(std::vector<Page> pages) : pages_(std::move(pages)) {}
  asio::awaitable<Page> next_page() override {
    Page p = std::move(pages_.front());
    pages_.erase(pages_.begin());
    co_return p;
  }

 private:
  std::vector<Page> pages_;
};

inline Backlog::Page page(std::vector<int64_t> seqs, Backlog::Page::State state) {
  Backlog::Page p;
  for (auto s : seqs) p.messages.push_back(std::make_shared<const LiveMessage>(event(s)));
  p.state = state;
  return p;
}

class SessionFixture : public ::testing::Test {
 protected:
  SessionFixture() : strand_(asio::make_strand(io_)), work_(asio::make_work_guard(io_)) {
    options_.heartbeat = std::chrono::hours(1);
    options_.close_wait = std::chrono::milliseconds(300);
  }
  // The client goes, the session ends, the io thread runs out of work (or is stopped after 5 s).
  ~SessionFixture() override {
    boost::system::error_code ignored;
    client_.close(ignored);
    session_.reset();
    work_.reset();
    if (thread_.joinable()) {
      if (io_done_.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        ADD_FAILURE() << "a session still had work 5 s after its client left";
        io_.stop();
      }
      thread_.join();
    }
  }

  // Connects the client; returns the server's end of the connection on the strand.
  tcp::socket connect() {
    tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    client_.connect(acceptor.local_endpoint());
    timeval tv{5, 0};  // a client read never hangs a test
    ::setsockopt(client_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    tcp::socket server(strand_);
    acceptor.accept(server);
    return server;
  }

  // Subscribes `session` to the hub and starts it on the strand (the io thread starts here).
  void start(std::shared_ptr<LiveSession> session, std::unique_ptr<Backlog> backlog = nullptr, int64_t cursor = 0,
             Hub* hub = nullptr) {
    session_ = session;
    FeedSetup setup;
    setup.subscription = (hub ? *hub : hub_).subscribe({kTenant}, Audience::kStaff, session->waker());
    setup.backlog = std::move(backlog);
    setup.cursor = cursor;
    setup.on_sent = [this](uint64_t n) { sent_ += n; };
    auto setup_ptr = std::make_shared<FeedSetup>(std::move(setup));
    asio::post(strand_, [this, session, setup_ptr] {
      session->start(std::move(*setup_ptr), [this](EndReason r) { ended_.set_value(r); });
    });
    if (!thread_.joinable())
      thread_ = std::thread([this, done = std::move(io_done_promise_)]() mutable {
        io_.run();
        done.set_value();
      });
  }

  // Why the session ended, or nullopt when it has not within `wait`.
  std::optional<EndReason> end_reason(std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    auto f = ended_future_;
    if (f.wait_for(wait) != std::future_status::ready) return std::nullopt;
    return f.get();
  }

  // Runs `f` on the strand and waits for it.
  template <typename F>
  void on_strand(F f) {
    std::promise<void> done;
    asio::post(strand_, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  Hub hub_;  // before io_: sessions that io_'s destructor frees unsubscribe from it
  asio::io_context io_;
  asio::strand<asio::io_context::executor_type> strand_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::promise<void> io_done_promise_;
  std::future<void> io_done_ = io_done_promise_.get_future();
  std::thread thread_;
  asio::io_context client_io_;
  tcp::socket client_{client_io_};
  SessionOptions options_;
  std::shared_ptr<LiveSession> session_;
  std::promise<EndReason> ended_;
  std::shared_future<EndReason> ended_future_ = ended_.get_future().share();
  std::atomic<uint64_t> sent_{0};
};

}  // namespace lastmile::push::testing
