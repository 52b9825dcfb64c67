#pragma once
// The HTTP/1.1 server: Boost.Asio + Beast with C++20 coroutines, one strand per connection,
// keep-alive, request size limits, read timeouts, graceful shutdown.
//
// Threading: run() blocks and runs the io_context on `threads` threads; requests with a method that
// writes (POST, PUT, PATCH, DELETE) are handled on a separate pool of `blocking_threads` threads, so
// that writers blocked on a durable commit neither stall reads nor limit how many writes one group
// commit can carry (storage/sqlite/commit_queue.hpp); stop() may be called from
// any thread (or a signal handler via asio::signal_set) and returns at once.
// Shutdown: stop() closes the listener, closes idle connections, lets requests in flight finish and
// answer with "Connection: close", asks handed-over connections to end (StreamControl), and run()
// returns when all connections are gone or after `drain_timeout`, whichever comes first.
// Streams: a StreamHandler may take requests over whole (WebSocket upgrades, event streams) before
// they are routed; the connection then stays in the server's set until the handler is done.

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
#include <set>
#include <string>
#include <variant>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace lastmile::api {

// How the server tells a handed-over connection that it is stopping. Touched only on the
// connection's strand.
struct StreamControl {
  bool shutting_down = false;  // set by the server before it calls on_shutdown
  // Set by the stream handler while it serves; called once when the server stops. The handler
  // should then end promptly (e.g. a WebSocket close "going away").
  std::function<void()> on_shutdown;
};

// A connection taken over by a StreamHandler (a WebSocket, an event stream).
class Stream {
 public:
  virtual ~Stream() = default;
  // Serves the connection on its strand until it ends; the server then closes it. `control` tells
  // of a server shutdown (check control.shutting_down first: it may already be set).
  virtual boost::asio::awaitable<void> run(StreamControl& control) = 0;
};

// Takes over requests that are not request/response: WebSocket upgrades, event streams.
// Implementations must be thread-safe (many connections call them at once).
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  // True when `req` (headers and body read) is one this handler serves instead of the router.
  virtual bool wants(const Request& req) const = 0;
  // On the connection's strand, before anything was sent on `stream` (whose timeouts are off):
  // authorises `req`. Returns a refusal for the server to send (then it closes the connection), or
  // the Stream to run. `blocking` is for the stream's blocking work, such as long database reads.
  // Split from Stream::run so that nothing of the request's handling stays allocated while a
  // long-lived stream is idle.
  virtual std::variant<Response, std::unique_ptr<Stream>> open(boost::beast::tcp_stream& stream, Request req,
                                                               boost::asio::any_io_executor blocking) = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 = any free port (see bound_port())
  int threads = 2;            // I/O threads: parsing, routing, reads, responses
  int blocking_threads = 16;  // requests that write run here, so many can wait on one group commit
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};   // for one whole request, and idle keep-alive
  std::chrono::seconds drain_timeout{10};
  // Every request runs on the blocking pool, whatever its method (tracker protocols such as
  // OsmAnd write on GET).
  bool every_request_blocks = false;
};

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
  void close_idle_sessions();

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
  std::set<std::shared_ptr<Session>> sessions_;  // GUARDED_BY(sessions_mu_)
};

}  // namespace lastmile::api
