#pragma once
// Order intake (docs/order-intake.md): shipments created in batches (JSON bulk, CSV import) and the
// per-tenant Shopify integration with its received webhook ids.
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"

namespace lastmile::storage {

// A shipment ready to insert (ids, token, tracking number, times set) with its "created" event.
struct NewShipment {
  domain::Shipment shipment;
  domain::Event created;
};

// A tenant's Shopify shop. `secret` is the app's shared secret: HMAC verification needs it in clear,
// so it is stored as given and never returned by the API.
struct ShopIntegration {
  core::TenantId tenant_id;
  std::string shop_domain;  // "example.myshopify.com", lower case
  std::string secret;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

enum class ShopOrderOutcome { kCreated, kDuplicateOrder, kDuplicateWebhook };

class IntakeStore {
 public:
  virtual ~IntakeStore() = default;

  // Inserts the batch in ONE transaction, each shipment (row, parcels, created event) in its own
  // savepoint. Returns one Status per item, in order: success, or kConflict with field
  // "external_order_id" (the tenant already has that order: nothing written for the item) or
  // "tracking_number" (a collision: retry the item with another number). Any other failure fails
  // the whole batch (nothing written) and is returned as the error. The created events reach
  // on_commit once the batch is durable.
  virtual core::Result<std::vector<core::Status>> create_shipments(const std::vector<NewShipment>& batch) = 0;

  // Sets the tenant's shop (replacing an earlier one). kConflict (field "shop_domain") when another
  // tenant has that shop.
  virtual core::Status put_shop_integration(const ShopIntegration& integration) = 0;
  // kNotFound when the tenant has none.
  virtual core::Result<ShopIntegration> get_shop_integration(const core::TenantId& tenant) = 0;
  // By shop domain, any tenant (the public webhook route). kNotFound when unknown.
  virtual core::Result<ShopIntegration> find_shop_integration(std::string_view shop_domain) = 0;
  // kNotFound when the tenant has none.
  virtual core::Status delete_shop_integration(const core::TenantId& tenant) = 0;

  // In one transaction: keeps `webhook_id` for the tenant and inserts `order` (when the tenant has
  // not that external_order_id yet). kDuplicateWebhook (nothing written) when the webhook id was
  // already received; kDuplicateOrder when the order exists (the webhook id is kept). `shipment_id`
  // gets the created or existing shipment's id when known.
  virtual core::Result<ShopOrderOutcome> create_shop_order(const std::string& webhook_id, const NewShipment& order,
                                                           core::ShipmentId& shipment_id) = 0;
};

}  // namespace lastmile::storage
