#pragma once
// The one creation path: every way a shipment enters the system (POST /v1/shipments, the JSON bulk
// create, the CSV import, the Shopify webhook) turns a validated ShipmentDraft into a stored
// shipment here — tracking number, tracking token, "created" event (which feeds notifications,
// webhooks and live updates through on_commit). prepare_shipment also places the address
// (address_geocoding.hpp: the map's addresses, else the order's coordinates).
//
// Threading: any thread (handlers run on the blocking pool).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/context.hpp"
#include "api/shipment_parser.hpp"
#include "storage/intake_store.hpp"

namespace lastmile::api {

// Who creates, and when: the created event's actor and source ("api", "csv_import", "shopify").
struct CreationContext {
  core::TenantId tenant;
  std::string actor;
  std::string source;
  core::Timestamp now;
};

// Carrier ids already checked against the tenant (true: the tenant's), so a batch reads each once.
using CarrierCheckCache = std::unordered_map<std::string, bool>;

// The draft made a shipment: ids, token, status, times, a fresh tracking number, the created event.
// kNotFound (field "carrier_id") when draft.carrier_id is not a carrier of the tenant.
// REQUIRES: `draft` came out of a validating parser (parse_shipment_create / parse_shipment_object).
core::Result<storage::NewShipment> prepare_shipment(const Services& s, const CreationContext& c, ShipmentDraft draft,
                                                    CarrierCheckCache* carriers = nullptr);
// A fresh tracking number for `n` (after a collision).
void renumber(storage::NewShipment& n);

// POST /v1/shipments: prepares and stores one shipment with the Idempotency-Key record `record`
// gives for the created shipment (null: none). On success the stored shipment and `duplicate` =
// false; when the tenant already has the draft's external_order_id, that shipment and duplicate = true.
// Other errors as Store::create_shipment.
struct SingleCreate {
  domain::Shipment shipment;
  bool duplicate = false;
};
core::Result<SingleCreate> create_shipment(
    const Services& s, const CreationContext& c, ShipmentDraft draft,
    const std::function<const storage::IdempotencyRecord*(const domain::Shipment&)>& record);

// One item's outcome in a batch.
enum class ItemStatus { kCreated, kDuplicate, kInvalid };
struct ItemOutcome {
  ItemStatus status = ItemStatus::kInvalid;
  std::optional<core::ShipmentId> id;  // created
  std::string tracking_number;         // created
  std::optional<core::Error> error;    // invalid (e.g. unknown carrier_id)
};

// Creates the drafts in ONE transaction (IntakeStore::create_shipments): an item whose
// external_order_id the tenant already has (or an earlier item of the batch had) is kDuplicate,
// one naming an unknown carrier kInvalid; the others are created even when some are not. Returns
// once the batch is durable. kUnavailable when the store has no IntakeStore; a storage failure
// fails the whole batch (nothing created).
core::Result<std::vector<ItemOutcome>> create_shipment_batch(const Services& s, const CreationContext& c,
                                                             std::vector<ShipmentDraft> drafts,
                                                             CarrierCheckCache& carriers);

}  // namespace lastmile::api
