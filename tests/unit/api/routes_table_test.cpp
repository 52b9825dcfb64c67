// Every route in the table has an explicit authorization rule (issue 12): a route that needs
// credentials names the roles that may call it, and a route without credentials is on the allowlist
// below with the reason it may be public. A new route without a rule fails here; what the rules say
// is checked against the running server by tests/integration/test_authz_matrix.py.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "api/routes_table.hpp"

namespace lastmile::api {
namespace {

std::string key(const RouteSpec& r) { return std::string(http::to_string(r.method)) + " " + std::string(r.pattern); }

// Public routes and why. Each either shows nothing private, or checks a secret of its own (a tracking
// token, a one-time code, a provider signature, a device secret) inside its handler.
const std::map<std::string, std::string>& public_allowlist() {
  static const std::map<std::string, std::string> kRoutes = {
      {"GET /healthz", "liveness probe, no data"},
      {"GET /readyz", "readiness probe, no data"},
      {"GET /metrics", "Prometheus counters, no tenant data"},
      {"GET /v1/openapi.json", "the API description"},
      {"POST /v1/sms/status", "SMS provider callback, checked by its signature"},
      {"POST /v1/sms/inbound", "SMS provider callback, checked by its signature"},
      {"GET /v1/unsubscribe/{token}", "the unsubscribe token is the recipient's credential"},
      {"POST /v1/unsubscribe/{token}", "the unsubscribe token is the recipient's credential"},
      {"POST /v1/driver/session", "the one-time sign-in code is the credential"},
      {"POST /v1/owntracks", "the device secret is checked inside"},
      {"GET /v1/tiles.json", "the offline basemap, no tenant data"},
      {"GET /v1/tiles/style.json", "the offline basemap, no tenant data"},
      {"GET /v1/tiles/{z}/{x}/{y}", "the offline basemap, no tenant data"},
      {"GET /v1/track/{token}", "the tracking token is the customer's credential"},
      {"GET /v1/track/{token}/proof", "the tracking token is the customer's credential"},
      {"GET /v1/track/{token}/blobs/{sha256}", "the tracking token is the customer's credential"},
      {"PUT /v1/track/{token}/instructions", "the tracking token is the customer's credential"},
      {"GET /v1/track/{token}/messages", "the tracking token is the customer's credential"},
      {"POST /v1/track/{token}/messages", "the tracking token is the customer's credential"},
      {"GET /v1/track/{token}/survey", "the tracking token is the customer's credential"},
      {"POST /v1/track/{token}/survey", "the tracking token is the customer's credential"},
      {"GET /v1/live", "authenticates (token or credential) before the upgrade"},
      {"GET /v1/live/sse", "answers 'not available' only"},
      {"GET /t/{token}", "static page; shows nothing until /v1/track answers"},
      {"GET /track/{token}", "static page; shows nothing until /v1/track answers"},
      {"GET /dispatch", "static page; its API calls need a key"},
      {"GET /driver", "static page; its API calls need a device token"},
      {"GET /driver/manifest.webmanifest", "static file"},
      {"GET /driver/sw.js", "static file"},
      {"GET /driver/icon.svg", "static file"},
      {"GET /assets/*", "static files"},
      {"POST /v1/integrations/shopify/orders", "Shopify webhook, checked by the HMAC of the body with the shop's secret"},
      {"GET /v1/carrier-invitations/{token}", "the one-time invitation code is the invited carrier's credential"},
      {"POST /v1/carrier-invitations/{token}/accept", "the one-time invitation code is the invited carrier's credential"},
  };
  return kRoutes;
}

// Public only when the operator asks for it (serve --osrm-public), as OSRM serves them.
const std::set<std::string> kOsrmRoutes = {"GET /route/v1/driving/{coordinates}", "GET /table/v1/driving/{coordinates}"};

// Root administers tenants and holds no tenant: it may call these and nothing else.
const std::set<std::string> kRootRoutes = {"POST /v1/tenants", "GET /v1/tenants"};

TEST(RoutesTable, EveryRouteHasAnExplicitRule) {
  for (const auto& r : route_table()) {
    SCOPED_TRACE(key(r));
    if (r.is_public) {
      EXPECT_TRUE(public_allowlist().contains(key(r))) << "public route not on the allowlist (add it with a reason, "
                                                          "or give it roles)";
      EXPECT_TRUE(r.roles.empty()) << "a public route's roles would be ignored";
    } else {
      EXPECT_FALSE(r.roles.empty()) << "a route that needs credentials must name the roles that may call it";
    }
  }
}

TEST(RoutesTable, AllowlistHasNoStaleEntries) {
  std::set<std::string> public_routes;
  for (const auto& r : route_table())
    if (r.is_public) public_routes.insert(key(r));
  for (const auto& [route, reason] : public_allowlist()) EXPECT_TRUE(public_routes.contains(route)) << route;
}

TEST(RoutesTable, RootCallsOnlyTenantAdministration) {
  for (const auto& r : route_table()) {
    SCOPED_TRACE(key(r));
    EXPECT_EQ(r.roles.contains(domain::Role::kRoot), kRootRoutes.contains(key(r)));
    // No tenant role on root's routes: a tenant must not create or list tenants.
    if (kRootRoutes.contains(key(r))) {
      for (auto role : {domain::Role::kTenantAdmin, domain::Role::kDispatcher, domain::Role::kIntegration,
                        domain::Role::kCarrier, domain::Role::kDriver})
        EXPECT_FALSE(r.roles.contains(role)) << domain::role_name(role);
    }
  }
}

TEST(RoutesTable, OsrmRoutesArePublicOnlyWhenAskedFor) {
  for (bool osrm_public : {false, true}) {
    for (const auto& r : route_table({.osrm_public = osrm_public})) {
      if (!kOsrmRoutes.contains(key(r))) continue;
      EXPECT_EQ(r.is_public, osrm_public) << key(r);
      EXPECT_FALSE(r.roles.empty()) << key(r);  // the roles that apply when not public
    }
  }
}

TEST(RoutesTable, JsonListsEveryRouteWithItsRoles) {
  const auto table = route_table();
  auto doc = boost::json::parse(route_table_json()).as_array();
  ASSERT_EQ(doc.size(), table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    const auto& item = doc[i].as_object();
    EXPECT_EQ(std::string(item.at("method").as_string()), std::string(http::to_string(table[i].method)));
    EXPECT_EQ(std::string(item.at("path").as_string()), std::string(table[i].pattern));
    EXPECT_EQ(item.at("public").as_bool(), table[i].is_public);
    std::set<std::string> roles;
    for (const auto& role : item.at("roles").as_array()) roles.insert(std::string(role.as_string()));
    for (auto role : {domain::Role::kRoot, domain::Role::kTenantAdmin, domain::Role::kDispatcher,
                      domain::Role::kIntegration, domain::Role::kCarrier, domain::Role::kDriver})
      EXPECT_EQ(roles.contains(std::string(domain::role_name(role))), table[i].roles.contains(role)) << key(table[i]);
  }
}

}  // namespace
}  // namespace lastmile::api
