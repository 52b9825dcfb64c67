// push::WsSession on a loopback connection against Beast's WebSocket client: the handshake, the
// feed's messages, heartbeats, pings both ways, the idle timeout, and every close code.
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

#include "push/ws_session.hpp"
#include "session_fixture.hpp"

namespace lastmile::push::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

class WsSessionTest : public SessionFixture {
 protected:
  // The client's opening handshake against a WsSession started on the server's end (the server
  // reads the upgrade request as api::Server does, then hands the socket over).
  void open(std::unique_ptr<Backlog> backlog = nullptr, int64_t cursor = 0, Hub* hub = nullptr) {
    auto server = connect();
    auto handshake = std::async(std::launch::async, [this] { ws_.handshake("127.0.0.1", "/v1/live"); });
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(server, buffer, req);
    const auto check = ws::check_handshake(req);
    ASSERT_EQ(check.status, 101);
    start(std::make_shared<WsSession>(std::move(server), options_, check.accept), std::move(backlog), cursor, hub);
    handshake.get();  // throws unless the response (Sec-WebSocket-Accept included) is right
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view payload) {
      if (kind == websocket::frame_type::ping) ++pings_;
      if (kind == websocket::frame_type::pong) pongs_.emplace_back(payload);
    });
  }

  std::string read() {
    beast::flat_buffer buffer;
    ws_.read(buffer);
    EXPECT_TRUE(ws_.got_text());
    return beast::buffers_to_string(buffer.data());
  }

  // Reads until the server closes; returns its close reason.
  websocket::close_reason read_until_closed() {
    for (int i = 0; i < 100; ++i) {
      beast::flat_buffer buffer;
      beast::error_code ec;
      ws_.read(buffer, ec);
      if (ec == websocket::error::closed) return ws_.reason();
      if (ec) {
        ADD_FAILURE() << "no close frame: " << ec.message();
        return {};
      }
    }
    ADD_FAILURE() << "no close frame after 100 messages";
    return {};
  }

  websocket::stream<tcp::socket&> ws_{client_};
  int pings_ = 0;
  std::vector<std::string> pongs_;
};

