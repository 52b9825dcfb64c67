#pragma once
// A small synchronous HTTP/1.1 client for `lastmile simulate` / `lastmile demo`: JSON requests with a
// bearer token to a lastmile server, on one kept-alive connection (re-opened when the server closed
// it). Modelled on osrm_client.cpp; plain http only (a demo or a benchmark on loopback or a LAN).
//
// Thread safety: one HttpClient per thread (it owns its connection); any number of them may run.

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace lastmile::app {

struct HttpEndpoint {
  std::string host;
  std::string port;
};

// "http://HOST:PORT[/]" → endpoint; nullopt for anything else (https, a path, no port).
std::optional<HttpEndpoint> parse_http_url(const std::string& url);

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  HttpClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `method` `target` with `Authorization: Bearer token` (when not empty) and `body` as JSON
  // (when not empty), and returns the answer whatever its status. A request on a kept-alive
  // connection the server had closed (the write fails, or EOF / reset before any answer byte) is
  // sent again once on a new connection; nothing else is retried (a timed-out POST may have been
  // taken). Errors: kUnavailable (cannot connect, timeout, malformed answer; the message says which).
  // `headers` are added as given (e.g. Basic credentials with an empty `token`, or another
  // Content-Type for a non-JSON body).
  core::Result<HttpReply> request(const std::string& method, const std::string& target,
                                  const std::string& token, const std::string& body = "",
                                  const HttpHeaders& headers = {});

 private:
  core::Result<HttpReply> attempt(const std::string& method, const std::string& target,
                                  const std::string& token, const std::string& body, const HttpHeaders& headers);

  HttpEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::beast::tcp_stream> stream_;  // null when not connected
  bool closed_by_server_ = false;  // the last attempt failed because the connection was closed
};

}  // namespace lastmile::app
