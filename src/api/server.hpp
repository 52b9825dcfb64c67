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
// answer with "Connection: close", and run() returns when all connections are gone or after
// `drain_timeout`, whichever comes first.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace lastmile::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 = any free port (see bound_port())
  int threads = 2;            // I/O threads: parsing, routing, reads, responses
  int blocking_threads = 16;  // requests that write run here, so many can wait on one group commit
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};   // for one whole request, and idle keep-alive
  std::chrono::seconds drain_timeout{10};
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
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
