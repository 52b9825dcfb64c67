#pragma once
// Matches a request against the route table, authenticates and authorises it, runs the handler,
// and turns any error into the JSON error body. Records metrics and the request log line.
// Thread-safe: handle() may run on many threads at once.
//
// Asynchronous routes (RouteSpec::async_handler, e.g. POST /v1/pings: the reply waits for a group
// commit) answer through handle_async's callback, on whatever thread completes them; handle() also
// serves them, by waiting.

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "api/context.hpp"

namespace lastmile::api {

struct MatchResult {
  const RouteSpec* route = nullptr;  // nullptr when nothing matches method and path
  std::vector<std::string> params;
  std::vector<http::verb> allowed;   // methods of patterns that matched the path
};

class Router {
 public:
  Router(std::vector<RouteSpec> routes, const Services& services);

  // Never throws: an exception from a handler becomes 500 internal (logged).
  // `peer`: the client's address, for the per-address rate limits (empty: not limited by address).
  // `body_file`: the spooled body of an import request (RequestContext::body_file), or null.
  Response handle(const Request& req, std::string_view peer = {}, const std::string* body_file = nullptr) const;
  // The same, the response handed to `done`: before returning for a synchronous route, later (any
  // thread) for an asynchronous one. `req` must stay valid until `done` was called.
  using ResponseDone = std::function<void(Response)>;
  void handle_async(const Request& req, ResponseDone done, std::string_view peer = {}) const;
  // True when `req` goes to an asynchronous route (so the caller need not lend it a thread).
  bool is_async(const Request& req) const;
  // Before a large body is read (the CSV import): the error answer when the request's credential
  // is missing, unknown, revoked or of a role the route does not admit — counted as a failed lookup
  // like any other — or nullopt when the request may send its body. Blocking (a store read).
  std::optional<Response> precheck_credential(const Request& header, std::string_view peer) const;
  MatchResult match(http::verb method, std::string_view path) const;
  const std::vector<RouteSpec>& routes() const { return routes_; }

 private:
  // Authenticates and runs the matched route's handler. An asynchronous route with `later` set
  // returns nullopt and answers through *later; without `later` it is waited for.
  std::optional<core::Result<Reply>> dispatch(const Request& req, std::string_view peer, const RouteSpec*& matched,
                                              AsyncDone* later, const std::string* body_file = nullptr) const;
  // The HTTP response for a handler's result, with metrics and the request log line.
  Response respond(const Request& req, const RouteSpec* matched, core::Result<Reply> result,
                   std::chrono::steady_clock::time_point started) const;

  std::vector<RouteSpec> routes_;
  // Each route's pattern split into segments ("*" last for a rest wildcard), parsed once.
  std::vector<std::vector<std::string_view>> patterns_;
  const Services& services_;
};

}  // namespace lastmile::api
