#pragma once
// The HTTP/1.1 server: Boost.Asio + Beast with C++20 coroutines, one strand per connection,
// keep-alive, request size limits, read timeouts, graceful shutdown.
//
// Threading: run() blocks and runs the io_context on `threads` threads; requests with a method that
// writes (POST, PUT, PATCH, DELETE) are handled on a separate pool of `blocking_threads` threads, so
// that writers blocked on a durable commit neither stall reads nor limit how many writes one group
// commit can carry (storage/sqlite/commit_queue.hpp) — except asynchronous routes
// (RouteSpec::async_handler: the ingest routes), which start on the I/O thread and answer from the
// store's completion, with no thread waiting (Router::handle_async); stop() may be called from
// any thread (or a signal handler via asio::signal_set) and returns at once.
// Shutdown: stop() closes the listener, closes idle connections, lets requests in flight finish and
// answer with "Connection: close", asks handed-over connections to end (Stream::stop), and run()
// returns when all connections are gone or after `drain_timeout`, whichever comes first.
// Streams: a StreamHandler may take requests over whole (WebSocket upgrades, event streams) before
// they are routed, with the socket; the request loop's coroutine, its buffers and the HTTP stream
// are freed, and the connection stays in the server's set (a small record) until the Stream calls
// its `done`.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace lastmile::api {

// A connection taken over by a StreamHandler (a WebSocket, an event stream). It owns the socket
// (taken in StreamHandler::open), so nothing of the HTTP side of the connection — request buffer,
// parser, timers, coroutine frame — stays allocated while it runs.
class Stream {
 public:
  virtual ~Stream() = default;
  // Starts serving, on the connection's strand. `done` is called once, on the strand, when the
  // connection is over and the socket closed; the server then forgets the connection (and may
  // destroy the Stream from within `done`).
  virtual void start(std::function<void()> done) = 0;
  // The server is stopping: end promptly (e.g. a WebSocket close "going away"). On the strand,
  // after start(); called once.
  virtual void stop() = 0;
};

// Takes over requests that are not request/response: WebSocket upgrades, event streams.
// Implementations must be thread-safe (many connections call them at once).
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // True when `req` (headers and body read) is one this handler serves instead of the router.
  virtual bool wants(const Request& req) const = 0;
  // On the connection's strand, before anything was sent on `stream` (whose timeouts are off):
  // authorises `req`. Returns a refusal for the server to send on `stream` (then it closes the
  // connection), or the Stream to start, which has taken the socket (stream.release_socket()).
  // `blocking` is for the stream's blocking work, such as long database reads.
  virtual std::variant<Response, std::shared_ptr<Stream>> open(boost::beast::tcp_stream& stream, Request req,
                                                               boost::asio::any_io_executor blocking) = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 = any free port (see bound_port())
  int threads = 2;            // I/O threads: parsing, routing, reads, responses
  int blocking_threads = 64;  // requests that write run here, so many can wait on one group commit
  size_t max_body_bytes = 1 << 20;
  // The body limit of the proof-of-delivery uploads (is_upload_request), chosen once the header is in.
  size_t max_upload_bytes = 24 << 20;
  size_t max_header_bytes = 16 << 10;
  // The CSV order import (is_import_request): its body is spooled to a file in `spool_dir` (empty: the
  // system's temporary directory) up to this size, then parsed from there in bounded memory; the
  // whole request may take import_read_timeout to arrive.
  size_t max_import_bytes = size_t{512} << 20;
  std::string spool_dir = {};
  std::chrono::seconds import_read_timeout{600};
  std::chrono::seconds read_timeout{30};   // for one whole request, and idle keep-alive
  std::chrono::seconds drain_timeout{10};
  // Open connections (WebSockets and event streams included). Over either limit a new connection
  // gets one small refusal (503 unavailable / 429 rate_limited, Retry-After: 1) and is closed before
  // anything is read. 0 = no limit.
  size_t max_connections = 0;
  size_t max_connections_per_ip = 0;
  // Every request runs on the blocking pool, whatever its method (tracker protocols such as
  // OsmAnd write on GET).
  bool every_request_blocks = false;
};

// True for the multipart upload routes (POST /v1/shipments/{id}/proof and …/attempts), which get
// max_upload_bytes instead of max_body_bytes.
bool is_upload_request(boost::beast::http::verb method, std::string_view target);
// True for POST /v1/shipments/import, whose body is spooled to disk (ServerOptions::max_import_bytes).
bool is_import_request(boost::beast::http::verb method, std::string_view target);

class Server {
 public:
  // `streams` (optional) must outlive the server.
  Server(ServerOptions options, const Router& router, Metrics& metrics, StreamHandler* streams = nullptr);
  ~Server();

  // Binds the listening socket. Throws std::system_error when the address is unusable.
  void listen();
  unsigned short bound_port() const { return bound_port_; }
  // Serves until stop(); returns after the drain.
  void run();
  void stop();

  struct Session;  // one connection; defined in server.cpp

 private:
  // Orders sessions by address, so that a raw pointer finds its entry.
  struct SessionLess {
    using is_transparent = void;
    bool operator()(const std::shared_ptr<Session>& a, const std::shared_ptr<Session>& b) const {
      return a.get() < b.get();
    }
    bool operator()(const std::shared_ptr<Session>& a, const Session* b) const { return a.get() < b; }
    bool operator()(const Session* a, const std::shared_ptr<Session>& b) const { return a < b.get(); }
  };

  void close_idle_sessions();
  void connection_finished(Session* session);
  // Registers a new connection, or returns the refusal to send when a connection limit is reached.
  std::optional<Response> admit(const std::shared_ptr<Session>& session);

  ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  StreamHandler* streams_;
  boost::asio::io_context io_;
  boost::asio::thread_pool blocking_pool_;
  // Runs on its own strand (see stop()).
  boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, boost::asio::strand<boost::asio::io_context::executor_type>>
      acceptor_;
  unsigned short bound_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex sessions_mu_;
  std::set<std::shared_ptr<Session>, SessionLess> sessions_;  // GUARDED_BY(sessions_mu_)
  std::unordered_map<std::string, size_t> per_ip_;             // open connections by peer; GUARDED_BY(sessions_mu_)
};

}  // namespace lastmile::api
