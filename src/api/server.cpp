#include "api/server.hpp"

#include <algorithm>
#include <filesystem>

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "api/http_error.hpp"
#include "core/crypto.hpp"

namespace lastmile::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct Server::Session {
  explicit Session(tcp::socket socket) : executor(socket.get_executor()), peer(address_of(socket)),
                                         http(std::in_place, std::move(socket)) {}
  static std::string address_of(const tcp::socket& socket) {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
  }
  asio::any_io_executor executor;          // the connection's strand
  const std::string peer;                  // the client's address (rate limits); immutable
  // The HTTP side; reset once a StreamHandler took the connection over (its socket moved out).
  std::optional<beast::tcp_stream> http;
  std::shared_ptr<Stream> stream;  // the Stream serving the connection after a hand-over
  bool busy = false;               // a request is being handled
  bool shutting_down = false;      // the server is stopping (stream->stop() was called if a stream serves)
  // All touched only on the strand, except `executor` (immutable).
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
std::optional<Response> reply_for_read_error(const beast::error_code& ec, const ServerOptions& o, size_t body_limit) {
  if (ec == http::error::body_limit)
    return error_response(413, core::ErrorCode::kTooLarge,
                          "request body exceeds " + std::to_string(body_limit) + " bytes");
  if (ec == http::error::header_limit)
    return error_response(431, core::ErrorCode::kTooLarge,
                          "request header exceeds " + std::to_string(o.max_header_bytes) + " bytes");
  const beast::error_code eos = http::error::end_of_stream;
  if (ec.category() == eos.category() && ec != http::error::end_of_stream && ec != http::error::partial_message)
    return error_response(400, core::ErrorCode::kInvalidField, "malformed HTTP request: " + ec.message());
  return std::nullopt;
}

// Sends a refusal without reading the request (it fits the socket's send buffer; a client that does not
// read it loses nothing but the message), then closes.
void refuse(beast::tcp_stream& stream, Response res) {
  res.set(http::field::retry_after, "1");
  res.prepare_payload();
  auto& socket = stream.socket();
  beast::error_code ec;
  socket.non_blocking(true, ec);
  http::response_serializer<http::string_body> sr(res);
  http::write(socket, sr, ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace

bool is_upload_request(http::verb method, std::string_view target) {
  if (method != http::verb::post) return false;
  target = target.substr(0, target.find('?'));
  constexpr std::string_view kPrefix = "/v1/shipments/";
  if (target.substr(0, kPrefix.size()) != kPrefix) return false;
  target.remove_prefix(kPrefix.size());
  const size_t slash = target.find('/');
  if (slash == 0 || slash == std::string_view::npos) return false;
  const std::string_view rest = target.substr(slash);
  return rest == "/proof" || rest == "/attempts";
}

bool is_import_request(http::verb method, std::string_view target) {
  return method == http::verb::post && target.substr(0, target.find('?')) == "/v1/shipments/import";
}

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

// Runs an asynchronous route; the awaiting coroutine resumes on its own executor with the response.
static asio::awaitable<Response> answer_async(const Router& router, const Request& req, std::string_view peer) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [&router, &req, peer](auto handler) {
        // Shared: Router's callback is a std::function (copyable), the awaitable's handler is move-only.
        using Handler = decltype(handler);
        auto h = std::make_shared<Handler>(std::move(handler));
        router.handle_async(
            req,
            [h](Response res) {
              auto ex = asio::get_associated_executor(*h);
              asio::post(ex, [h, res = std::move(res)]() mutable { std::move (*h)(std::move(res)); });
            },
            peer);
      },
      asio::use_awaitable);
}

namespace {

// Removes the spool file when the request is done with it.
struct SpoolFile {
  std::string path;
  ~SpoolFile() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

std::string spool_path(const ServerOptions& opt) {
  std::error_code ec;
  std::filesystem::path dir =
      opt.spool_dir.empty() ? std::filesystem::temp_directory_path(ec) : std::filesystem::path(opt.spool_dir);
  return (dir / ("lastmile-import-" + core::random_token(12) + ".body")).string();
}

}  // namespace

// Reads the body of an import request (header already read by `header_parser`) into a spool file,
// then answers it with the file as RequestContext::body_file. Memory stays bounded by the read
// buffer whatever the body size; an oversized or cut-off body is refused before anything is
// processed. Returns the response to write (keep-alive as the client asked, unless an error).
static asio::awaitable<Response> answer_import(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                               http::request_parser<http::string_body>& header_parser,
                                               const Router& router, const ServerOptions& opt,
                                               asio::thread_pool& blocking_pool, std::string_view peer) {
  if (auto length = header_parser.content_length(); length && *length > opt.max_import_bytes)
    co_return error_response(413, core::ErrorCode::kTooLarge,
                             "import body exceeds " + std::to_string(opt.max_import_bytes) + " bytes");
  // The credential and its role are checked before the body is read, so only a caller allowed to
  // import can fill the spool (the router checks them again with the body).
  {
    const Request& header = header_parser.get();
    std::optional<Response> refused = co_await asio::co_spawn(
        blocking_pool.get_executor(),
        [&router, &header, peer]() -> asio::awaitable<std::optional<Response>> {
          co_return router.precheck_credential(header, peer);
        },
        asio::use_awaitable);
    if (refused) {
      refused->keep_alive(false);  // its body was never read
      co_return std::move(*refused);
    }
  }
  if (header_parser.is_done()) {  // no body: nothing to spool (the handler refuses an empty file)
    const Request& empty = header_parser.get();
    Response res = co_await asio::co_spawn(
        blocking_pool.get_executor(),
        [&router, &empty, peer]() -> asio::awaitable<Response> { co_return router.handle(empty, peer); },
        asio::use_awaitable);
    res.keep_alive(empty.keep_alive());
    co_return res;
  }
  http::request_parser<http::file_body> parser(std::move(header_parser));
  parser.body_limit(opt.max_import_bytes);
  SpoolFile spool{spool_path(opt)};
  beast::error_code ec;
  parser.get().body().open(spool.path.c_str(), beast::file_mode::write_new, ec);
  if (ec) {
    spool.path.clear();
    co_return error_response(503, core::ErrorCode::kUnavailable, "cannot spool the import body");
  }
  stream.expires_after(opt.import_read_timeout);
  if (!parser.is_done()) {
    auto [rec, n] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (rec == http::error::body_limit)
      co_return error_response(413, core::ErrorCode::kTooLarge,
                               "import body exceeds " + std::to_string(opt.max_import_bytes) + " bytes");
    if (rec) co_return error_response(400, core::ErrorCode::kInvalidField, "import body not received: " + rec.message());
  }
  parser.get().body().file().close(ec);
  const Request req(parser.get().base());  // the header; the body is the spool file
  const std::string* file = &spool.path;
  Response res = co_await asio::co_spawn(
      blocking_pool.get_executor(),
      [&router, &req, peer, file]() -> asio::awaitable<Response> { co_return router.handle(req, peer, file); },
      asio::use_awaitable);
  res.keep_alive(req.keep_alive());
  co_return res;
}

// Beast reads into the connection's buffer at most max(512, free capacity) bytes at a time, and the
// body parser empties the buffer as it goes, so a buffer that starts small stays at 512 bytes: a
// 12 KB batch of pings took 25 reads (and 25 trips through the executor). With the body's length
// known, the buffer is made room for it (up to Beast's 64 KiB read) before the body is read.
static constexpr size_t kMaxBodyRead = 64 * 1024;
static constexpr size_t kIdleBufferBytes = 4 * 1024;

static void reserve_for_body(beast::flat_buffer& buffer, boost::optional<std::uint64_t> content_length) {
  if (!content_length) return;
  const size_t want = static_cast<size_t>(std::min<std::uint64_t>(*content_length, kMaxBodyRead));
  if (buffer.capacity() - buffer.size() < want) buffer.reserve(buffer.size() + want);
}

// Between requests, a connection keeps no large buffer: an idle keep-alive connection costs a few
// hundred bytes, not the last body's size.
static void release_idle_buffer(beast::flat_buffer& buffer) {
  if (buffer.size() == 0 && buffer.capacity() > kIdleBufferBytes) buffer.shrink_to_fit();
}

// The request/response loop of one connection. A request a StreamHandler wants is handed over with
// the socket: the Stream is started with `stream_done` and this coroutine returns, so its frame
// (buffer, parser) and the HTTP side of the connection are freed for as long as the stream lasts.
static asio::awaitable<void> serve_session(std::shared_ptr<Server::Session> s, const Router& router,
                                           StreamHandler* streams, const ServerOptions& opt,
                                           const std::atomic<bool>& stopping, asio::thread_pool& blocking_pool,
                                           std::function<void()> stream_done) {
  beast::tcp_stream& stream = *s->http;
  beast::flat_buffer buffer;
  for (;;) {
    if (stopping.load()) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
    // Beast checks a Content-Length against the limit while reading the header: admit the larger
    // upload limit there, then narrow it for every route that is not an upload.
    parser.body_limit(std::max({opt.max_body_bytes, opt.max_upload_bytes, opt.max_import_bytes}));
    stream.expires_after(opt.read_timeout);
    // The header first: once it is in, the request is in flight and a shutdown lets it finish;
    // before that the connection is idle and a shutdown closes it.
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    size_t body_limit = opt.max_body_bytes;
    if (!ec) {
      if (is_upload_request(parser.get().method(), parser.get().target())) body_limit = opt.max_upload_bytes;
      if (is_import_request(parser.get().method(), parser.get().target())) body_limit = opt.max_import_bytes;
      parser.body_limit(body_limit);
      if (auto length = parser.content_length(); length && *length > body_limit) ec = http::error::body_limit;
    } else if (ec == http::error::body_limit) {
      body_limit = std::max({opt.max_body_bytes, opt.max_upload_bytes, opt.max_import_bytes});
    }
    if (!ec && is_import_request(parser.get().method(), parser.get().target())) {
      s->busy = true;
      Response res = co_await answer_import(stream, buffer, parser, router, opt, blocking_pool, s->peer);
      const bool keep_alive = res.keep_alive() && !stopping.load();
      res.keep_alive(keep_alive);
      stream.expires_after(opt.read_timeout);
      auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
      s->busy = false;
      if (wec || !keep_alive) break;
      continue;
    }
    if (!ec && !parser.is_done()) {
      s->busy = true;
      reserve_for_body(buffer, parser.content_length());
      std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    }
    if (ec) {
      if (auto reply = reply_for_read_error(ec, opt, body_limit)) {
        stream.expires_after(std::chrono::seconds(5));
        co_await http::async_write(stream, *reply, asio::as_tuple(asio::use_awaitable));
      }
      break;
    }
    s->busy = true;
    Response res;
    const bool client_keep_alive = parser.get().keep_alive();
    if (streams && streams->wants(parser.get())) {
      stream.expires_never();
      auto opened = streams->open(stream, parser.release(), blocking_pool.get_executor());
      if (auto* refusal = std::get_if<Response>(&opened)) {
        refusal->keep_alive(false);
        stream.expires_after(opt.read_timeout);
        co_await http::async_write(stream, *refusal, asio::as_tuple(asio::use_awaitable));
        break;
      }
      s->stream = std::move(std::get<std::shared_ptr<Stream>>(opened));
      s->http.reset();  // `stream` is gone: its socket belongs to s->stream now
      s->stream->start(std::move(stream_done));
      if (s->shutting_down) s->stream->stop();
      co_return;
    }
    const bool may_block = opt.every_request_blocks || writes(parser.get().method());
    if (may_block && router.is_async(parser.get())) {
      // An asynchronous route (e.g. a durable ingest write): no thread waits for it; the session
      // resumes on its strand when the route completes.
      res = co_await answer_async(router, parser.get(), s->peer);
    } else if (may_block) {
      // On the blocking pool; the session resumes on its strand when the handler is done. (A bare
      // asio::post(pool) would resume on the strand at once: the handler would run there.)
      const Request& req = parser.get();
      std::string_view peer = s->peer;
      res = co_await asio::co_spawn(
          blocking_pool.get_executor(),
          [&router, &req, peer]() -> asio::awaitable<Response> { co_return router.handle(req, peer); },
          asio::use_awaitable);
    } else {
      res = router.handle(parser.get(), s->peer);
    }
    const bool keep_alive = client_keep_alive && !stopping.load();
    res.keep_alive(keep_alive);
    stream.expires_after(opt.read_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    s->busy = false;
    if (wec || !keep_alive) break;
    release_idle_buffer(buffer);
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.close();
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
          if (auto refusal = admit(session)) {
            metrics_.connection_refused();
            refuse(*session->http, std::move(*refusal));
            continue;
          }
          metrics_.connection_opened();
          // The connection ends when serve_session ends or, once it handed the connection to a
          // Stream (session->stream set, never reset), when that Stream calls its `done`.
          auto log_failure = [](std::exception_ptr e) {
            if (!e) return;
            try {
              std::rethrow_exception(e);
            } catch (const std::exception& ex) {
              spdlog::error("connection error: {}", ex.what());
            }
          };
          // Two pointers: kept inline by std::function, nothing allocated for a long-lived stream.
          // The session is in sessions_ until this runs.
          std::function<void()> stream_done = [this, raw = session.get()] { connection_finished(raw); };
          asio::co_spawn(session->executor,
                         serve_session(session, router_, streams_, options_, stopping_, blocking_pool_, stream_done),
                         [this, session, log_failure](std::exception_ptr e) {
                           log_failure(e);
                           if (!session->stream) connection_finished(session.get());
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

std::optional<Response> Server::admit(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mu_);
  if (options_.max_connections && sessions_.size() >= options_.max_connections)
    return error_response(503, core::ErrorCode::kUnavailable,
                          "the server has " + std::to_string(options_.max_connections) + " connections open");
  size_t& mine = per_ip_[session->peer];
  if (options_.max_connections_per_ip && mine >= options_.max_connections_per_ip)
    return error_response(429, core::ErrorCode::kRateLimited,
                          "your address has " + std::to_string(options_.max_connections_per_ip) +
                              " connections open");
  ++mine;
  sessions_.insert(session);
  return std::nullopt;
}

void Server::connection_finished(Session* session) {
  metrics_.connection_closed();
  std::lock_guard lock(sessions_mu_);
  auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  if (auto ip = per_ip_.find(session->peer); ip != per_ip_.end() && --ip->second == 0) per_ip_.erase(ip);
  sessions_.erase(it);
}

void Server::close_idle_sessions() {
  std::lock_guard lock(sessions_mu_);
  for (const auto& s : sessions_) {
    asio::post(s->executor, [s] {
      if (s->stream) {
        if (!s->shutting_down) s->stream->stop();  // a handed-over stream ends itself promptly
        s->shutting_down = true;
        return;
      }
      s->shutting_down = true;
      beast::error_code ignored;  // the socket may already be closed: never throw here
      if (!s->busy && s->http) s->http->socket().cancel(ignored);
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
