#include <boost/json.hpp>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "api/openapi_document.hpp"

namespace lastmile::api::handlers {

Result<Reply> healthz(const Services&, RequestContext&) { return json_reply(200, R"({"status":"ok"})"); }

Result<Reply> readyz(const Services& s, RequestContext&) {
  if (auto st = s.store.ping(); !st)
    return core::Error{core::ErrorCode::kUnavailable, "database is not reachable", ""};
  return json_reply(200, R"({"status":"ready"})");
}

Result<Reply> metrics(const Services& s, RequestContext&) {
  Reply r;
  r.body = s.metrics.render();
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

Result<Reply> openapi(const Services&, RequestContext&) {
  return json_reply(200, std::string(openapi_document()));
}

}  // namespace lastmile::api::handlers
