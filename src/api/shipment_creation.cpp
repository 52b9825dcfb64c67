#include "api/shipment_creation.hpp"

#include "api/address_geocoding.hpp"

#include "core/crypto.hpp"
#include "core/new_id.hpp"
#include "domain/tracking_number.hpp"

namespace lastmile::api {

using core::Error;
using core::ErrorCode;

namespace {

constexpr int kMaxNumberAttempts = 5;

bool conflict_on(const core::Status& st, std::string_view field) {
  return !st && st.error().code == ErrorCode::kConflict && st.error().field == field;
}

core::Status check_carrier(const Services& s, const core::TenantId& tenant, const std::string& id,
                           CarrierCheckCache* cache) {
  bool known = false;
  if (auto it = cache ? cache->find(id) : CarrierCheckCache::iterator{}; cache && it != cache->end()) {
    known = it->second;
  } else {
    auto carrier = s.store.get_carrier(tenant, core::CarrierId(id));
    if (!carrier && carrier.error().code != ErrorCode::kNotFound) return carrier.error();
    known = static_cast<bool>(carrier);
    if (cache) cache->emplace(id, known);
  }
  if (!known) return Error{ErrorCode::kNotFound, "carrier not found", "carrier_id"};
  return {};
}

}  // namespace

void renumber(storage::NewShipment& n) {
  n.shipment.tracking_number = domain::make_tracking_number(core::random_digits(10));
}

core::Result<storage::NewShipment> prepare_shipment(const Services& s, const CreationContext& c, ShipmentDraft draft,
                                                    CarrierCheckCache* carriers) {
  storage::NewShipment n;
  auto& sh = n.shipment;
  sh = std::move(draft.shipment);
  if (draft.carrier_id) {
    if (auto st = check_carrier(s, c.tenant, *draft.carrier_id, carriers); !st) return st.error();
    sh.carrier_id = core::CarrierId(*draft.carrier_id);
  }
  const AddressLocation where = locate_address(s.addresses, sh.address);
  sh.address.location = where.location;
  sh.id = core::new_id<core::ShipmentId>();
  sh.tenant_id = c.tenant;
  sh.tracking_token = core::random_token(16);
  sh.status = domain::Milestone::kCreated;
  sh.created_at = sh.updated_at = c.now;
  renumber(n);

  auto& e = n.created;
  e.id = core::new_id<core::EventId>();
  e.tenant_id = sh.tenant_id;
  e.shipment_id = sh.id;
  e.type = std::string(domain::milestone_name(domain::Milestone::kCreated));
  e.milestone = domain::Milestone::kCreated;
  e.at = e.recorded_at = c.now;
  e.actor = c.actor;
  e.source = c.source;
  // How the location was found (docs/geocoding.md); "{}" when no map was there to ask.
  e.payload_json = where.match || s.addresses != nullptr ? location_payload_json(where) : "{}";
  return n;
}

core::Result<SingleCreate> create_shipment(
    const Services& s, const CreationContext& c, ShipmentDraft draft,
    const std::function<const storage::IdempotencyRecord*(const domain::Shipment&)>& record) {
  auto n = prepare_shipment(s, c, std::move(draft));
  if (!n) return n.error();
  for (int attempt = 1;; ++attempt) {
    auto stored = s.store.create_shipment(n->shipment, n->created, record(n->shipment));
    if (stored) return SingleCreate{std::move(n->shipment), false};
    if (conflict_on(stored, "tracking_number") && attempt < kMaxNumberAttempts) {
      renumber(*n);
      continue;
    }
    if (conflict_on(stored, "external_order_id")) {  // idempotent on the shop's order id
      auto existing = s.store.find_shipment_by_external_id(c.tenant, n->shipment.external_order_id);
      if (!existing) return existing.error();
      return SingleCreate{std::move(*existing), true};
    }
    return stored.error();
  }
}

core::Result<std::vector<ItemOutcome>> create_shipment_batch(const Services& s, const CreationContext& c,
                                                             std::vector<ShipmentDraft> drafts,
                                                             CarrierCheckCache& carriers) {
  auto* intake = s.store.intake();
  if (!intake) return Error{ErrorCode::kUnavailable, "batch creation is not available with this store", ""};
  std::vector<ItemOutcome> out(drafts.size());
  std::vector<storage::NewShipment> batch;
  std::vector<size_t> where;  // batch position → drafts position
  batch.reserve(drafts.size());
  for (size_t i = 0; i < drafts.size(); ++i) {
    auto n = prepare_shipment(s, c, std::move(drafts[i]), &carriers);
    if (!n) {
      if (n.error().code != ErrorCode::kNotFound) return n.error();
      out[i].error = n.error();
      continue;
    }
    batch.push_back(std::move(*n));
    where.push_back(i);
  }
  for (int attempt = 1; !batch.empty(); ++attempt) {
    auto stored = intake->create_shipments(batch);
    if (!stored) return stored.error();
    std::vector<storage::NewShipment> again;  // tracking number collisions: renumbered, next round
    std::vector<size_t> again_where;
    for (size_t k = 0; k < batch.size(); ++k) {
      auto& o = out[where[k]];
      const auto& st = (*stored)[k];
      if (st) {
        o.status = ItemStatus::kCreated;
        o.id = batch[k].shipment.id;
        o.tracking_number = batch[k].shipment.tracking_number;
      } else if (conflict_on(st, "external_order_id")) {
        o.status = ItemStatus::kDuplicate;
      } else if (attempt < kMaxNumberAttempts) {
        renumber(batch[k]);
        again.push_back(std::move(batch[k]));
        again_where.push_back(where[k]);
      } else {
        return st.error();
      }
    }
    batch = std::move(again);
    where = std::move(again_where);
  }
  return out;
}

}  // namespace lastmile::api
