#pragma once
// Post-delivery surveys (docs/chat-and-surveys.md): one per shipment, stored with its events.
//
// Threading: every method may be called from any thread. Tenant rules as in store.hpp.

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "domain/entities.hpp"
#include "domain/survey.hpp"

namespace lastmile::storage {

struct SurveyRecord {
  int64_t seq = 0;
  core::TenantId tenant_id;
  core::ShipmentId shipment_id;
  std::string tracking_number;  // on reads
  domain::SurveyAnswer answer;
  std::optional<core::CarrierId> carrier_id;  // the shipment's, when rated
  std::optional<core::DriverId> driver_id;    // the driver of its route, when rated
  core::Timestamp created_at;
};

struct SurveyFilter {
  std::optional<core::Timestamp> from;  // created_at >= from
  std::optional<core::Timestamp> to;    // created_at < to
  std::optional<core::CarrierId> carrier_id;
  std::optional<core::DriverId> driver_id;
};

class SurveyStore {
 public:
  virtual ~SurveyStore() = default;

  // Stores the survey and `events` (survey_submitted, and survey_low_rating for a low rating; no
  // milestone) in one transaction, the events through the normal event insertion (hash chain,
  // exception queue, webhooks). The record's carrier and driver are read from the shipment there.
  // kIllegalTransition when the shipment is not delivered; kConflict (field "stars") when it already
  // has a survey; kNotFound when not the tenant's. Nothing is written on failure.
  virtual core::Result<SurveyRecord> add_survey(const SurveyRecord& survey,
                                                const std::vector<domain::Event>& events) = 0;
  // The shipment's survey; nullopt when none. kNotFound when the shipment is not the tenant's.
  virtual core::Result<std::optional<SurveyRecord>> get_survey(const core::TenantId& tenant,
                                                               const core::ShipmentId& shipment) = 0;
  // The tenant's surveys matching the filter, newest first, at most `limit` (1–10000).
  virtual core::Result<std::vector<SurveyRecord>> list_surveys(const core::TenantId& tenant, const SurveyFilter& filter,
                                                               int limit) = 0;
};

}  // namespace lastmile::storage
