#pragma once
// Matches a request against the route table, authenticates and authorises it, runs the handler,
// and turns any error into the JSON error body. Records metrics and the request log line.
// Thread-safe: handle() may run on many threads at once.

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
  Response handle(const Request& req) const;
  MatchResult match(http::verb method, std::string_view path) const;
  const std::vector<RouteSpec>& routes() const { return routes_; }

 private:
  core::Result<Reply> dispatch(const Request& req, const RouteSpec*& matched) const;

  std::vector<RouteSpec> routes_;
  const Services& services_;
};

}  // namespace lastmile::api
