#pragma once
// Carriers' own status events and the per-carrier code mappings (docs/carriers.md).
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp: everything
// is looked up by (tenant, carrier); another tenant's carrier is kNotFound.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/carrier_events.hpp"
#include "domain/entities.hpp"

namespace lastmile::storage {

// One received carrier event as kept: every event is kept, whatever its outcome.
struct CarrierEventRecord {
  int64_t seq = 0;
  core::TenantId tenant_id;
  core::CarrierId carrier_id;
  domain::CarrierEventInput input;
  std::optional<core::ShipmentId> shipment_id;  // resolved shipment, when known
  domain::CarrierEventOutcome outcome = domain::CarrierEventOutcome::kRecorded;
  std::string why;                              // detail of the outcome ("older_than_current", …)
  std::optional<core::EventId> event_id;        // our event, when the shipment moved
  core::Timestamp received_at;
};

// A code seen without a mapping: what a dispatcher must map.
struct MappingTask {
  std::string code;
  int64_t events = 0;  // unmapped events waiting with this code
  core::Timestamp first_seen;
  core::Timestamp last_seen;
  std::string sample_description;
};

class CarrierEventStore {
 public:
  virtual ~CarrierEventStore() = default;

  // Replaces the carrier's whole mapping set. kNotFound when the carrier is not the tenant's.
  virtual core::Status put_code_mappings(const core::TenantId& tenant, const core::CarrierId& carrier,
                                         const std::vector<domain::CarrierCodeMapping>& mappings,
                                         core::Timestamp now) = 0;
  virtual core::Result<std::vector<domain::CarrierCodeMapping>> list_code_mappings(const core::TenantId& tenant,
                                                                                   const core::CarrierId& carrier) = 0;

  // The shipment of `carrier` with our tracking number `tracking_number` (when not empty), else with
  // the shipper's `order_id`. kNotFound when there is none, or it is not assigned to the carrier.
  virtual core::Result<domain::Shipment> find_carrier_shipment(const core::TenantId& tenant,
                                                               const core::CarrierId& carrier,
                                                               const std::string& tracking_number,
                                                               const std::string& order_id) = 0;

  // Keeps `record` and, when `event` is given, appends it to record.shipment_id in the same
  // transaction (compare-and-set on `expected_status` as Store::append_event: kConflict when the
  // status moved — nothing is written then, re-read and decide again). When the carrier already sent
  // record.input.event_id, nothing is written and the kept record is returned with outcome
  // kDuplicate (its first outcome in `why`). Returns the kept record (event_id set when appended);
  // the appended event reaches on_commit like any other.
  virtual core::Result<CarrierEventRecord> record_carrier_event(const CarrierEventRecord& record,
                                                                const std::optional<domain::Event>& event,
                                                                domain::Milestone expected_status) = 0;
  // Sets a kept record's outcome after a re-decision (a mapping was added), with its appended
  // event in the same transaction as above. kNotFound for an unknown seq.
  virtual core::Result<CarrierEventRecord> resolve_carrier_event(const CarrierEventRecord& record,
                                                                 const std::optional<domain::Event>& event,
                                                                 domain::Milestone expected_status) = 0;

  // The carrier's kept events, newest first, optionally of one shipment or one outcome, at most
  // `limit` (1–500), with seq < `before` when before > 0.
  virtual core::Result<std::vector<CarrierEventRecord>> list_carrier_events(
      const core::TenantId& tenant, const core::CarrierId& carrier, const std::optional<core::ShipmentId>& shipment,
      std::optional<domain::CarrierEventOutcome> outcome, int64_t before, int limit) = 0;
  // The codes with unmapped events, most events first.
  virtual core::Result<std::vector<MappingTask>> list_mapping_tasks(const core::TenantId& tenant,
                                                                    const core::CarrierId& carrier) = 0;
};

}  // namespace lastmile::storage
