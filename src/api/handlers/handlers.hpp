#pragma once
// Every HTTP handler. Each one parses its input, calls domain functions and the store, and returns
// a Reply or an Error; none of them writes the HTTP response itself (the router does).

#include <boost/json/object.hpp>

#include "api/context.hpp"

namespace lastmile::api::handlers {

using core::Result;

Result<Reply> healthz(const Services&, RequestContext&);
Result<Reply> readyz(const Services&, RequestContext&);
Result<Reply> metrics(const Services&, RequestContext&);
Result<Reply> openapi(const Services&, RequestContext&);

Result<Reply> create_tenant(const Services&, RequestContext&);
Result<Reply> list_tenants(const Services&, RequestContext&);
Result<Reply> create_api_key(const Services&, RequestContext&);
Result<Reply> list_api_keys(const Services&, RequestContext&);
Result<Reply> revoke_api_key(const Services&, RequestContext&);
Result<Reply> rotate_api_key(const Services&, RequestContext&);

Result<Reply> create_carrier(const Services&, RequestContext&);
Result<Reply> list_carriers(const Services&, RequestContext&);
Result<Reply> get_carrier(const Services&, RequestContext&);

Result<Reply> create_driver(const Services&, RequestContext&);
Result<Reply> list_drivers(const Services&, RequestContext&);
Result<Reply> get_driver(const Services&, RequestContext&);
Result<Reply> get_driver_track(const Services&, RequestContext&);
void post_pings(const Services&, RequestContext&, AsyncDone done);  // answers once durable
// The reply body of every ingest route that answers in JSON: received, accepted, late, duplicates,
// stored, rejected[{index, reason}].
boost::json::object ingest_outcome_json(const pipeline::IngestOutcome& o);
// Tracker protocols: OwnTracks in HTTP mode (main port), OsmAnd / Traccar Client (its own port,
// api/osmand_routes.hpp).
void post_owntracks(const Services&, RequestContext&, AsyncDone done);  // answers once durable
void osmand(const Services&, RequestContext&, AsyncDone done);  // answers once durable

Result<Reply> create_vehicle(const Services&, RequestContext&);
Result<Reply> list_vehicles(const Services&, RequestContext&);
Result<Reply> get_vehicle(const Services&, RequestContext&);

Result<Reply> create_shipment(const Services&, RequestContext&);
Result<Reply> list_shipments(const Services&, RequestContext&);
Result<Reply> get_shipment(const Services&, RequestContext&);
Result<Reply> post_shipment_event(const Services&, RequestContext&);
Result<Reply> list_shipment_events(const Services&, RequestContext&);

Result<Reply> create_route(const Services&, RequestContext&);
Result<Reply> list_routes(const Services&, RequestContext&);
Result<Reply> get_route(const Services&, RequestContext&);
Result<Reply> start_route(const Services&, RequestContext&);

// Chain of custody (docs/chain-of-custody.md): scans and a shipment's custody log.
Result<Reply> post_scan(const Services&, RequestContext&);
Result<Reply> get_custody(const Services&, RequestContext&);
// The driver app (docs/api.md "Driver app"): today's manifest, one-time sign-in links, their redeem.
Result<Reply> get_driver_manifest(const Services&, RequestContext&);
Result<Reply> create_login_link(const Services&, RequestContext&);
Result<Reply> post_driver_session(const Services&, RequestContext&);

Result<Reply> track(const Services&, RequestContext&);

// Proof of delivery and failed attempts (proof_handler.cpp, proof_read_handler.cpp).
Result<Reply> post_proof(const Services&, RequestContext&);
Result<Reply> post_attempt(const Services&, RequestContext&);
Result<Reply> get_proof(const Services&, RequestContext&);
Result<Reply> get_blob(const Services&, RequestContext&);
Result<Reply> track_proof(const Services&, RequestContext&);
Result<Reply> track_blob(const Services&, RequestContext&);
// PUT /v1/track/{token}/instructions: the customer's delivery instructions, until out for delivery.
Result<Reply> put_track_instructions(const Services&, RequestContext&);

// Chat threads (chat_handler.cpp) and surveys (survey_handler.cpp), docs/chat-and-surveys.md.
Result<Reply> get_track_messages(const Services&, RequestContext&);
Result<Reply> post_track_message(const Services&, RequestContext&);
Result<Reply> get_shipment_messages(const Services&, RequestContext&);
Result<Reply> post_shipment_message(const Services&, RequestContext&);
Result<Reply> list_chat_threads(const Services&, RequestContext&);
// An inbound SMS reply (not a keyword) into the shipment's thread as the customer, channel sms,
// pushed live. `message_id`: the provider's id, the idempotency key (a provider retry adds
// nothing). Control characters become spaces and the text is cut to the chat limit.
core::Status relay_sms_to_chat(const Services& s, const core::TenantId& tenant, const core::ShipmentId& shipment,
                               std::string_view body, const std::string& message_id, core::Timestamp now);
Result<Reply> get_track_survey(const Services&, RequestContext&);
Result<Reply> post_track_survey(const Services&, RequestContext&);
Result<Reply> get_shipment_survey(const Services&, RequestContext&);
// Carrier onboarding (carrier_invitations_handler.cpp, docs/carriers.md "Onboarding").
Result<Reply> create_carrier_invitation(const Services&, RequestContext&);
Result<Reply> list_carrier_invitations(const Services&, RequestContext&);
Result<Reply> revoke_carrier_invitation(const Services&, RequestContext&);
Result<Reply> get_carrier_invitation(const Services&, RequestContext&);
Result<Reply> accept_carrier_invitation(const Services&, RequestContext&);
// Personalised delivery windows (docs/delivery-windows.md).
Result<Reply> get_delivery_window(const Services&, RequestContext&);
Result<Reply> get_delivery_window_evaluation(const Services&, RequestContext&);
Result<Reply> list_surveys(const Services&, RequestContext&);

// The web pages (api/static_files.hpp): the tracking page, the dashboard placeholder, the bundle's files.
Result<Reply> web_tracking_page(const Services&, RequestContext&);
Result<Reply> web_dispatch_page(const Services&, RequestContext&);
Result<Reply> web_driver_page(const Services&, RequestContext&);
Result<Reply> web_driver_manifest(const Services&, RequestContext&);
Result<Reply> web_driver_service_worker(const Services&, RequestContext&);
Result<Reply> web_driver_icon(const Services&, RequestContext&);
Result<Reply> web_asset(const Services&, RequestContext&);

// The exception queue (docs/api.md, "Exception queue"): office staff; carriers read their own cases.
Result<Reply> list_exceptions(const Services&, RequestContext&);
Result<Reply> get_exception(const Services&, RequestContext&);
Result<Reply> acknowledge_exception(const Services&, RequestContext&);
Result<Reply> resolve_exception(const Services&, RequestContext&);
Result<Reply> add_exception_note(const Services&, RequestContext&);

// Outbound webhooks (docs/webhooks.md): tenant admins manage subscriptions; integrations read them.
Result<Reply> create_webhook(const Services&, RequestContext&);
Result<Reply> list_webhooks(const Services&, RequestContext&);
Result<Reply> get_webhook(const Services&, RequestContext&);
Result<Reply> delete_webhook(const Services&, RequestContext&);
Result<Reply> rotate_webhook_secret(const Services&, RequestContext&);
Result<Reply> enable_webhook(const Services&, RequestContext&);
Result<Reply> list_webhook_deliveries(const Services&, RequestContext&);
Result<Reply> replay_webhook_delivery(const Services&, RequestContext&);

// E-mail/SMS notifications (docs/notifications.md): settings (tenant admin), the shipment's message
// log (office), the SMS provider's signed callbacks and the unsubscribe link (public).
Result<Reply> get_notification_settings(const Services&, RequestContext&);
Result<Reply> put_notification_settings(const Services&, RequestContext&);
Result<Reply> preview_notification(const Services&, RequestContext&);
Result<Reply> list_shipment_notifications(const Services&, RequestContext&);
Result<Reply> sms_status_callback(const Services&, RequestContext&);
Result<Reply> sms_inbound(const Services&, RequestContext&);
Result<Reply> unsubscribe_page(const Services&, RequestContext&);
Result<Reply> unsubscribe_confirm(const Services&, RequestContext&);

// Routing (docs/routing.md): the road network when the server has one, else great-circle estimates.
Result<Reply> get_road_route(const Services&, RequestContext&);
// Geocoding (docs/geocoding.md) on the --map's addresses.
Result<Reply> get_geocode(const Services&, RequestContext&);
Result<Reply> get_eta_model(const Services&, RequestContext&);
Result<Reply> post_road_matrix(const Services&, RequestContext&);
// The OSRM-compatible subset: OSRM's URLs and JSON shapes, errors as OSRM's {"code", "message"}.
Result<Reply> osrm_route(const Services&, RequestContext&);
Result<Reply> osrm_table(const Services&, RequestContext&);

// The offline basemap (docs/routing.md "Tiles"): the road network as vector tiles (.mvt) or GeoJSON,
// its TileJSON and a MapLibre style. Public; 404 not_found without --map, 400 invalid_tile.
Result<Reply> get_tile(const Services&, RequestContext&);
Result<Reply> get_tilejson(const Services&, RequestContext&);
Result<Reply> get_map_style(const Services&, RequestContext&);

// GET /v1/live and /v1/live/sse are served by the server's stream handler (api/live_stream.hpp);
// these answer what reaches the router: a GET without a WebSocket upgrade, or a server without push.
Result<Reply> live_without_upgrade(const Services&, RequestContext&);
Result<Reply> live_sse_unavailable(const Services&, RequestContext&);

// Route optimization (docs/optimization.md): plan a day; re-sequence or reassign a started route's stops.
Result<Reply> post_optimize(const Services&, RequestContext&);
Result<Reply> resequence_route(const Services&, RequestContext&);
Result<Reply> reassign_stops(const Services&, RequestContext&);
// Privacy (privacy_handler.cpp, docs/privacy.md): the tenant's retention settings, and export /
// erasure of one recipient's personal data. 503 unavailable with a store without PrivacyStore.
Result<Reply> get_tenant_retention(const Services&, RequestContext&);
Result<Reply> put_tenant_retention(const Services&, RequestContext&);
Result<Reply> export_recipient(const Services&, RequestContext&);
Result<Reply> erase_recipient(const Services&, RequestContext&);

// Carriers' own systems (carrier_events_handler.cpp, docs/carriers.md): status events in their codes
// (JSON or CSV), the code → milestone mapping, and the mapping tasks of unmapped codes. A carrier key
// reaches its own carrier only.
Result<Reply> post_carrier_events(const Services&, RequestContext&);
Result<Reply> list_carrier_events(const Services&, RequestContext&);
Result<Reply> get_code_mappings(const Services&, RequestContext&);
Result<Reply> put_code_mappings(const Services&, RequestContext&);
Result<Reply> list_mapping_tasks(const Services&, RequestContext&);

// Order intake (intake_handler.cpp, shopify_handler.cpp, docs/order-intake.md).
Result<Reply> bulk_create_shipments(const Services&, RequestContext&);
Result<Reply> import_shipments(const Services&, RequestContext&);
Result<Reply> put_shopify_integration(const Services&, RequestContext&);
Result<Reply> get_shopify_integration(const Services&, RequestContext&);
Result<Reply> delete_shopify_integration(const Services&, RequestContext&);
Result<Reply> shopify_order_created(const Services&, RequestContext&);
// Analytics (analytics_handler.cpp, docs/analytics.md): carrier and driver figures over a date range
// (JSON or CSV), per-carrier rate cards, the tenant's targets. A carrier key sees its own only.
Result<Reply> get_carrier_analytics(const Services&, RequestContext&);
Result<Reply> get_driver_analytics(const Services&, RequestContext&);
Result<Reply> get_rate_card(const Services&, RequestContext&);
Result<Reply> put_rate_card(const Services&, RequestContext&);
Result<Reply> get_analytics_targets(const Services&, RequestContext&);
Result<Reply> put_analytics_targets(const Services&, RequestContext&);
// The tenant settings document (settings_handler.cpp, docs/settings.md): one versioned document of
// a tenant's settings (PUT: a merge patch with the version read; 409 conflict when stale) and the
// audit trail of its changes. 503 unavailable with a store without SettingsStore.
Result<Reply> get_tenant_settings(const Services&, RequestContext&);
Result<Reply> put_tenant_settings(const Services&, RequestContext&);
Result<Reply> list_tenant_settings_history(const Services&, RequestContext&);

}  // namespace lastmile::api::handlers
