#pragma once
// The JSON body of a webhook delivery (docs/webhooks.md, "Envelope"). Pure. Built once when the
// message is enqueued and stored: every retry sends the same bytes.

#include <optional>
#include <string>
#include <string_view>

#include "domain/entities.hpp"

namespace lastmile::notify {

inline constexpr std::string_view kWebhookVersion = "2026-11-01";

// What the envelope says about the event's shipment (its state when the event was stored).
struct ShipmentSummary {
  core::ShipmentId id;
  std::string tracking_number;
  std::string status;                          // milestone name
  std::optional<std::string> external_order_id;
};

// {"event_id","type","occurred_at","version","tenant_id","data":{"shipment":{…},"event":{…}}};
// data.event is the event as GET /v1/shipments/{id}/events shows it. No recipient data.
std::string webhook_envelope(const domain::Event& e, std::string_view type, const ShipmentSummary& shipment);

// The validation handshake body: {"type":"webhook.validation","check":"<check>"}.
std::string validation_body(std::string_view check);

}  // namespace lastmile::notify
