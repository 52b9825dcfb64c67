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

// GCC 12 reports a false -Wmismatched-new-delete on Asio's coroutine frames (their operator
// new/delete pair is class-specific; GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

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

}  // namespace

LiveStreamHandler::LiveStreamHandler(const Services& services, LiveStreamOptions options)
    : services_(services), options_(std::move(options)) {}

bool LiveStreamHandler::wants(const Request& req) const {
  if (req.method() != http::verb::get) return false;
  const auto path = path_of(req);
  if (path == kSsePath) return true;
  return path == kWsPath && beast::websocket::is_upgrade(req);
}

asio::awaitable<std::optional<Response>> LiveStreamHandler::serve(beast::tcp_stream& stream, Request req,
                                                                  StreamControl& control,
                                                                  asio::any_io_executor blocking) {
  const auto started = SteadyClock::now();
  const bool sse = path_of(req) == kSsePath;
  const std::string_view route_name = sse ? kSsePath : kWsPath;
  const std::string transport = sse ? "sse" : "websocket";
  Metrics& metrics = services_.metrics;

  auto sub = resolve_live_subscription(services_, req, sse);
  if (sub && control.shutting_down) sub = core::Error{core::ErrorCode::kUnavailable, "shutting down", ""};
  if (!sub) {
    if (sub.error().code == core::ErrorCode::kInternal)
      spdlog::error("internal error on GET {}: {}", route_name, sub.error().message);
    Response res = refusal(req, sub.error());
    metrics.observe_request(route_name, "GET", res.result_int(), seconds_since(started));
    spdlog::info("GET {} {} {:.2f}ms", route_name, res.result_int(), seconds_since(started) * 1000);
    co_return res;
  }

  push::Hub& hub = *services_.live_hub;
  const std::string label = "{transport=\"" + transport + "\"}";
  push::FeedSetup setup;
  setup.on_sent = [&metrics, &label](uint64_t n) {
    metrics.count("lastmile_live_messages_sent_total" + label, "Live messages sent to clients", n);
  };
  // Subscribe first, then read the cursor / the backlog: nothing falls in between.
  auto start_feed = [&](std::function<void()> wake) {
    setup.subscription = hub.subscribe(live_topics(*sub), sub->audience, std::move(wake));
    setup.cursor = sub->after.value_or(hub.last_event_seq());
    if (sub->after)
      setup.backlog = std::make_unique<StoreBacklog>(services_.store, LiveEventFilter(*sub), *sub->after, blocking,
                                                     options_);
    const int status = sse ? 200 : 101;
    metrics.observe_request(route_name, "GET", status, seconds_since(started));
    metrics.gauge_add("lastmile_live_sessions" + label, "Open live sessions by transport", 1);
    spdlog::info("GET {} {} {} {:.2f}ms", route_name, status, sub->who, seconds_since(started) * 1000);
  };

  push::EndReason reason;
  if (sse) {
    push::SseSession session(stream, options_.session);
    start_feed(session.waker());
    control.on_shutdown = [&session] { session.stop(); };
    reason = co_await session.run(std::move(setup));
  } else {
    push::WsSession session(stream, options_.session);
    start_feed(session.waker());
    control.on_shutdown = [&session] { session.stop(); };
    reason = co_await session.run(req, std::move(setup));
  }
  control.on_shutdown = nullptr;
  metrics.gauge_add("lastmile_live_sessions" + label, "Open live sessions by transport", -1);
  metrics.count("lastmile_live_sessions_closed_total{transport=\"" + transport + "\",reason=\"" +
                    std::string(reason_name(reason)) + "\"}",
                "Live sessions ended, by transport and reason");
  spdlog::info("live {} session of {} ended after {:.1f}s: {}", transport, sub->who, seconds_since(started),
               reason_name(reason));
  co_return std::nullopt;
}

}  // namespace lastmile::api
