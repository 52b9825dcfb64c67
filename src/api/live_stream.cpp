#include "api/live_stream.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <algorithm>
#include <cmath>

#include "api/http_error.hpp"
#include "api/live_subscription.hpp"
#include "api/rate_limiter.hpp"
#include "push/hub.hpp"
#include "push/sse_session.hpp"
#include "push/ws_protocol.hpp"
#include "push/ws_session.hpp"

namespace lastmile::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kWsPath = "/v1/live";
constexpr std::string_view kSsePath = "/v1/live/sse";

std::string_view path_of(const Request& req) {
  std::string_view target = req.target();
  return target.substr(0, target.find('?'));
}

std::string_view reason_name(push::EndReason r) {
  switch (r) {
    case push::EndReason::kClientGone: return "client_gone";
    case push::EndReason::kShutdown: return "shutdown";
    case push::EndReason::kLagging: return "lagging";
    case push::EndReason::kResync: return "resync";
  }
  return "client_gone";
}

double seconds_since(SteadyClock::time_point t) {
  return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

// The missed events of one subscription, read from the store on the blocking pool.
class StoreBacklog final : public push::Backlog {
 public:
  StoreBacklog(storage::Store& store, LiveEventFilter filter, int64_t after, asio::any_io_executor blocking,
               const LiveStreamOptions& options)
      : store_(store), filter_(std::move(filter)), after_(after), blocking_(std::move(blocking)), options_(options) {}

  asio::awaitable<Page> next_page() override {
    // std::optional: co_spawn needs a default-constructible result.
    auto read = co_await asio::co_spawn(
        blocking_,
        [this]() -> asio::awaitable<std::optional<core::Result<ReplayPage>>> {
          try {
            co_return read_replay_page(store_, filter_, after_, options_.replay_page);
          } catch (const std::exception& e) {
            spdlog::error("live replay failed: {}", e.what());
            co_return core::Result<ReplayPage>(core::Error::internal());
          }
        },
        asio::use_awaitable);
    Page page;
    if (!read || !*read) {
      spdlog::warn("live replay read failed ({}): asking the client to resync",
                   read ? read->error().message : "no result");
      page.state = Page::State::kResync;
      co_return page;
    }
    auto& result = read->value();
    after_ = result.last_read;
    scanned_ += options_.replay_page;
    sent_ += static_cast<int>(result.messages.size());
    page.messages = std::move(result.messages);
    if (result.exhausted) {
      page.state = Page::State::kDone;
    } else if (sent_ >= options_.replay_max_events || scanned_ >= options_.replay_max_scanned) {
      page.state = Page::State::kResync;
    } else {
      page.state = Page::State::kMore;
    }
    co_return page;
  }

 private:
  storage::Store& store_;
  LiveEventFilter filter_;
  int64_t after_;
  asio::any_io_executor blocking_;
  const LiveStreamOptions& options_;
  int sent_ = 0;
  int scanned_ = 0;
};

Response refusal(const Request& req, const core::Error& error, int status = 0) {
  const bool internal = error.code == core::ErrorCode::kInternal;
  Response res{static_cast<http::status>(status ? status : http_status(error.code)), req.version()};
  res.set(http::field::server, "lastmile");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = error_body(internal ? core::Error::internal() : error);
  res.prepare_payload();
  return res;
}

// 429 with Retry-After (whole seconds, at least 1), as the router answers a request over a limit.
Response too_many(const Request& req, double wait_s) {
  const long seconds = std::max(1L, static_cast<long>(std::ceil(wait_s)));
  Response res = refusal(req, core::Error{core::ErrorCode::kRateLimited,
                                          "too many live connections or failed lookups from this address; retry after " +
                                              std::to_string(seconds) + " s",
                                          ""});
  res.set(http::field::retry_after, std::to_string(seconds));
  return res;
}

std::string peer_of(const beast::tcp_stream& stream) {
  boost::system::error_code ec;
  auto ep = stream.socket().remote_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

enum class Transport : uint8_t { kWebSocket = 0, kSse = 1 };

// Metric names, one per transport: built once, so a session holds none.
struct TransportNames {
  std::string name;      // "websocket", "sse"
  std::string sessions;  // lastmile_live_sessions{transport=…}
  std::string sent;      // lastmile_live_messages_sent_total{transport=…}
};
const TransportNames& names(Transport t) {
  static const TransportNames ws{"websocket", R"(lastmile_live_sessions{transport="websocket"})",
                                 R"(lastmile_live_messages_sent_total{transport="websocket"})"};
  static const TransportNames sse{"sse", R"(lastmile_live_sessions{transport="sse"})",
                                  R"(lastmile_live_messages_sent_total{transport="sse"})"};
  return t == Transport::kWebSocket ? ws : sse;
}

// One accepted live connection: the push session, what it is started with, and its metrics and
// log line. The server holds it until `done`.
class LiveStream final : public Stream {
 public:
  LiveStream(std::shared_ptr<push::LiveSession> session, push::FeedSetup setup, Metrics& metrics, Transport transport,
             std::string who)
      : session_(std::move(session)),
        setup_(std::make_unique<push::FeedSetup>(std::move(setup))),
        metrics_(metrics),
        who_(std::move(who)),
        transport_(transport) {}

  void start(std::function<void()> done) override {
    started_ = SteadyClock::now();
    done_ = std::move(done);
    metrics_.gauge_add(names(transport_).sessions, "Open live sessions by transport", 1);
    // `this` outlives the session's run: the server holds this object until done_ is called.
    session_->start(std::move(*setup_), [this](push::EndReason reason) { ended(reason); });
    setup_.reset();
  }

  void stop() override { session_->stop(); }

 private:
  void ended(push::EndReason reason) {
    const auto& n = names(transport_);
    metrics_.gauge_add(n.sessions, "Open live sessions by transport", -1);
    metrics_.count("lastmile_live_sessions_closed_total{transport=\"" + n.name + "\",reason=\"" +
                       std::string(reason_name(reason)) + "\"}",
                   "Live sessions ended, by transport and reason");
    spdlog::info("live {} session of {} ended after {:.1f}s: {}", n.name, who_, seconds_since(started_),
                 reason_name(reason));
    auto done = std::move(done_);
    done();  // the server forgets the connection: this object may be gone after it
  }

  std::shared_ptr<push::LiveSession> session_;
  std::unique_ptr<push::FeedSetup> setup_;  // until start()
  Metrics& metrics_;
  std::function<void()> done_;
  std::string who_;
  SteadyClock::time_point started_{};
  Transport transport_;
};

}  // namespace

LiveStreamHandler::LiveStreamHandler(const Services& services, LiveStreamOptions options)
    : services_(services), options_(std::move(options)) {}

bool LiveStreamHandler::wants(const Request& req) const {
  if (req.method() != http::verb::get) return false;
  const auto path = path_of(req);
  if (path == kSsePath) return true;
  return path == kWsPath && beast::websocket::is_upgrade(req);
}

namespace {

// Subscribes first, then reads the cursor and sets up the backlog: nothing falls in between. The
// session takes the connection's socket.
std::shared_ptr<Stream> start(std::shared_ptr<push::LiveSession> session, const Services& services,
                              const LiveStreamOptions& options, const LiveSubscription& sub,
                              asio::any_io_executor blocking, Transport transport) {
  push::Hub& hub = *services.live_hub;
  push::FeedSetup setup;
  setup.subscription = hub.subscribe(live_topics(sub), sub.audience, session->waker());
  setup.cursor = sub.after.value_or(hub.last_event_seq());
  if (sub.after)
    setup.backlog = std::make_unique<StoreBacklog>(services.store, LiveEventFilter(sub), *sub.after,
                                                   std::move(blocking), options);
  // Two pointers: kept inline by std::function.
  setup.on_sent = [metrics = &services.metrics, label = &names(transport).sent](uint64_t n) {
    metrics->count(*label, "Live messages sent to clients", n);
  };
  return std::make_shared<LiveStream>(std::move(session), std::move(setup), services.metrics, transport, sub.who);
}

}  // namespace

std::variant<Response, std::shared_ptr<Stream>> LiveStreamHandler::open(beast::tcp_stream& stream, Request req,
                                                                        asio::any_io_executor blocking) {
  const auto started = SteadyClock::now();
  const bool sse = path_of(req) == kSsePath;
  const std::string_view route_name = sse ? kSsePath : kWsPath;
  auto refuse = [&](Response res) {
    services_.metrics.observe_request(route_name, "GET", res.result_int(), seconds_since(started));
    spdlog::info("GET {} {} {:.2f}ms", route_name, res.result_int(), seconds_since(started) * 1000);
    return res;
  };
  try {
    // The handshake is limited per client address like the public token routes (docs/api.md, "Rate
    // limits"): an address whose lookups keep failing waits before it may try another token.
    const std::string peer = peer_of(stream);
    RateLimits* limits = peer.empty() ? nullptr : services_.rate_limits;
    const int64_t now_ms = services_.clock.now().ms;
    if (limits) {
      if (auto wait = limits->failures.check(peer, now_ms)) return refuse(too_many(req, *wait));
      if (auto wait = limits->per_address.take(peer, now_ms)) return refuse(too_many(req, *wait));
    }
    auto sub = resolve_live_subscription(services_, req, sse);
    if (!sub) {
      const auto code = sub.error().code;
      if (code == core::ErrorCode::kUnauthenticated || code == core::ErrorCode::kNotFound)
        count_failed_lookup(limits, peer, now_ms);
      if (sub.error().code == core::ErrorCode::kInternal)
        spdlog::error("internal error on GET {}: {}", route_name, sub.error().message);
      return refuse(refusal(req, sub.error()));
    }
    std::string accept;
    if (!sse) {
      auto check = push::ws::check_handshake(req);
      if (check.status != 101) {
        Response res = refusal(req, core::Error::invalid_field(check.field, check.message), check.status);
        if (check.status == 426) res.set(http::field::sec_websocket_version, "13");
        return refuse(std::move(res));
      }
      accept = std::move(check.accept);
    }
    const int status = sse ? 200 : 101;
    services_.metrics.observe_request(route_name, "GET", status, seconds_since(started));
    spdlog::info("GET {} {} {} {:.2f}ms", route_name, status, sub->who, seconds_since(started) * 1000);
    if (sse)
      return start(std::make_shared<push::SseSession>(stream.release_socket(), options_.session), services_, options_,
                   *sub, std::move(blocking), Transport::kSse);
    return start(std::make_shared<push::WsSession>(stream.release_socket(), options_.session, accept), services_,
                 options_, *sub, std::move(blocking), Transport::kWebSocket);
  } catch (const std::exception& e) {
    // If the socket was already taken, the refusal cannot be written and the connection just closes.
    spdlog::error("handler exception on GET {}: {}", route_name, e.what());
    services_.metrics.observe_request(route_name, "GET", 500, seconds_since(started));
    return refusal(req, core::Error::internal());
  }
}

}  // namespace lastmile::api
