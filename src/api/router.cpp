#include "api/router.hpp"

#include <spdlog/spdlog.h>

#include <boost/url/parse.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <memory>
#include <span>

#include "api/auth.hpp"
#include "api/http_error.hpp"
#include "api/rate_limiter.hpp"

namespace lastmile::api {
namespace {

// A public route that looks up a secret the caller presents: a tracking token in the path, or a
// one-time sign-in code. These, and every authenticated route, count failed lookups per address.
bool has_token_parameter(std::string_view pattern) {
  return pattern.find("{token}") != std::string_view::npos || pattern == "/v1/driver/session";
}

// 429 with Retry-After in whole seconds (at least 1).
core::Result<Reply> rate_limited(double wait_s, std::string_view what) {
  const long seconds = std::max(1L, static_cast<long>(std::ceil(wait_s)));
  Reply r = json_reply(429, error_body(core::Error{core::ErrorCode::kRateLimited,
                                                   "too many " + std::string(what) + "; retry after " +
                                                       std::to_string(seconds) + " s",
                                                   ""}));
  r.headers.emplace_back("Retry-After", std::to_string(seconds));
  return r;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_json_content_type(std::string_view ct) {
  auto semi = ct.find(';');
  auto base = ct.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  std::string lower(base);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" || (lower.starts_with("application/") && lower.ends_with("+json"));
}

// Path for logs: no query string (it may carry names), and the secrets of public links — tracking
// tokens (/v1/track, /t and the survey link /track), unsubscribe tokens, carrier invitation codes —
// masked.
std::string loggable_path(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  for (std::string_view p : {"/v1/track/", "/t/", "/track/", "/v1/unsubscribe/", "/v1/carrier-invitations/"})
    if (path.starts_with(p)) return std::string(p) + "…";
  return std::string(path);
}

}  // namespace

Reply json_reply(int status, std::string body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::optional<std::string> RequestContext::query(std::string_view key) const {
  auto params = url.params();
  auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

std::string_view RequestContext::header(http::field f) const {
  auto it = req.find(f);
  return it == req.end() ? std::string_view{} : std::string_view(it->value());
}

std::string_view RequestContext::header(std::string_view name) const {
  auto it = req.find(name);
  return it == req.end() ? std::string_view{} : std::string_view(it->value());
}

Router::Router(std::vector<RouteSpec> routes, const Services& services)
    : routes_(std::move(routes)), services_(services) {
  patterns_.reserve(routes_.size());
  for (const auto& r : routes_) patterns_.push_back(split_path(r.pattern));  // views of static strings
}

MatchResult Router::match(http::verb method, std::string_view path) const {
  MatchResult result;
  auto segments = split_path(path);
  for (size_t r = 0; r < routes_.size(); ++r) {
    const auto& route = routes_[r];
    std::span<const std::string_view> pattern = patterns_[r];
    const bool rest_wildcard = !pattern.empty() && pattern.back() == "*";  // ".../*": any remaining path
    if (rest_wildcard) pattern = pattern.first(pattern.size() - 1);
    if (rest_wildcard ? segments.size() < pattern.size() : pattern.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool ok = true;
    for (size_t i = 0; i < pattern.size() && ok; ++i) {
      if (pattern[i].starts_with('{')) {
        auto decoded = boost::urls::make_pct_string_view(segments[i]);
        if (!decoded || segments[i].empty()) {
          ok = false;
          break;
        }
        params.push_back(decoded->decode());
      } else {
        ok = pattern[i] == segments[i];
      }
    }
    if (!ok) continue;
    result.allowed.push_back(route.method);
    if (route.method == method && !result.route) {
      result.route = &route;
      result.params = std::move(params);
    }
  }
  return result;
}

std::optional<core::Result<Reply>> Router::dispatch(const Request& req, std::string_view peer,
                                                    const RouteSpec*& matched, AsyncDone* later,
                                                    const std::string* body_file) const {
  // Parsed from a NUL-terminated copy: Boost.URL 1.81 can read past the end of a string_view that is
  // not followed by a NUL (boostorg/url#946), and Beast's target is a view into its read buffer.
  const std::string target(req.target());
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return core::Error{core::ErrorCode::kInvalidField, "malformed request target", ""};

  auto m = match(req.method(), url->path());
  if (!m.route) {
    if (m.allowed.empty()) return core::Error{core::ErrorCode::kNotFound, "no such route", ""};
    std::string allow;
    for (auto v : m.allowed) allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(v));
    return core::Error{core::ErrorCode::kMethodNotAllowed, "method not allowed; allowed: " + allow, ""};
  }
  matched = m.route;

  RequestContext ctx{req, *url, std::move(m.params), std::nullopt, services_.clock.now(), peer, body_file};
  RateLimits* limits = services_.rate_limits;
  const bool token_route = m.route->is_public && has_token_parameter(m.route->pattern);
  // Authenticated routes, token routes and the public device routes (OsmAnd, OwnTracks over HTTP,
  // whose handlers check the device and count failures themselves) look up a secret.
  const bool looks_up_secret = !m.route->is_public || token_route || m.route->async_handler != nullptr;
  if (limits && !peer.empty()) {
    // An address whose lookups keep failing waits before it may try another credential or token.
    if (looks_up_secret)
      if (auto wait = limits->failures.check(peer, ctx.now.ms)) return rate_limited(*wait, "failed sign-ins");
    if (token_route)
      if (auto wait = limits->per_address.take(peer, ctx.now.ms)) return rate_limited(*wait, "requests");
  }
  if (!m.route->is_public) {
    auto p = authenticate(services_.store, ctx.header(http::field::authorization));
    if (!p) {
      count_failed_lookup(limits, peer, ctx.now.ms);
      return p.error();
    }
    if (limits)
      if (auto wait = limits->per_credential.take(p->credential_id, ctx.now.ms)) return rate_limited(*wait, "requests");
    if (!m.route->roles.contains(p->role))
      return core::Error{core::ErrorCode::kForbidden,
                         "role '" + std::string(domain::role_name(p->role)) + "' may not call this route", ""};
    ctx.principal = std::move(p.value());
  }
  if (!req.body().empty() && !m.route->any_media_type) {
    auto ct = ctx.header(http::field::content_type);
    if (!ct.empty() && !is_json_content_type(ct))
      return core::Error{core::ErrorCode::kUnsupportedMediaType, "Content-Type must be application/json", ""};
  }
  if (!m.route->async_handler) {
    auto result = m.route->handler(services_, ctx);
    if (token_route && !result &&
        (result.error().code == core::ErrorCode::kNotFound || result.error().code == core::ErrorCode::kInvalidCode ||
         result.error().code == core::ErrorCode::kUnauthenticated))
      count_failed_lookup(limits, peer, ctx.now.ms);
    return result;
  }
  if (later) {
    m.route->async_handler(services_, ctx, std::move(*later));
    return std::nullopt;
  }
  std::promise<core::Result<Reply>> promise;
  auto result = promise.get_future();
  m.route->async_handler(services_, ctx, [&promise](core::Result<Reply> r) { promise.set_value(std::move(r)); });
  return result.get();
}

Response Router::respond(const Request& req, const RouteSpec* matched, core::Result<Reply> r,
                         std::chrono::steady_clock::time_point started) const {
  Reply reply;
  if (r) {
    reply = std::move(r.value());
  } else if (r.error().code == core::ErrorCode::kInternal) {
    // Internal details go to the log only; the client gets the generic body.
    spdlog::error("internal error on {} {}: {}", std::string(req.method_string()), loggable_path(req.target()),
                  r.error().message);
    reply = json_reply(500, error_body(core::Error::internal()));
  } else {
    reply = json_reply(http_status(r.error().code), error_body(r.error()));
    if (r.error().code == core::ErrorCode::kMethodNotAllowed) {
      const std::string target(req.target());  // NUL-terminated: see dispatch()
      auto url = boost::urls::parse_origin_form(target);
      std::string allow;
      for (auto v : match(req.method(), url ? url->path() : "").allowed)
        allow += (allow.empty() ? "" : ", ") + std::string(http::to_string(v));
      reply.headers.emplace_back("Allow", allow);
    }
  }

  Response res{static_cast<http::status>(reply.status), req.version()};
  res.set(http::field::server, "lastmile");
  res.set(http::field::content_type, reply.content_type);
  res.set(http::field::cache_control, "no-store");
  for (auto& [k, v] : reply.headers) res.set(k, v);
  res.body() = std::move(reply.body);
  res.prepare_payload();

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::string_view route_name = matched ? matched->pattern : std::string_view("unmatched");
  services_.metrics.observe_request(route_name, req.method_string(), reply.status, seconds);
  if (spdlog::should_log(spdlog::level::info)) {
    spdlog::info("{} {} {} {:.2f}ms {}B", std::string(req.method_string()), loggable_path(req.target()),
                 reply.status, seconds * 1000, res.body().size());
  }
  return res;
}

namespace {

core::Result<Reply> handler_exception(const Request& req, const std::exception& e) {
  spdlog::error("handler exception on {} {}: {}", std::string(req.method_string()), loggable_path(req.target()),
                e.what());
  return core::Error::internal();
}

}  // namespace

Response Router::handle(const Request& req, std::string_view peer, const std::string* body_file) const {
  const auto started = std::chrono::steady_clock::now();
  const RouteSpec* matched = nullptr;
  core::Result<Reply> result = core::Error::internal();
  try {
    result = std::move(*dispatch(req, peer, matched, nullptr, body_file));
  } catch (const std::exception& e) {
    result = handler_exception(req, e);
  }
  return respond(req, matched, std::move(result), started);
}

std::optional<Response> Router::precheck_credential(const Request& header, std::string_view peer) const {
  const auto started = std::chrono::steady_clock::now();
  const std::string target(header.target());  // NUL-terminated: see dispatch()
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;  // the full dispatch answers it
  const MatchResult m = match(header.method(), url->path());
  if (m.route == nullptr || m.route->is_public) return std::nullopt;
  const core::Timestamp now = services_.clock.now();
  RateLimits* limits = services_.rate_limits;
  std::optional<core::Error> refusal;
  if (limits && !peer.empty())
    if (auto wait = limits->failures.check(peer, now.ms))
      return respond(header, m.route, rate_limited(*wait, "failed sign-ins"), started);
  auto p = authenticate(services_.store, header[http::field::authorization]);
  if (!p) {
    count_failed_lookup(limits, peer, now.ms);
    refusal = p.error();
  } else if (!m.route->roles.contains(p->role)) {
    refusal = core::Error{core::ErrorCode::kForbidden,
                          "role '" + std::string(domain::role_name(p->role)) + "' may not call this route", ""};
  }
  if (!refusal) return std::nullopt;
  return respond(header, m.route, std::move(*refusal), started);
}

void Router::handle_async(const Request& req, ResponseDone done, std::string_view peer) const {
  const auto started = std::chrono::steady_clock::now();
  // Shared by the immediate path and a later completion. dispatch() sets the route before it starts
  // an asynchronous handler, so the completion (any thread, afterwards) reads it set.
  auto shared_done = std::make_shared<ResponseDone>(std::move(done));
  auto route = std::make_shared<const RouteSpec*>(nullptr);
  AsyncDone later = [this, &req, started, shared_done, route](core::Result<Reply> r) {
    (*shared_done)(respond(req, *route, std::move(r), started));
  };
  std::optional<core::Result<Reply>> now;
  try {
    now = dispatch(req, peer, *route, &later);
  } catch (const std::exception& e) {
    now = handler_exception(req, e);
  }
  if (now) (*shared_done)(respond(req, *route, std::move(*now), started));
}

bool Router::is_async(const Request& req) const {
  const std::string target(req.target());  // NUL-terminated: see dispatch()
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return false;
  auto m = match(req.method(), url->path());
  return m.route && m.route->async_handler;
}

}  // namespace lastmile::api
