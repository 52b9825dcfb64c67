#include <boost/json.hpp>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"
#include "api/openapi_document.hpp"

namespace lastmile::api::handlers {

Result<Reply> healthz(const Services&, RequestContext&) { return json_reply(200, R"({"status":"ok"})"); }

Result<Reply> readyz(const Services& s, RequestContext&) {
  if (auto st = s.store.ping(); !st)
    return core::Error{core::ErrorCode::kUnavailable, "database is not reachable", ""};
  if (s.cluster_connected && !s.cluster_connected())
    return core::Error{core::ErrorCode::kUnavailable, "the cluster's NATS servers are not reachable", ""};
  return json_reply(200, R"({"status":"ready"})");
}

Result<Reply> metrics(const Services& s, RequestContext&) {
  Reply r;
  r.body = s.metrics.render();
  // The exception queue: a read of the unresolved cases' index, at scrape time.
  if (auto open = s.store.count_unresolved_exceptions()) {
    r.body += "# HELP lastmile_exceptions_unresolved Exception cases open or acknowledged, by kind.\n"
              "# TYPE lastmile_exceptions_unresolved gauge\n";
    for (auto kind : domain::all_exception_kinds()) {
      int64_t n = 0;
      for (const auto& [k, count] : *open)
        if (k == kind) n = count;
      r.body += "lastmile_exceptions_unresolved{kind=\"" + std::string(domain::exception_kind_name(kind)) + "\"} " +
                std::to_string(n) + "\n";
    }
  }
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return r;
}

Result<Reply> openapi(const Services&, RequestContext&) {
  return json_reply(200, std::string(openapi_document()));
}

}  // namespace lastmile::api::handlers