TEST_F(WsSessionTest, SendsReadyThenEventsAndHeartbeatsAndEchoesTheClientsClose) {
  options_.heartbeat = 100ms;
  open();
  EXPECT_EQ(read(), R"({"type":"ready","last_event_id":0})");
  hub_.publish(event(1));
  EXPECT_EQ(read(), R"({"type":"event","id":1})");
  EXPECT_NE(read().find(R"({"type":"heartbeat","at":")"), std::string::npos);
  ws_.close(websocket::close_code::normal);  // waits for the server's close frame
  EXPECT_EQ(ws_.reason().code, websocket::close_code::normal);
  EXPECT_EQ(end_reason(), EndReason::kClientGone);
  EXPECT_EQ(sent_.load(), 2u);  // ready and the event; heartbeats are not counted
  EXPECT_EQ(hub_.subscriber_count(), 0u);
}

TEST_F(WsSessionTest, AnswersPings) {
  open();
  read();  // ready
  ws_.ping("are you there");
  std::this_thread::sleep_for(100ms);
  hub_.publish(event(1));
  EXPECT_EQ(read(), R"({"type":"event","id":1})");  // the pong is read on the way
  EXPECT_EQ(pongs_, std::vector<std::string>{"are you there"});
}

TEST_F(WsSessionTest, ATooLargeClientMessageClosesWith1009) {
  open();
  read();
  ws_.text(true);
  ws_.write(asio::buffer(std::string("small messages are read and dropped")));
  ws_.write(asio::buffer(std::string(5000, 'x')));  // over the 4096-byte limit
  EXPECT_EQ(read_until_closed().code, websocket::close_code::too_big);
  EXPECT_EQ(end_reason(), EndReason::kClientGone);
}

TEST_F(WsSessionTest, BrokenFramingClosesWith1002) {
  open();
  read();
  asio::write(client_, asio::buffer(std::string("\x81\x01x", 3)));  // an unmasked client frame
  EXPECT_EQ(read_until_closed().code, websocket::close_code::protocol_error);
  EXPECT_EQ(end_reason(), EndReason::kClientGone);
}

TEST_F(WsSessionTest, AStopSendsClosedShutdownThenGoingAway) {
  open();
  read();
  session_->stop();
  EXPECT_EQ(read(), R"({"type":"closed","reason":"shutdown"})");
  const auto reason = read_until_closed();
  EXPECT_EQ(reason.code, websocket::close_code::going_away);
  EXPECT_EQ(reason.reason, "shutdown");
  EXPECT_EQ(end_reason(), EndReason::kShutdown);
}

TEST_F(WsSessionTest, AStopEndsTheSessionEvenWhenTheClientNeverAnswersTheClose) {
  open();
  read();
  session_->stop();
  // The client reads nothing more: the session gives up after close_wait.
  EXPECT_EQ(end_reason(2s), EndReason::kShutdown);
}

TEST_F(WsSessionTest, ALaggingSubscriberIsToldAndClosedWith1013) {
  HubOptions small;
  small.outbox.max_ordered = 2;
  Hub hub(small);
  open(nullptr, 0, &hub);
  read();
  std::promise<void> gate;
  asio::post(strand_, [f = gate.get_future().share()] { f.wait(); });  // the writer cannot run
  for (int i = 1; i <= 3; ++i) hub.publish(event(i));
  gate.set_value();
  EXPECT_EQ(read(), R"({"type":"closed","reason":"lagging"})");
  const auto reason = read_until_closed();
  EXPECT_EQ(reason.code, websocket::close_code::try_again_later);
  EXPECT_EQ(reason.reason, "lagging");
  EXPECT_EQ(end_reason(), EndReason::kLagging);
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST_F(WsSessionTest, ResumingReplaysTheBacklogThenSaysReady) {
  std::vector<Backlog::Page> pages;
  pages.push_back(page({3, 4}, Backlog::Page::State::kMore));
  pages.push_back(page({5}, Backlog::Page::State::kDone));
  open(std::make_unique<QueuedBacklog>(std::move(pages)), 2);
  EXPECT_EQ(read(), R"({"type":"event","id":3})");
  EXPECT_EQ(read(), R"({"type":"event","id":4})");
  EXPECT_EQ(read(), R"({"type":"event","id":5})");
  EXPECT_EQ(read(), R"({"type":"ready","last_event_id":5})");
}

TEST_F(WsSessionTest, ATooLongBacklogEndsWithResyncAndANormalClose) {
  std::vector<Backlog::Page> pages;
  pages.push_back(page({1}, Backlog::Page::State::kResync));
  open(std::make_unique<QueuedBacklog>(std::move(pages)), 0);
  EXPECT_EQ(read(), R"({"type":"event","id":1})");
  EXPECT_EQ(read(), R"({"type":"resync","last_event_id":1})");
  const auto reason = read_until_closed();
  EXPECT_EQ(reason.code, websocket::close_code::normal);
  EXPECT_EQ(reason.reason, "resync");
  EXPECT_EQ(end_reason(), EndReason::kResync);
}

TEST_F(WsSessionTest, ASilentClientIsPingedThenDroppedWithoutACloseFrame) {
  options_.idle_timeout = 400ms;
  open();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(end_reason(3s), EndReason::kClientGone);  // the client reads nothing, so sends no pong
  EXPECT_GE(std::chrono::steady_clock::now() - started, 350ms);
  read();  // ready
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws_.read(buffer, ec);  // the ping, then the end of the connection
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, websocket::error::closed);
  EXPECT_EQ(pings_, 1);
}

TEST_F(WsSessionTest, AClientThatAnswersPingsStaysOpen) {
  options_.idle_timeout = 600ms;
  open();
  read();
  for (int i = 1; i <= 10; ++i) {  // 1.5 s: several idle periods
    std::this_thread::sleep_for(150ms);
    hub_.publish(event(i));
    EXPECT_EQ(read(), R"({"type":"event","id":)" + std::to_string(i) + "}");  // answers pings on the way
  }
  EXPECT_EQ(end_reason(0ms), std::nullopt);
  EXPECT_GE(pings_, 1);
}

TEST_F(WsSessionTest, AClientThatDisconnectsEndsTheSession) {
  open();
  read();
  client_.close();
  EXPECT_EQ(end_reason(), EndReason::kClientGone);
  EXPECT_EQ(hub_.subscriber_count(), 0u);
}

}  // namespace
}  // namespace lastmile::push::testing
