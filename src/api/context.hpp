#pragma once
// What a handler sees: the services it may use, the parsed request, and who is calling.

#include <boost/beast/http.hpp>
#include <boost/url/url_view.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/metrics.hpp"
#include "api/settings_defaults.hpp"
#include "api/track_cache.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/roles.hpp"
#include "storage/blob_store.hpp"
#include "storage/privacy_store.hpp"
#include "storage/store.hpp"

namespace lastmile::pipeline {
class IngestPipeline;
class DeviceDirectory;
struct IngestOutcome;
}  // namespace lastmile::pipeline

namespace lastmile::push {
class Hub;
}  // namespace lastmile::push

namespace lastmile::eta {
class ModelRegistry;
}
namespace lastmile::map {
class RoutingService;
class TileService;
class AddressBook;
}  // namespace lastmile::map

namespace lastmile::notify {
class WebhookSender;
}  // namespace lastmile::notify
namespace lastmile::storage {
class WebhookStore;
class NotificationStore;
}  // namespace lastmile::storage

namespace lastmile::api {

struct RateLimits;  // api/rate_limiter.hpp

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The authenticated caller.
struct Principal {
  domain::Role role = domain::Role::kDispatcher;
  std::optional<core::TenantId> tenant_id;   // absent only for root
  std::optional<core::CarrierId> carrier_id; // role carrier
  std::optional<core::DriverId> driver_id;   // role driver
  std::string credential_id;                 // for event actors and logs
  std::string credential_name;               // for audit trails (the key's name)
};

// Long-lived dependencies shared by all handlers. Thread-safe.
struct Services {
  storage::Store& store;
  const core::Clock& clock;
  Metrics& metrics;
  std::string public_url;  // e.g. "http://127.0.0.1:8080", no trailing slash
  TrackViewCache* track_cache = nullptr;  // optional; see track_cache.hpp for the invalidation rule
  pipeline::IngestPipeline* pipeline = nullptr;   // required by every ingest route
  pipeline::DeviceDirectory* devices = nullptr;   // required by the tracker protocol routes
  push::Hub* live_hub = nullptr;                  // live updates (push/hub.hpp); null: no push
  const map::RoutingService* routing = nullptr;   // routes and matrices; null: 503 unavailable
  const map::TileService* tiles = nullptr;        // vector tiles of the --map road network; null: 404
  const map::AddressBook* addresses = nullptr;    // the --map's addresses (GET /v1/geocode); null: 503
  std::string raster_tiles_url = {};  // serve --raster-tiles: an XYZ raster template offered as an alternative
  const eta::ModelRegistry* eta_models = nullptr;  // each tenant's learned ETA model; null: 503
  // The built web bundle (web/dist: track.html, dispatch.html, assets/); empty or missing files: the
  // pages answer 503 (api/handlers/web_handler.cpp).
  std::string web_dir = {};
  // One-time driver sign-in links (POST /v1/drivers/{id}/login-links) expire after this many hours.
  int login_link_ttl_h = 24;
  // Proof-of-delivery photos and signatures (serve --blob-dir); null: the POD routes answer 503.
  const storage::BlobStore* blobs = nullptr;
  size_t max_photo_bytes = 8 << 20;  // each photo of a proof or failed attempt
  // Outbound webhooks (docs/webhooks.md); null store: the /v1/webhooks routes answer 503.
  storage::WebhookStore* webhooks = nullptr;
  notify::WebhookSender* webhook_sender = nullptr;  // the validation handshake
  bool webhook_allow_private = false;               // serve --webhook-allow-private
  std::function<void()> wake_outbox = {};           // after a replay
  RateLimits* rate_limits = nullptr;  // per credential / address limits (api/rate_limiter.hpp); null: none
  // E-mail/SMS notifications (docs/notifications.md); null: those routes answer 503.
  storage::NotificationStore* notifications = nullptr;
  std::string sms_auth_token = {};  // verifies X-Twilio-Signature of the provider's callbacks
  // Retention defaults (serve --track/photo/chat-retention-days) shown by GET /v1/tenant/retention,
  // and the idle time before an erased image's file may be deleted (docs/privacy.md).
  storage::RetentionDefaults retention_defaults = {};
  // The server's values of the settings a tenant leaves null (GET /v1/tenant/settings "defaults").
  settings::ServerDefaults settings_defaults = {};
  // Cluster mode (docs/cluster.md): whether the NATS connection is up; /readyz answers 503 while it
  // is not. Null: a single node.
  std::function<bool()> cluster_connected = {};
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct RequestContext {
  const Request& req;
  boost::urls::url_view url;
  std::vector<std::string> params;      // path parameters, in pattern order, percent-decoded
  std::optional<Principal> principal;   // set on every non-public route
  core::Timestamp now;
  std::string_view peer = {};           // the client's address ("127.0.0.1"); empty when unknown
  // The body of an import request, spooled to this file by the server (is_import_request) instead of
  // req.body(); null otherwise. The file is removed after the handler returns.
  const std::string* body_file = nullptr;

  const std::string& param(size_t i) const { return params.at(i); }
  std::optional<std::string> query(std::string_view key) const;
  std::string_view header(http::field f) const;
  std::string_view header(std::string_view name) const;
  // REQUIRES: a principal with a tenant (every tenant-scoped route).
  const core::TenantId& tenant() const { return *principal->tenant_id; }
  domain::Role role() const { return principal->role; }
  std::string actor() const { return principal ? principal->credential_id : "public"; }
};

using Handler = core::Result<Reply> (*)(const Services&, RequestContext&);
// An asynchronous handler: reads what it needs from the context before it returns (the context is
// gone afterwards) and calls `done` exactly once, now or later from any thread — e.g. once a write
// is durable, without holding a thread while it waits. `done` must not be called after a throw.
using AsyncDone = std::function<void(core::Result<Reply>)>;
using AsyncHandler = void (*)(const Services&, RequestContext&, AsyncDone done);

// One line of the route table: method, path pattern ("/v1/shipments/{id}"), who may call.
// A pattern ending in "/*" matches any remaining path segments ("/*" matches every path).
struct RouteSpec {
  http::verb method;
  std::string_view pattern;
  bool is_public;       // no credentials needed (roles ignored)
  domain::RoleSet roles;
  Handler handler;               // null when async_handler serves the route
  bool any_media_type = false;  // the body may be of any Content-Type (the handler checks it)
  AsyncHandler async_handler = nullptr;
};

// JSON reply helpers.
Reply json_reply(int status, std::string body);

}  // namespace lastmile::api
