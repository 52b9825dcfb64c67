#include "api/routes_table.hpp"

#include <boost/json.hpp>

#include "api/handlers/handlers.hpp"
#include "api/json_io.hpp"

namespace lastmile::api {

std::vector<RouteSpec> route_table(const RouteTableOptions& options) {
  using domain::Role;
  using http::verb;
  namespace h = handlers;
  const domain::RoleSet root{Role::kRoot};
  const domain::RoleSet admin{Role::kTenantAdmin};
  const domain::RoleSet office{Role::kTenantAdmin, Role::kDispatcher};
  const domain::RoleSet office_carrier{Role::kTenantAdmin, Role::kDispatcher, Role::kCarrier};
  const domain::RoleSet readers{Role::kTenantAdmin, Role::kDispatcher, Role::kIntegration, Role::kCarrier};
  const domain::RoleSet shippers{Role::kTenantAdmin, Role::kDispatcher, Role::kIntegration};
  const domain::RoleSet reporters{Role::kTenantAdmin, Role::kDispatcher, Role::kIntegration, Role::kCarrier,
                                  Role::kDriver};
  const domain::RoleSet office_driver{Role::kTenantAdmin, Role::kDispatcher, Role::kDriver};
  // Routing: office staff, integrations and drivers' devices (a driver app asks for its next leg).
  const domain::RoleSet routing{Role::kTenantAdmin, Role::kDispatcher, Role::kIntegration, Role::kDriver};
  const domain::RoleSet webhook_readers{Role::kTenantAdmin, Role::kIntegration};
  const domain::RoleSet none{};

  return {
      {verb::get, "/healthz", true, none, h::healthz},
      {verb::get, "/readyz", true, none, h::readyz},
      {verb::get, "/metrics", true, none, h::metrics},
      {verb::get, "/v1/openapi.json", true, none, h::openapi},

      {verb::post, "/v1/tenants", false, root, h::create_tenant},
      {verb::get, "/v1/tenants", false, root, h::list_tenants},
      {verb::post, "/v1/api-keys", false, admin, h::create_api_key},
      {verb::get, "/v1/api-keys", false, admin, h::list_api_keys},
      {verb::delete_, "/v1/api-keys/{id}", false, admin, h::revoke_api_key},

      {verb::post, "/v1/webhooks", false, admin, h::create_webhook},
      {verb::get, "/v1/webhooks", false, webhook_readers, h::list_webhooks},
      {verb::get, "/v1/webhooks/{id}", false, webhook_readers, h::get_webhook},
      {verb::delete_, "/v1/webhooks/{id}", false, admin, h::delete_webhook},
      {verb::post, "/v1/webhooks/{id}/rotate-secret", false, admin, h::rotate_webhook_secret},
      {verb::post, "/v1/webhooks/{id}/enable", false, admin, h::enable_webhook},
      {verb::get, "/v1/webhooks/{id}/deliveries", false, webhook_readers, h::list_webhook_deliveries},
      {verb::post, "/v1/webhooks/{id}/deliveries/{delivery_id}/replay", false, admin, h::replay_webhook_delivery},

      {verb::get, "/v1/notification-settings", false, admin, h::get_notification_settings},
      {verb::put, "/v1/notification-settings", false, admin, h::put_notification_settings},
      {verb::post, "/v1/notification-settings/preview", false, admin, h::preview_notification},
      {verb::get, "/v1/shipments/{id}/notifications", false, office, h::list_shipment_notifications},
      {verb::post, "/v1/sms/status", true, none, h::sms_status_callback, true},
      {verb::post, "/v1/sms/inbound", true, none, h::sms_inbound, true},
      {verb::get, "/v1/unsubscribe/{token}", true, none, h::unsubscribe_page},
      {verb::post, "/v1/unsubscribe/{token}", true, none, h::unsubscribe_confirm, true},

      {verb::post, "/v1/carriers", false, office, h::create_carrier},
      {verb::get, "/v1/carriers", false, readers, h::list_carriers},
      {verb::get, "/v1/carriers/{id}", false, readers, h::get_carrier},

      {verb::post, "/v1/drivers", false, office_carrier, h::create_driver},
      {verb::get, "/v1/drivers", false, office_carrier, h::list_drivers},
      {verb::get, "/v1/drivers/{id}", false, office_carrier, h::get_driver},
      {verb::get, "/v1/drivers/{id}/track", false, office_carrier, h::get_driver_track},
      {verb::post, "/v1/drivers/{id}/login-links", false, office_carrier, h::create_login_link},
      {verb::post, "/v1/driver/session", true, none, h::post_driver_session},  // the one-time code is the credential
      {verb::get, "/v1/driver/manifest", false, domain::RoleSet{Role::kDriver}, h::get_driver_manifest},
      {verb::post, "/v1/scans", false, reporters, h::post_scan},
      {verb::post, "/v1/pings", false, domain::RoleSet{Role::kDriver}, nullptr, false, h::post_pings},
      {verb::post, "/v1/owntracks", true, none, nullptr, false, h::post_owntracks},  // device secret checked inside

      {verb::post, "/v1/vehicles", false, office_carrier, h::create_vehicle},
      {verb::get, "/v1/vehicles", false, office_carrier, h::list_vehicles},
      {verb::get, "/v1/vehicles/{id}", false, office_carrier, h::get_vehicle},

      {verb::post, "/v1/shipments", false, shippers, h::create_shipment},
      {verb::get, "/v1/shipments", false, readers, h::list_shipments},
      {verb::get, "/v1/shipments/{id}", false, readers, h::get_shipment},
      {verb::post, "/v1/shipments/{id}/events", false, reporters, h::post_shipment_event},
      {verb::get, "/v1/shipments/{id}/events", false, readers, h::list_shipment_events},
      {verb::get, "/v1/shipments/{id}/custody", false, reporters, h::get_custody},
      // Proof of delivery (docs/proof-of-delivery.md): multipart bodies, checked by the handler.
      {verb::post, "/v1/shipments/{id}/proof", false, reporters, h::post_proof, true},
      {verb::get, "/v1/shipments/{id}/proof", false, reporters, h::get_proof},
      {verb::post, "/v1/shipments/{id}/attempts", false, reporters, h::post_attempt, true},
      {verb::get, "/v1/blobs/{sha256}", false, reporters, h::get_blob},

      {verb::post, "/v1/routes", false, office, h::create_route},
      {verb::get, "/v1/routes", false, office_driver, h::list_routes},
      {verb::get, "/v1/routes/{id}", false, office_driver, h::get_route},
      {verb::post, "/v1/routes/{id}/start", false, office_driver, h::start_route},

      // The exception queue (issue 6): office staff work through it; a carrier reads its own cases.
      {verb::get, "/v1/exceptions", false, office_carrier, h::list_exceptions},
      {verb::get, "/v1/exceptions/{id}", false, office_carrier, h::get_exception},
      {verb::post, "/v1/exceptions/{id}/acknowledge", false, office, h::acknowledge_exception},
      {verb::post, "/v1/exceptions/{id}/resolve", false, office, h::resolve_exception},
      {verb::post, "/v1/exceptions/{id}/notes", false, office, h::add_exception_note},

      {verb::get, "/v1/route", false, routing, h::get_road_route},
      {verb::get, "/v1/eta/model", false, office, h::get_eta_model},
      {verb::post, "/v1/matrix", false, routing, h::post_road_matrix},
      {verb::get, "/v1/geocode", false, shippers, h::get_geocode},
      // Carrier onboarding (docs/carriers.md "Onboarding"): the one-time code is the invitee's credential.
      {verb::post, "/v1/carriers/{id}/invitations", false, admin, h::create_carrier_invitation},
      {verb::get, "/v1/carriers/{id}/invitations", false, office, h::list_carrier_invitations},
      {verb::delete_, "/v1/carriers/{id}/invitations/{invitation_id}", false, admin, h::revoke_carrier_invitation},
      {verb::get, "/v1/carrier-invitations/{token}", true, none, h::get_carrier_invitation},
      {verb::post, "/v1/carrier-invitations/{token}/accept", true, none, h::accept_carrier_invitation},
      // Personalised delivery windows (docs/delivery-windows.md).
      {verb::get, "/v1/shipments/{id}/delivery-window", false, shippers, h::get_delivery_window},
      {verb::get, "/v1/delivery-windows/evaluation", false, office, h::get_delivery_window_evaluation},
      // OSRM's URLs (docs/routing.md): credentials unless the server was started with --osrm-public.
      {verb::get, "/route/v1/driving/{coordinates}", options.osrm_public, routing, h::osrm_route},
      {verb::get, "/table/v1/driving/{coordinates}", options.osrm_public, routing, h::osrm_table},
      // The offline basemap: public, the customer tracking page draws its map from it.
      {verb::get, "/v1/tiles.json", true, none, h::get_tilejson},
      {verb::get, "/v1/tiles/style.json", true, none, h::get_map_style},
      {verb::get, "/v1/tiles/{z}/{x}/{y}", true, none, h::get_tile},  // {y} is "123.mvt" or "123.geojson"

      {verb::get, "/v1/track/{token}", true, none, h::track},
      {verb::get, "/v1/track/{token}/proof", true, none, h::track_proof},
      {verb::get, "/v1/track/{token}/blobs/{sha256}", true, none, h::track_blob},
      // Token-authenticated inside: the tracking token is the customer's credential.
      {verb::put, "/v1/track/{token}/instructions", true, none, h::put_track_instructions},
      // Chat and surveys (docs/chat-and-surveys.md): the tracking token is the customer's credential.
      {verb::get, "/v1/track/{token}/messages", true, none, h::get_track_messages},
      {verb::post, "/v1/track/{token}/messages", true, none, h::post_track_message},
      {verb::get, "/v1/track/{token}/survey", true, none, h::get_track_survey},
      {verb::post, "/v1/track/{token}/survey", true, none, h::post_track_survey},
      {verb::get, "/v1/shipments/{id}/messages", false, office_driver, h::get_shipment_messages},
      {verb::post, "/v1/shipments/{id}/messages", false, office_driver, h::post_shipment_message},
      {verb::get, "/v1/chat/threads", false, office, h::list_chat_threads},
      {verb::get, "/v1/shipments/{id}/survey", false, readers, h::get_shipment_survey},
      {verb::get, "/v1/surveys", false, office_carrier, h::list_surveys},
      // Public here: the live stream handler authenticates (a tracking token, or a credential by
      // header or ?access_token=) before it upgrades; see api/live_subscription.hpp.
      {verb::get, "/v1/live", true, none, h::live_without_upgrade},
      {verb::get, "/v1/live/sse", true, none, h::live_sse_unavailable},

      // The web pages (docs/web.md), public: the page shows nothing until /v1/track answers.
      {verb::get, "/t/{token}", true, none, h::web_tracking_page},
      {verb::get, "/track/{token}", true, none, h::web_tracking_page},  // the survey link: /track/{token}?survey=1
      {verb::get, "/dispatch", true, none, h::web_dispatch_page},
      {verb::get, "/driver", true, none, h::web_driver_page},
      {verb::get, "/driver/manifest.webmanifest", true, none, h::web_driver_manifest},
      {verb::get, "/driver/sw.js", true, none, h::web_driver_service_worker},
      {verb::get, "/driver/icon.svg", true, none, h::web_driver_icon},
      {verb::get, "/assets/*", true, none, h::web_asset},

      // Secrets (issue 12): a new secret for an API key or device token; the old one stops at once.
      {verb::post, "/v1/api-keys/{id}/rotate", false, admin, h::rotate_api_key},
      // Route optimization (docs/optimization.md): office staff plan and re-plan.
      {verb::post, "/v1/optimize", false, office, h::post_optimize},
      {verb::post, "/v1/routes/{id}/resequence", false, office, h::resequence_route},
      {verb::post, "/v1/routes/reassign", false, office, h::reassign_stops},
      // Privacy (docs/privacy.md): tenant admins only.
      {verb::get, "/v1/tenant/retention", false, admin, h::get_tenant_retention},
      {verb::put, "/v1/tenant/retention", false, admin, h::put_tenant_retention},
      {verb::get, "/v1/recipients/export", false, admin, h::export_recipient},
      {verb::post, "/v1/recipients/erase", false, admin, h::erase_recipient},
      // Carriers' own systems (docs/carriers.md): a carrier key reaches its own carrier only.
      {verb::post, "/v1/carriers/{id}/events", false, readers, h::post_carrier_events, true},
      {verb::get, "/v1/carriers/{id}/events", false, readers, h::list_carrier_events},
      {verb::get, "/v1/carriers/{id}/code-mappings", false, readers, h::get_code_mappings},
      {verb::put, "/v1/carriers/{id}/code-mappings", false, office, h::put_code_mappings},
      {verb::get, "/v1/carriers/{id}/mapping-tasks", false, office_carrier, h::list_mapping_tasks},
      // Order intake (docs/order-intake.md): who may create shipments; the import body is text/csv.
      {verb::post, "/v1/shipments/bulk", false, shippers, h::bulk_create_shipments},
      {verb::post, "/v1/shipments/import", false, shippers, h::import_shipments, true},
      {verb::get, "/v1/integrations/shopify", false, admin, h::get_shopify_integration},
      {verb::put, "/v1/integrations/shopify", false, admin, h::put_shopify_integration},
      {verb::delete_, "/v1/integrations/shopify", false, admin, h::delete_shopify_integration},
      // Public: authenticated by the HMAC of the body with the shop's secret.
      {verb::post, "/v1/integrations/shopify/orders", true, none, h::shopify_order_created},
      // Analytics (docs/analytics.md): a carrier key sees its own carrier's and drivers' figures only.
      {verb::get, "/v1/analytics/carriers", false, office_carrier, h::get_carrier_analytics},
      {verb::get, "/v1/analytics/drivers", false, office_carrier, h::get_driver_analytics},
      {verb::get, "/v1/analytics/targets", false, office_carrier, h::get_analytics_targets},
      {verb::put, "/v1/analytics/targets", false, admin, h::put_analytics_targets},
      {verb::get, "/v1/carriers/{id}/rate-card", false, office_carrier, h::get_rate_card},
      {verb::put, "/v1/carriers/{id}/rate-card", false, admin, h::put_rate_card},
      // The tenant settings document (docs/settings.md): dispatchers read, tenant admins change.
      {verb::get, "/v1/tenant/settings", false, office, h::get_tenant_settings},
      {verb::put, "/v1/tenant/settings", false, admin, h::put_tenant_settings},
      {verb::get, "/v1/tenant/settings/history", false, office, h::list_tenant_settings_history},
  };
}

std::string route_table_json(const RouteTableOptions& options) {
  static constexpr domain::Role kRoles[] = {domain::Role::kRoot, domain::Role::kTenantAdmin, domain::Role::kDispatcher,
                                            domain::Role::kIntegration, domain::Role::kCarrier, domain::Role::kDriver};
  boost::json::array out;
  for (const auto& r : route_table(options)) {
    boost::json::array roles;
    for (auto role : kRoles)
      if (r.roles.contains(role)) roles.emplace_back(domain::role_name(role));
    out.push_back(boost::json::object{{"method", std::string(http::to_string(r.method))},
                                      {"path", r.pattern},
                                      {"public", r.is_public},
                                      {"roles", std::move(roles)}});
  }
  return to_json(out);
}

}  // namespace lastmile::api
