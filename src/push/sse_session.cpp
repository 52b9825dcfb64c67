#include "push/sse_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "push/socket_options.hpp"

namespace lastmile::push {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr std::string_view kHead =
    "HTTP/1.1 200 OK\r\n"
    "Server: lastmile\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\n"
    "Cache-Control: no-store\r\n"
    "X-Accel-Buffering: no\r\n"
    "Connection: close\r\n"
    "\r\n"
    "retry: 2000\n\n";

}  // namespace

std::string sse_frame(std::string_view text, int64_t id) {
  std::string out;
  out.reserve(text.size() + 32);
  if (id > 0) out.append("id: ").append(std::to_string(id)).push_back('\n');
  size_t start = 0;
  for (;;) {
    size_t end = text.find('\n', start);
    out.append("data: ").append(text.substr(start, end - start)).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out.push_back('\n');
  return out;
}

class SseSession::Transport final : public FeedTransport {
 public:
  Transport(beast::tcp_stream& stream, std::chrono::seconds timeout) : stream_(stream), timeout_(timeout) {}

  asio::awaitable<bool> send(const std::vector<Outgoing>& batch) override {
    std::string text;
    for (const auto& m : batch) text += sse_frame(*m.text, m.id);
    co_return co_await write(text);
  }

  asio::awaitable<bool> heartbeat(core::Timestamp at) override {
    co_return co_await write(": heartbeat " + core::format_iso8601(at) + "\n\n");
  }

  asio::awaitable<bool> write(std::string_view text) {
    stream_.expires_after(timeout_);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(text), asio::as_tuple(asio::use_awaitable));
    co_return !ec;
  }

 private:
  beast::tcp_stream& stream_;
  std::chrono::seconds timeout_;
};

SseSession::SseSession(beast::tcp_stream& stream, SessionOptions options)
    : stream_(stream), options_(options), waker_(stream.get_executor()) {
  stream_.expires_never();
  set_tcp_user_timeout(stream_.socket(), options_.idle_timeout);
}

void SseSession::stop() {
  flags_.stop_requested = true;
  waker_.fire();
}

asio::awaitable<EndReason> SseSession::run(FeedSetup setup) {
  Transport head(stream_, options_.write_timeout);
  if (!co_await head.write(kHead)) co_return EndReason::kClientGone;
  read_next();
  const EndReason reason = co_await write_loop(setup);
  // The pending read refers to this session: wait for it (write_loop cancelled it).
  while (!reader_done_) co_await waker_.wait_until(std::chrono::steady_clock::time_point::max());
  co_return reason;
}

// The client sends nothing after its request; a read completes when it disconnects.
void SseSession::read_next() {
  stream_.socket().async_read_some(asio::buffer(inbound_), [this](beast::error_code ec, std::size_t) {
    if (!ec) return read_next();
    reader_done_ = true;
    flags_.client_gone = true;
    waker_.fire();
  });
}

asio::awaitable<EndReason> SseSession::write_loop(FeedSetup& setup) {
  Transport transport(stream_, options_.write_timeout);
  const EndReason reason = co_await run_feed(transport, setup, waker_, flags_, options_);
  setup.subscription.reset();
  if (!reader_done_) {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.socket().cancel(ignored);
  }
  co_return reason;
}

}  // namespace lastmile::push
