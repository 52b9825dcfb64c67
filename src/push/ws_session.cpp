#include "push/ws_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "push/socket_options.hpp"

namespace lastmile::push {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

class WsSession::Transport final : public FeedTransport {
 public:
  explicit Transport(websocket::stream<beast::tcp_stream&>& ws) : ws_(ws) {}

  asio::awaitable<bool> send(const std::vector<Outgoing>& batch) override {
    for (const auto& m : batch) {
      auto [ec, n] = co_await ws_.async_write(asio::buffer(*m.text), asio::as_tuple(asio::use_awaitable));
      if (ec) co_return false;
    }
    co_return true;
  }

  asio::awaitable<bool> heartbeat(core::Timestamp at) override {
    const std::string text = heartbeat_json(at);
    auto [ec, n] = co_await ws_.async_write(asio::buffer(text), asio::as_tuple(asio::use_awaitable));
    co_return !ec;
  }

 private:
  websocket::stream<beast::tcp_stream&>& ws_;
};

WsSession::WsSession(beast::tcp_stream& stream, SessionOptions options)
    : ws_(stream), options_(options), waker_(stream.get_executor()) {
  stream.expires_never();  // Beast's websocket timeouts below replace the HTTP ones
  set_tcp_user_timeout(stream.socket(), options_.idle_timeout);
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = options_.write_timeout;
  timeouts.idle_timeout = options_.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "lastmile"); }));
  ws_.read_message_max(options_.max_inbound_message);
  ws_.text(true);
}

void WsSession::stop() {
  flags_.stop_requested = true;
  waker_.fire();
}

asio::awaitable<EndReason> WsSession::run(UpgradeRequest upgrade, FeedSetup setup) {
  auto [ec] = co_await ws_.async_accept(upgrade, asio::as_tuple(asio::use_awaitable));
  if (ec) co_return EndReason::kClientGone;
  upgrade = {};  // its headers are not needed for the (long) rest of the session
  read_next();
  const EndReason reason = co_await write_loop(setup);
  // The pending read refers to this session: wait for it (write_loop closed or cancelled it).
  while (!reader_done_) co_await waker_.wait_until(std::chrono::steady_clock::time_point::max());
  co_return reason;
}

// Reads pieces of client messages (Beast answers pings and close frames inside the read, and
// enforces read_message_max) and drops them: nothing a client sends is needed.
void WsSession::read_next() {
  ws_.async_read_some(asio::buffer(inbound_), [this](beast::error_code ec, std::size_t) {
    if (!ec) return read_next();
    reader_done_ = true;
    flags_.client_gone = true;
    waker_.fire();
  });
}

asio::awaitable<EndReason> WsSession::write_loop(FeedSetup& setup) {
  Transport transport(ws_);
  const EndReason reason = co_await run_feed(transport, setup, waker_, flags_, options_);
  setup.subscription.reset();  // no more deliveries to a session that is closing
  if (!reader_done_) {
    websocket::close_reason close;
    switch (reason) {
      case EndReason::kShutdown: close = {websocket::close_code::going_away, "shutdown"}; break;
      case EndReason::kLagging: close = {websocket::close_code::try_again_later, "lagging"}; break;
      case EndReason::kResync: close = {websocket::close_code::normal, "resync"}; break;
      case EndReason::kClientGone: close = {websocket::close_code::going_away, ""}; break;
    }
    // Completes when the client answers with its close frame (read by read_loop) or after
    // close_wait (Beast times the closing handshake with the handshake timeout).
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options_.close_wait;
    timeouts.idle_timeout = options_.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    co_await ws_.async_close(close, asio::as_tuple(asio::use_awaitable));
  }
  if (!reader_done_) {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().cancel(ignored);
  }
  co_return reason;
}

}  // namespace lastmile::push
