#pragma once
// Delivery history for personalised delivery windows (docs/delivery-windows.md): every delivery
// attempt of a tenant's shipments, as the model in domain/delivery_windows.hpp reads them.
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "storage/privacy_store.hpp"

namespace lastmile::storage {

// One attempt: a shipment event with milestone delivered or attempt_failed.
struct AttemptRow {
  core::ShipmentId shipment_id;
  std::string recipient_phone;   // as stored (erased recipients have neither)
  std::string recipient_email;
  std::string time_zone;         // the recipient's IANA zone, may be empty
  core::Timestamp at;            // when it happened
  bool delivered = false;
  std::optional<int> stars;      // the shipment's survey rating, if any
};

class DeliveryHistoryStore {
 public:
  virtual ~DeliveryHistoryStore() = default;
  // The tenant's attempts at or after `since`, oldest first, at most `limit`; with `recipient`,
  // only that recipient's (phone exact, e-mail case-insensitive). Recipients erased for privacy
  // have no phone or e-mail and are never matched.
  virtual Result<std::vector<AttemptRow>> delivery_attempts(const core::TenantId& tenant,
                                                            const std::optional<RecipientKey>& recipient,
                                                            core::Timestamp since, size_t limit) = 0;
};

}  // namespace lastmile::storage
