#include "api/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>
#include <vector>

#include "api/http_error.hpp"

namespace lastmile::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct Server::Session {
  explicit Session(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;  // a request is being handled; touched only on the stream's strand
  StreamControl control;  // for a connection a StreamHandler took over; touched only on the strand
  bool shutdown_notified = false;  // control.on_shutdown was called; touched only on the strand
  bool handed_over = false;  // serve_stream owns the connection; never reset (strand only)
};

namespace {

Response error_response(int status, core::ErrorCode code, std::string message) {
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::server, "lastmile");
  res.set(http::field::content_type, "application/json");
  res.body() = error_body(core::Error{code, std::move(message), ""});
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

// Maps a read failure to the reply a client deserves, or nullopt to just close.
std::optional<Response> reply_for_read_error(const beast::error_code& ec, const ServerOptions& o) {
  if (ec == http::error::body_limit)
    return error_response(413, core::ErrorCode::kTooLarge,
                          "request body exceeds " + std::to_string(o.max_body_bytes) + " bytes");
  if (ec == http::error::header_limit)
    return error_response(431, core::ErrorCode::kTooLarge,
                          "request header exceeds " + std::to_string(o.max_header_bytes) + " bytes");
  const beast::error_code eos = http::error::end_of_stream;
  if (ec.category() == eos.category() && ec != http::error::end_of_stream && ec != http::error::partial_message)
    return error_response(400, core::ErrorCode::kInvalidField, "malformed HTTP request: " + ec.message());
  return std::nullopt;
}

}  // namespace

Server::Server(ServerOptions options, const Router& router, Metrics& metrics, StreamHandler* streams)
    : options_(std::move(options)), router_(router), metrics_(metrics), streams_(streams), io_(options_.threads),
      blocking_pool_(static_cast<size_t>(std::max(1, options_.blocking_threads))),
      acceptor_(asio::make_strand(io_)) {}

Server::~Server() {
  blocking_pool_.stop();
  blocking_pool_.join();
}

void Server::listen() {
  tcp::endpoint ep{asio::ip::make_address(options_.host), options_.port};
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  bound_port_ = acceptor_.local_endpoint().port();
}

static bool writes(http::verb v) {
  return v == http::verb::post || v == http::verb::put || v == http::verb::patch || v == http::verb::delete_;
}

// A connection a StreamHandler took over: it runs in its own coroutine, so the request/response
// loop's frame (buffers, parser) is freed for as long as the stream lasts. A refusal is sent and the
// connection closed.
static asio::awaitable<void> serve_stream(std::shared_ptr<Server::Session> s, StreamHandler& streams, Request req,
                                          const ServerOptions& opt, asio::thread_pool& blocking_pool) {
  auto opened = streams.open(s->stream, std::move(req), blocking_pool.get_executor());
  if (auto* refusal = std::get_if<Response>(&opened)) {
    refusal->keep_alive(false);
    s->stream.expires_after(opt.read_timeout);
    co_await http::async_write(s->stream, *refusal, asio::as_tuple(asio::use_awaitable));
  } else {
    auto stream = std::move(std::get<std::unique_ptr<Stream>>(opened));
    opened = Response{};  // nothing of the request is kept while the stream runs
    co_await stream->run(s->control);
  }
  beast::error_code ignored;
  s->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  s->stream.close();
}

static asio::awaitable<void> serve_session(std::shared_ptr<Server::Session> s, const Router& router,
                                           StreamHandler* streams, const ServerOptions& opt,
                                           const std::atomic<bool>& stopping, asio::thread_pool& blocking_pool,
                                           std::function<void(asio::awaitable<void>)> spawn_stream) {
  beast::flat_buffer buffer;
  for (;;) {
    if (stopping.load()) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    parser.body_limit(opt.max_body_bytes);
    s->stream.expires_after(opt.read_timeout);
    // The header first: once it is in, the request is in flight and a shutdown lets it finish;
    // before that the connection is idle and a shutdown closes it.
    auto [ec, n] = co_await http::async_read_header(s->stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (!ec && !parser.is_done()) {
      s->busy = true;
      std::tie(ec, n) = co_await http::async_read(s->stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    }
    if (ec) {
      if (auto reply = reply_for_read_error(ec, opt)) {
        s->stream.expires_after(std::chrono::seconds(5));
        co_await http::async_write(s->stream, *reply, asio::as_tuple(asio::use_awaitable));
      }
      break;
    }
    s->busy = true;
    Response res;
    const bool client_keep_alive = parser.get().keep_alive();
    if (streams && streams->wants(parser.get())) {
      s->stream.expires_never();
      s->handed_over = true;
      spawn_stream(serve_stream(s, *streams, parser.release(), opt, blocking_pool));
      co_return;
    }
    if (opt.every_request_blocks || writes(parser.get().method())) {
      // On the blocking pool; the session resumes on its strand when the handler is done. (A bare
      // asio::post(pool) would resume on the strand at once: the handler would run there.)
      const Request& req = parser.get();
      res = co_await asio::co_spawn(
          blocking_pool.get_executor(), [&router, &req]() -> asio::awaitable<Response> { co_return router.handle(req); },
          asio::use_awaitable);
    } else {
      res = router.handle(parser.get());
    }
    const bool keep_alive = client_keep_alive && !stopping.load();
    res.keep_alive(keep_alive);
    s->stream.expires_after(opt.read_timeout);
    auto [wec, wn] = co_await http::async_write(s->stream, res, asio::as_tuple(asio::use_awaitable));
    s->busy = false;
    if (wec || !keep_alive) break;
  }
  beast::error_code ignored;
  s->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  s->stream.close();
}

void Server::run() {
  // Accept loop.
  asio::co_spawn(
      acceptor_.get_executor(),
      [this]() -> asio::awaitable<void> {
        for (;;) {
          auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), asio::as_tuple(asio::use_awaitable));
          if (ec) {
            if (stopping_ || ec == asio::error::operation_aborted) co_return;
            // Out of file descriptors (or another resource): the pending connection stays queued,
            // so retrying at once would spin a core and flood the log. Back off, warn once per pause.
            spdlog::warn("accept failed: {}; pausing accepts for 100 ms", ec.message());
            asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
          }
          socket.set_option(tcp::no_delay(true), ec);
          auto session = std::make_shared<Session>(std::move(socket));
          {
            std::lock_guard lock(sessions_mu_);
            sessions_.insert(session);
          }
          metrics_.connection_opened();
          auto executor = session->stream.get_executor();
          // The connection ends when serve_session ends or, once it handed the connection to a
          // stream handler (handed_over, never reset), when serve_stream ends.
          auto log_failure = [](std::exception_ptr e) {
            if (!e) return;
            try {
              std::rethrow_exception(e);
            } catch (const std::exception& ex) {
              spdlog::error("connection error: {}", ex.what());
            }
          };
          auto finished = [this, session] {
            metrics_.connection_closed();
            std::lock_guard lock(sessions_mu_);
            sessions_.erase(session);
          };
          auto spawn_stream = [executor, log_failure, finished](asio::awaitable<void> stream) {
            asio::co_spawn(executor, std::move(stream), [log_failure, finished](std::exception_ptr e) {
              log_failure(e);
              finished();
            });
          };
          asio::co_spawn(executor,
                         serve_session(session, router_, streams_, options_, stopping_, blocking_pool_, spawn_stream),
                         [session, log_failure, finished](std::exception_ptr e) {
                           log_failure(e);
                           if (!session->handed_over) finished();
                         });
        }
      },
      asio::detached);

  // An exception escaping a handler must not take the process down with a thread still running.
  auto run_loop = [this] {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("event loop error: {}", e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < options_.threads; ++i) threads.emplace_back(run_loop);
  run_loop();
  for (auto& t : threads) t.join();
}

void Server::close_idle_sessions() {
  std::lock_guard lock(sessions_mu_);
  for (const auto& s : sessions_) {
    asio::post(s->stream.get_executor(), [s] {
      s->control.shutting_down = true;
      if (s->control.on_shutdown) {
        if (!s->shutdown_notified) {
          s->shutdown_notified = true;
          s->control.on_shutdown();  // a handed-over stream ends itself promptly
        }
        return;
      }
      beast::error_code ignored;  // the socket may already be closed: never throw here
      if (!s->busy) s->stream.socket().cancel(ignored);
    });
  }
}

void Server::stop() {
  if (stopping_.exchange(true)) return;
  // On the acceptor's strand: the accept loop runs there too, so closing it is not a data race.
  asio::co_spawn(
      acceptor_.get_executor(),
      [this]() -> asio::awaitable<void> {
        beast::error_code ec;
        acceptor_.close(ec);
        const auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
        asio::steady_timer timer(co_await asio::this_coro::executor);
        for (;;) {
          close_idle_sessions();
          bool empty;
          {
            std::lock_guard lock(sessions_mu_);
            empty = sessions_.empty();
          }
          if (empty) break;
          if (std::chrono::steady_clock::now() >= deadline) {
            spdlog::warn("drain timeout: closing remaining connections");
            break;
          }
          timer.expires_after(std::chrono::milliseconds(20));
          co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        io_.stop();
      },
      asio::detached);
}

}  // namespace lastmile::api
