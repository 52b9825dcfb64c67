#include "app/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <utility>

namespace lastmile::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

core::Error unavailable(const std::string& what) { return {core::ErrorCode::kUnavailable, what, ""}; }

}  // namespace

std::optional<HttpEndpoint> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (!url.starts_with(scheme)) return std::nullopt;
  std::string rest = url.substr(scheme.size());
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || rest.find('/') != std::string::npos) return std::nullopt;
  HttpEndpoint e{rest.substr(0, colon), rest.substr(colon + 1)};
  if (e.port.empty() || e.port.size() > 5 || e.port.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return e;
}

HttpClient::HttpClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

HttpClient::~HttpClient() {
  if (stream_) {
    beast::error_code ignored;
    stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  }
}

core::Result<HttpReply> HttpClient::request(const std::string& method, const std::string& target,
                                            const std::string& token, const std::string& body,
                                            const HttpHeaders& headers) {
  const bool reused = stream_ != nullptr;
  auto reply = attempt(method, target, token, body, headers);
  // A kept-alive connection the server had closed fails at once (write error, or EOF / reset before
  // any answer byte): the request was not taken, so it is sent again once. Timeouts are not retried.
  if (!reply && reused && closed_by_server_) return attempt(method, target, token, body, headers);
  return reply;
}

core::Result<HttpReply> HttpClient::attempt(const std::string& method, const std::string& target,
                                            const std::string& token, const std::string& body,
                                            const HttpHeaders& headers) {
  const std::string where = endpoint_.host + ":" + endpoint_.port;
  beast::error_code ec;
  closed_by_server_ = false;
  if (!stream_) {
    asio::ip::tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(endpoint_.host, endpoint_.port, ec);
    if (ec) return unavailable("resolve " + where + ": " + ec.message());
    auto stream = std::make_unique<beast::tcp_stream>(ioc_);
    stream->socket().open(asio::ip::tcp::v4(), ec);
    asio::connect(stream->socket(), endpoints, ec);
    if (ec) return unavailable("connect " + where + ": " + ec.message());
    stream->socket().set_option(asio::ip::tcp::no_delay(true), ec);
    stream_ = std::move(stream);
  }
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, where);
  req.set(http::field::user_agent, "lastmile-simulate");
  req.keep_alive(true);
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");  // unless `headers` say otherwise
    req.body() = body;
  }
  for (const auto& [name, value] : headers) req.set(name, value);
  req.prepare_payload();
  // Synchronous socket calls with SO_RCVTIMEO/SO_SNDTIMEO-like bounds: tcp_stream's expiry only
  // applies to async operations, so the blocking calls below go through the socket.
  const int ms = static_cast<int>(timeout_.count());
  const timeval tv{ms / 1000, (ms % 1000) * 1000};
  ::setsockopt(stream_->socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(stream_->socket().native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  http::write(stream_->socket(), req, ec);
  if (ec) {
    closed_by_server_ = true;
    stream_.reset();
    return unavailable("send to " + where + ": " + ec.message());
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  http::read(stream_->socket(), buffer, parser, ec);
  if (ec) {
    closed_by_server_ =
        buffer.size() == 0 && !parser.got_some() &&
        (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset);
    stream_.reset();
    return unavailable("read from " + where + ": " + ec.message());
  }
  HttpReply reply{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
  if (!parser.get().keep_alive()) stream_.reset();
  return reply;
}

}  // namespace lastmile::app
