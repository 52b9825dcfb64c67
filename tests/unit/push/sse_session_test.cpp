// push::SseSession on a loopback connection: the response head, data and id lines, heartbeat
// comments, and its endings.
#include <boost/asio/read_until.hpp>

#include "push/sse_session.hpp"
#include "session_fixture.hpp"

namespace lastmile::push::testing {
namespace {

using namespace std::chrono_literals;

class SseSessionTest : public SessionFixture {
 protected:
  void open() { start(std::make_shared<SseSession>(connect(), options_)); }

  // The next block up to a blank line ("\r\n\r\n" for the head, "\n\n" for events).
  std::string next(std::string_view end = "\n\n") {
    const size_t n = asio::read_until(client_, asio::dynamic_buffer(buffer_), end);
    std::string block = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return block;
  }

  std::string buffer_;
};

TEST_F(SseSessionTest, WritesTheHeadThenReadyEventsAndHeartbeatComments) {
  options_.heartbeat = 100ms;
  open();
  const auto head = next("\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_EQ(next(), "retry: 2000\n\n");
  EXPECT_EQ(next(), "data: {\"type\":\"ready\",\"last_event_id\":0}\n\n");
  hub_.publish(event(7));
  EXPECT_EQ(next(), "id: 7\ndata: {\"type\":\"event\",\"id\":7}\n\n");
  EXPECT_EQ(next().rfind(": heartbeat ", 0), 0u);
  client_.close();
  EXPECT_EQ(end_reason(), EndReason::kClientGone);
  EXPECT_EQ(sent_.load(), 2u);
}

TEST_F(SseSessionTest, AStopSendsClosedShutdownThenEndsTheStream) {
  open();
  next("\r\n\r\n");
  next();
  next();
  session_->stop();
  EXPECT_EQ(next(), "data: {\"type\":\"closed\",\"reason\":\"shutdown\"}\n\n");
  boost::system::error_code ec;
  asio::read(client_, asio::dynamic_buffer(buffer_), ec);
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_EQ(end_reason(), EndReason::kShutdown);
}

}  // namespace
}  // namespace lastmile::push::testing
