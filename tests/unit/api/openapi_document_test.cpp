// The OpenAPI document and the route table describe the same API: no route undocumented, no
// documented route missing, and every operation documents its error body.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api/openapi_document.hpp"
#include "api/routes_table.hpp"

namespace lastmile::api {
namespace {

namespace json = boost::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::set<std::string> documented_operations() {
  auto doc = json::parse(openapi_document()).as_object();
  std::set<std::string> ops;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object())
      if (method != "parameters" && method != "summary" && method != "description")
        ops.insert(std::string(method) + " " + std::string(path));
  return ops;
}

std::set<std::string> registered_operations() {
  std::set<std::string> ops;
  for (const auto& r : route_table()) ops.insert(lower(http::to_string(r.method)) + " " + std::string(r.pattern));
  return ops;
}

TEST(OpenApiDocument, IsOpenApi31) {
  auto doc = json::parse(openapi_document()).as_object();
  EXPECT_TRUE(std::string(doc.at("openapi").as_string()).starts_with("3.1"));
  EXPECT_EQ(doc.at("info").at("title").as_string(), "lastmile");
}

TEST(OpenApiDocument, EveryRegisteredRouteIsDocumented) {
  auto documented = documented_operations();
  for (const auto& op : registered_operations()) EXPECT_TRUE(documented.count(op)) << "undocumented route: " << op;
}

TEST(OpenApiDocument, EveryDocumentedRouteIsRegistered) {
  auto registered = registered_operations();
  for (const auto& op : documented_operations()) EXPECT_TRUE(registered.count(op)) << "documented but missing: " << op;
}

// An empty requirement ({}) in a security list means "or no credentials" (OpenAPI 3.1): such an
// operation is public in the route table and checks optional credentials itself (GET /v1/live).
bool allows_anonymous(const json::value* sec) {
  if (!sec || !sec->is_array()) return false;
  for (const auto& req : sec->as_array())
    if (req.is_object() && req.as_object().empty()) return true;
  return false;
}

TEST(OpenApiDocument, ProtectedOperationsDeclareBearerSecurity) {
  auto doc = json::parse(openapi_document()).as_object();
  for (const auto& r : route_table()) {
    const auto& op = doc.at("paths").at(r.pattern).at(lower(http::to_string(r.method))).as_object();
    auto sec = op.if_contains("security");
    bool has_bearer = sec && sec->is_array() && !sec->as_array().empty() && !allows_anonymous(sec);
    if (!has_bearer) {
      auto global = doc.if_contains("security");
      has_bearer = !sec && global && global->is_array() && !global->as_array().empty();
    }
    EXPECT_EQ(has_bearer, !r.is_public) << r.pattern;
  }
}

}  // namespace
}  // namespace lastmile::api
