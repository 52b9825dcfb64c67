#include "api/live_stream.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "api/http_error.hpp"
#include "api/live_subscription.hpp"
#include "push/hub.hpp"
#include "push/sse_session.hpp"
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

Response refusal(const Request& req, const core::Error& error) {
  const bool internal = error.code == core::ErrorCode::kInternal;
  Response res{static_cast<http::status>(http_status(error.code)), req.version()};
  res.set(http::field::server, "lastmile");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.body() = error_body(internal ? core::Error::internal() : error);
  res.prepare_payload();
  return res;
}

// One accepted live connection: the push session and what it was set up with. Everything the
// session needs lives here, in one allocation, while the connection is open.
template <typename Session>
class LiveStream final : public Stream {
 public:
  LiveStream(beast::tcp_stream& stream, const push::SessionOptions& options, Metrics& metrics, std::string_view transport,
             std::string who, Request upgrade)
      : session_(stream, options),
        metrics_(metrics),
        label_("{transport=\"" + std::string(transport) + "\"}"),
        transport_(transport),
        who_(std::move(who)),
        upgrade_(std::move(upgrade)) {}

  Session& session() { return session_; }
  push::FeedSetup& setup() { return setup_; }
  const std::string& label() const { return label_; }

  asio::awaitable<void> run(StreamControl& control) override {
    const auto started = SteadyClock::now();
    metrics_.gauge_add("lastmile_live_sessions" + label_, "Open live sessions by transport", 1);
    control.on_shutdown = [this] { session_.stop(); };
    if (control.shutting_down) session_.stop();
    push::EndReason reason;
    if constexpr (std::is_same_v<Session, push::WsSession>) {
      reason = co_await session_.run(std::move(upgrade_), std::move(setup_));
    } else {
      reason = co_await session_.run(std::move(setup_));
    }
    control.on_shutdown = nullptr;
    metrics_.gauge_add("lastmile_live_sessions" + label_, "Open live sessions by transport", -1);
    metrics_.count("lastmile_live_sessions_closed_total{transport=\"" + transport_ + "\",reason=\"" +
                       std::string(reason_name(reason)) + "\"}",
                   "Live sessions ended, by transport and reason");
    spdlog::info("live {} session of {} ended after {:.1f}s: {}", transport_, who_, seconds_since(started),
                 reason_name(reason));
  }

 private:
  Session session_;
  push::FeedSetup setup_;
  Metrics& metrics_;
  std::string label_;
  std::string transport_;
  std::string who_;
  Request upgrade_;  // WebSocket only; dropped once accepted
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

// Subscribes first, then reads the cursor and sets up the backlog: nothing falls in between.
template <typename Session>
std::unique_ptr<Stream> start(beast::tcp_stream& stream, const Services& services, const LiveStreamOptions& options,
                              const LiveSubscription& sub, asio::any_io_executor blocking, std::string_view transport,
                              Request upgrade) {
  auto live = std::make_unique<LiveStream<Session>>(stream, options.session, services.metrics, transport, sub.who,
                                                    std::move(upgrade));
  push::Hub& hub = *services.live_hub;
  auto& setup = live->setup();
  setup.subscription = hub.subscribe(live_topics(sub), sub.audience, live->session().waker());
  setup.cursor = sub.after.value_or(hub.last_event_seq());
  if (sub.after)
    setup.backlog = std::make_unique<StoreBacklog>(services.store, LiveEventFilter(sub), *sub.after,
                                                   std::move(blocking), options);
  setup.on_sent = [&metrics = services.metrics, label = "lastmile_live_messages_sent_total" + live->label()](
                      uint64_t n) { metrics.count(label, "Live messages sent to clients", n); };
  return live;
}

}  // namespace

std::variant<Response, std::unique_ptr<Stream>> LiveStreamHandler::open(beast::tcp_stream& stream, Request req,
                                                                        asio::any_io_executor blocking) {
  const auto started = SteadyClock::now();
  const bool sse = path_of(req) == kSsePath;
  const std::string_view route_name = sse ? kSsePath : kWsPath;
  try {
    auto sub = resolve_live_subscription(services_, req, sse);
    if (sub) {
      const int status = sse ? 200 : 101;
      services_.metrics.observe_request(route_name, "GET", status, seconds_since(started));
      spdlog::info("GET {} {} {} {:.2f}ms", route_name, status, sub->who, seconds_since(started) * 1000);
      if (sse) return start<push::SseSession>(stream, services_, options_, *sub, std::move(blocking), "sse", {});
      return start<push::WsSession>(stream, services_, options_, *sub, std::move(blocking), "websocket",
                                    std::move(req));
    }
    if (sub.error().code == core::ErrorCode::kInternal)
      spdlog::error("internal error on GET {}: {}", route_name, sub.error().message);
    Response res = refusal(req, sub.error());
    services_.metrics.observe_request(route_name, "GET", res.result_int(), seconds_since(started));
    spdlog::info("GET {} {} {:.2f}ms", route_name, res.result_int(), seconds_since(started) * 1000);
    return res;
  } catch (const std::exception& e) {
    spdlog::error("handler exception on GET {}: {}", route_name, e.what());
    services_.metrics.observe_request(route_name, "GET", 500, seconds_since(started));
    return refusal(req, core::Error::internal());
  }
}

}  // namespace lastmile::api
